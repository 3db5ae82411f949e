// What a context call takes, apart from its route so that the client's types can use it
// without the server (src/client/types.ts).
import { z } from "@hono/zod-openapi";
import { queryInteger } from "./schemas";
import { SearchModeField } from "./search-mode-schemas";

const budgetFields = {
  maxTokens: z.number().int().min(1).max(1_000_000).optional().openapi({
    description:
      "Budget for the whole returned `messages` list (default: the conversation's `workingTokens`). Each message costs `tokens(content) + 3`, +1 with `name`.",
    example: 2000,
  }),
  query: z.string().min(1).max(4096).optional().openapi({
    description: "Text to recall long-term items for (default: the latest user message).",
    example: "When does my flight leave?",
  }),
  recall: z.number().int().min(0).max(100).optional().openapi({
    description:
      "At most this many recalled items (archived messages of this conversation and memories of its user); 0 turns recall off. Default 8.",
    example: 8,
  }),
  explain: z.boolean().optional().openapi({
    description:
      "Adds `explain.candidates`: every recall candidate considered, best first, with its ranks, whether it was packed, and if not why.",
    example: false,
  }),
  mode: SearchModeField,
  dates: z.boolean().optional().openapi({
    description:
      "Puts a one-line `system` message with the day (`[2025-06-09]`) before the first recent turn of each day, so the model can tell when recent turns were said (recalled lines carry their days already). Never between an assistant message with `tool_calls` and its tool messages; counted in `usage.recent`. Default false.",
    example: false,
  }),
  recallTokens: z.number().int().min(0).max(1_000_000).optional().openapi({
    description:
      "At most this many tokens (overhead included) for recalled items, ≤ maxTokens. Default: a quarter of what pinned messages and the summary leave, growing to a half when the query matches old material strongly; what recall leaves unused goes to recent turns.",
    example: 500,
  }),
};

const withinBudget = (v: { maxTokens?: number; recallTokens?: number }) =>
  v.recallTokens === undefined || v.maxTokens === undefined || v.recallTokens <= v.maxTokens;
const budgetIssue = { message: "must not exceed maxTokens", path: ["recallTokens"] };

export const ContextBody = z
  .object(budgetFields)
  .strict()
  .refine(withinBudget, budgetIssue)
  .openapi("ContextRequest");
export const ContextQuery = z
  .object({
    maxTokens: queryInteger().pipe(budgetFields.maxTokens.unwrap()).optional(),
    query: budgetFields.query,
    recall: queryInteger().pipe(budgetFields.recall.unwrap()).optional(),
    recallTokens: queryInteger().pipe(budgetFields.recallTokens.unwrap()).optional(),
    mode: budgetFields.mode,
    explain: z
      .enum(["true", "false"])
      .transform((v) => v === "true")
      .optional()
      .openapi({ description: budgetFields.explain.description, example: "true" }),
    dates: z
      .enum(["true", "false"])
      .transform((v) => v === "true")
      .optional()
      .openapi({ description: budgetFields.dates.description, example: "true" }),
  })
  .refine(withinBudget, budgetIssue);
