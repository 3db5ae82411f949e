import { z } from "@hono/zod-openapi";
import { RESPONSE_ITEM_TYPES } from "../memory/chat/response-items";
import { Metadata } from "./schemas";

/**
 * Items of OpenAI's Responses API, appended as the SDK gives them (`response.output`, or
 * the items of an `input`) and sent back in the context exactly as sent.
 */

/** What edgemem reads beside the item's own fields: taken off before the item is stored. */
export const ItemExtras = {
  metadata: Metadata.optional(),
  pinned: z.boolean().optional().openapi({
    description: "Pinned items (a system or developer message) never leave working memory.",
  }),
  createdAt: z.iso.datetime({ offset: true }).optional().openapi({
    description: "Kept as sent; default: the server's time.",
  }),
};

const ItemId = z.string().min(1).max(124).nullable().optional().openapi({
  description:
    "The item's id as OpenAI gave it (`msg_…`, `fc_…`, `rs_…`): kept in the item, and the message's id is `oai:` + this id with `_` read as `-`, so appending the same output twice stores it once (an id that makes no valid message id gives a new one). Null (Python's `model_dump()` of an item without one) is kept as sent and gives no id.",
  example: "fc_67ab",
});

const CallId = z.string().min(1).max(256).openapi({ example: "call_1" });

/**
 * A message item's part: the Responses API's (`input_text`, `output_text`, `refusal`,
 * `input_image`, …). Another vocabulary (Anthropic's `text` and `tool_use` blocks, as in an
 * Anthropic response object appended whole) is refused, naming the part's type.
 */
const ItemPart = z
  .looseObject({
    type: z
      .string()
      .min(1)
      .max(64)
      .regex(/^(input_|output_)[a-z_]+$|^refusal$/, {
        error:
          "a message item (type: message) takes the Responses API's parts (input_text, output_text, refusal, input_image, …); for other content send a chat message, { role, content }, without type",
      }),
  })
  .openapi({ example: { type: "output_text", text: "Sunny, 21 °C.", annotations: [] } });

const MessageItem = z
  .looseObject({
    type: z.literal("message"),
    id: ItemId,
    role: z.enum(["system", "developer", "user", "assistant"]),
    content: z.union([
      z.string().openapi({ example: "What's the weather in Lisbon?" }),
      z.array(ItemPart).min(1).max(100),
    ]),
    ...ItemExtras,
  })
  .openapi("MessageItemInput", {
    description:
      "A message item: `content` a string or parts (`input_text`, `output_text`, `refusal`, `input_image`, …). Its words are searched, summarized and recalled.",
  });

const FunctionCallItem = z
  .looseObject({
    type: z.literal("function_call"),
    id: ItemId,
    call_id: CallId,
    name: z.string().min(1).max(256).openapi({ example: "get_weather" }),
    arguments: z.string().openapi({ example: '{"city":"Lisbon"}' }),
    ...ItemExtras,
  })
  .openapi("FunctionCallItemInput", {
    description:
      "A call of one of the app's functions; the context sends it only with the `function_call_output` naming its `call_id`.",
  });

const ANSWER_TYPES = RESPONSE_ITEM_TYPES.filter((type) => type.endsWith("_output"));
const CALL_TYPES = [
  "custom_tool_call",
  "computer_call",
  "local_shell_call",
  "shell_call",
  "apply_patch_call",
] as const;
const OTHER_TYPES = RESPONSE_ITEM_TYPES.filter(
  (type) => !["message", "function_call", ...ANSWER_TYPES, ...CALL_TYPES].includes(type as never),
);

const AnswerItem = z
  .looseObject({
    type: z.enum(ANSWER_TYPES as [string, ...string[]]),
    id: ItemId,
    call_id: CallId,
    output: z.union([z.string(), z.array(z.unknown()), z.record(z.string(), z.unknown())]),
    ...ItemExtras,
  })
  .openapi("CallOutputItemInput", {
    description:
      "The app's answer to a call (`function_call_output`, …), naming it by `call_id`. A string output (or its text parts) is searched and recalled like a `tool` message.",
    example: { type: "function_call_output", call_id: "call_1", output: '{"temp_c":21}' },
  });

const OtherCallItem = z
  .looseObject({ type: z.enum(CALL_TYPES), id: ItemId, call_id: CallId, ...ItemExtras })
  .openapi("ToolCallItemInput", {
    description:
      "A call of another of the app's tools (custom, computer, shell, apply patch); sent only with its `*_output` item.",
  });

const OtherItem = z
  .looseObject({
    type: z.enum(OTHER_TYPES as [string, ...string[]]),
    id: ItemId,
    ...ItemExtras,
  })
  .openapi("OtherItemInput", {
    description:
      "Reasoning (sent with the model's items after it), a hosted tool's run (web or file search, code interpreter, image generation, MCP) or a compaction: stored and sent back as is.",
  });

/** One Responses API item; its `type` says which. */
export const ResponseItemSchema = z
  .discriminatedUnion("type", [MessageItem, FunctionCallItem, AnswerItem, OtherCallItem, OtherItem])
  .openapi("ResponseItemInput", {
    description: `An item of OpenAI's Responses API, stored as sent. Its speaker: a message's \`role\`; \`tool\` for an answer (\`*_output\`); \`assistant\` for the rest. Types: ${RESPONSE_ITEM_TYPES.join(", ")}.`,
  });

/** An item in a context or a message list: as the app sent it. */
export const SentItemSchema = z
  .looseObject({ type: z.string().openapi({ example: "function_call" }) })
  .openapi("ResponseItem", {
    description: "A Responses API item exactly as the app appended it.",
    example: {
      type: "function_call",
      call_id: "call_1",
      name: "get_weather",
      arguments: '{"city":"Lisbon"}',
    },
  });
