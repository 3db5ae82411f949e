import { createRoute, z } from "@hono/zod-openapi";
import { conversationStub } from "../durable/conversation/api";
import { COMMON_ERRORS, errorResponses } from "../http/errors";
import { checkSearchMode } from "../http/field-checks";
import { json, newRouter, security } from "../http/router";
import { unwrap } from "../http/unwrap";
import type { ContextResponse } from "../memory/context/types";
import { ContextBody, ContextQuery } from "./context-schemas";
import { SentItemSchema } from "./item-schemas";
import { MessageContentSchema, ToolCallId, ToolCalls } from "./message-schemas";
import { ConversationParams, Role, Tokenizer } from "./schemas";
import { MatchSchema } from "./search-mode-schemas";

/** One message of a context: what chat-completions takes, or an item, as the app sent it. */
const ContextMessageSchema = z
  .union([
    z
      .object({
        role: Role,
        content: MessageContentSchema,
        name: z.string().optional(),
        tool_calls: ToolCalls.optional(),
        tool_call_id: ToolCallId.optional(),
      })
      .openapi("ContextChatMessage"),
    SentItemSchema,
  ])
  .openapi("ContextMessage", {
    description:
      "A chat message as chat-completions takes it, or a Responses API item as the app sent it (the summary and recall notes are `system` messages, which the Responses API takes as input too).",
  });

const TAGS = ["Context"];

const ContextSchema = z
  .object({
    messages: z.array(ContextMessageSchema).openapi({
      description:
        "Valid chat-completions input: a tool exchange (an assistant message with `tool_calls` and the tool messages answering it) is included whole or not at all, and no tool message comes without its call. Anthropic's content blocks and the Vercel AI SDK's parts likewise: a message of `tool_use` (`tool-call`) parts comes with the message of their `tool_result` (`tool-result`) parts, or neither. Responses API items are valid `input` the same way: call items come with their `*_output` items, reasoning with the model's items after it. An exchange too large for the budget, once the assistant has answered after it, is left out and the turns before it still come (its output may be recalled as an excerpt).",
    }),
    summary: z.string().nullable().openapi({ description: "The running summary, when included." }),
    recalled: z.array(
      z.object({
        kind: z.enum(["message", "memory"]),
        id: z.string().openapi({ example: "client-msg-12" }),
        seq: z.number().int().optional().openapi({ example: 12 }),
        text: z.string().openapi({ example: "I prefer aisle seats." }),
        score: z
          .number()
          .openapi({ description: "Fused rank score; higher is better.", example: 0.032 }),
        match: MatchSchema,
        passage: z
          .object({
            fromSeq: z.number().int().openapi({ example: 11 }),
            toSeq: z.number().int().openapi({ example: 13 }),
          })
          .optional()
          .openapi({
            description:
              "For an archived message: the turns quoted with it in the note (it stands among them), so a reply comes with its question.",
          }),
        excerpt: z.literal(true).optional().openapi({
          description:
            "Present when the message was too long for the room recall had: `text` (and the note) holds the part of it the query is about, with `…` where text is left out.",
        }),
      }),
    ),
    usage: z.object({
      budget: z.number().int().openapi({ example: 2000 }),
      tokenizer: Tokenizer,
      pinned: z.number().int().openapi({ example: 40 }),
      summary: z.number().int().openapi({ example: 120 }),
      recalled: z.number().int().openapi({ example: 300 }),
      recent: z.number().int().openapi({ example: 1500 }),
      total: z.number().int().openapi({
        description: "pinned + summary + recalled + recent; never exceeds the budget.",
        example: 1960,
      }),
    }),
    explain: z
      .object({
        candidates: z.array(
          z.object({
            kind: z.enum(["message", "memory"]),
            id: z.string(),
            seq: z.number().int().optional(),
            text: z.string(),
            score: z.number(),
            match: z
              .object({
                lexical: z.number().int().nullable(),
                semantic: z.number().int().nullable(),
              })
              .openapi({
                description: "1-based ranks in each ranking before fusion; null: not found by it.",
              }),
            packed: z.boolean(),
            reason: z.enum(["recent", "duplicate", "cutoff", "budget"]).nullable().openapi({
              description:
                "Why it was not packed: `recent` (a pinned or recent turn already), `duplicate` (its text is in the context already), `cutoff` (past `recall`), `budget` (no room). Null when packed.",
            }),
          }),
        ),
      })
      .optional()
      .openapi({ description: "With `explain=true` only." }),
    truncated: z.boolean().openapi({
      description:
        "True when some message is in the context neither as a recent turn nor as a recalled line, for lack of budget.",
    }),
  })
  .openapi("Context");

const description =
  'Returns what the model should see next: pinned messages first, then one system message carrying the running summary and the recalled long-term items (omitted when both are empty), then the most recent turns in chronological order — all within `maxTokens`, with exact accounting in `usage`.\n\nRecall brings passages: each archived message found for the query comes with the turns next to it, grouped by day under the date they were said, so a reply has its question and a "when" has its date; what to pack is chosen by value per token, and when `recall` runs out before the room does, the best hits come first. Memories follow, one per line. Recall ranks by words (BM25) and, when the deployment has an embedder, by meaning, fused (`mode`); each recalled item’s `match` says which ranking found it at what rank. No text is sent twice: a recalled turn is never also a recent turn, and the summary drops the sentences the context already quotes — it is left out when every message it covers is in the context verbatim, and takes a smaller share when the query matches old material strongly. A budget too small for the pinned messages is 400 on `maxTokens`.';
const responses = {
  200: { description: "The context.", content: json(ContextSchema) },
  ...errorResponses(...COMMON_ERRORS, "not_found", "unavailable"),
};

const getContext = createRoute({
  method: "get",
  path: "/v1/conversations/{conversationId}/context",
  tags: TAGS,
  security,
  summary: "Context for the next model call",
  description,
  request: { params: ConversationParams, query: ContextQuery },
  responses,
});

const postContext = createRoute({
  method: "post",
  path: "/v1/conversations/{conversationId}/context",
  tags: TAGS,
  security,
  summary: "Context for the next model call (fields as JSON)",
  description,
  request: { params: ConversationParams, body: { content: json(ContextBody), required: true } },
  responses,
});

export function contextRoutes() {
  const app = newRouter();
  app.openapi(getContext, async (c) => {
    const { conversationId } = c.req.valid("param");
    const stub = conversationStub(c.env, c.get("tenant"), conversationId);
    const request = c.req.valid("query");
    checkSearchMode(c.env, request.mode);
    const context: ContextResponse = unwrap(await stub.context(request));
    return c.json(context, 200);
  });
  app.openapi(postContext, async (c) => {
    const { conversationId } = c.req.valid("param");
    const stub = conversationStub(c.env, c.get("tenant"), conversationId);
    const request = c.req.valid("json");
    checkSearchMode(c.env, request.mode);
    const context: ContextResponse = unwrap(await stub.context(request));
    return c.json(context, 200);
  });
  return app;
}
