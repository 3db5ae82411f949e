import { z } from "@hono/zod-openapi";
import { IMAGE_TOKENS_HIGH, IMAGE_TOKENS_LOW } from "../memory/chat/messages";
import { ResponseItemSchema, SentItemSchema } from "./item-schemas";
import { ConversationCounters, Id, Metadata, Role } from "./schemas";

const TOKENS_DOC = `How \`tokens\` counts a message, with the conversation's tokenizer: a string's tokens; for an array of parts, each text part's tokens (\`text\`, and the Responses API's \`input_text\` and \`output_text\`), each \`refusal\` part's \`refusal\` text, each \`image_url\` (or \`input_image\`) part ${IMAGE_TOKENS_LOW} tokens at \`detail: "low"\` and ${IMAGE_TOKENS_HIGH} otherwise (OpenAI's cost of a 1024×1024 image; the image is never fetched), any other part the tokens of its JSON; plus, for each of \`tool_calls\`, the tokens of \`function.name\` and \`function.arguments\`. \`null\` content counts 0. Search, summaries and recall read the text only (a string, or the text (\`input_text\`, \`output_text\`) and refusal parts and the output of tool-result parts — Anthropic's \`tool_result\`, the AI SDK's \`tool-result\` — joined by new lines; summaries and fact extraction leave tool outputs out).`;

const ContentPartSchema = z
  .looseObject({
    type: z.string().min(1).max(64).openapi({ example: "text" }),
  })
  .superRefine((part, ctx) => {
    if (part.type === "text" && typeof part.text !== "string") {
      ctx.addIssue({
        code: "custom",
        path: ["text"],
        message: "a text part needs `text`, a string",
      });
    }
    if (part.type === "refusal" && typeof part.refusal !== "string") {
      ctx.addIssue({
        code: "custom",
        path: ["refusal"],
        message: "a refusal part needs `refusal`, a string",
      });
    }
    if (part.type === "image_url") {
      const image = part.image_url as { url?: unknown } | null | undefined;
      if (typeof image !== "object" || image === null || typeof image.url !== "string") {
        ctx.addIssue({
          code: "custom",
          path: ["image_url", "url"],
          message: "an image_url part needs `image_url.url`, a string",
        });
      }
    }
  })
  .openapi("ContentPart", {
    description:
      'A content part as in OpenAI chat completions: `{ "type": "text", "text" }`, `{ "type": "image_url", "image_url": { "url", "detail"? } }`; parts of any other type are stored and returned as sent.',
    example: { type: "text", text: "What is in this picture?" },
  });

export const MessageContentSchema = z
  .union([z.string(), z.array(ContentPartSchema).min(1).max(100), z.null()])
  .openapi({
    description: `A string, an array of 1–100 content parts, or \`null\` (only on an \`assistant\` message with \`tool_calls\`); at most 64 KiB of UTF-8 (parts: serialized). Returned exactly as sent. ${TOKENS_DOC}`,
    example: "My flight leaves Tuesday at 9.",
  });

const ToolCallSchema = z
  .looseObject({
    id: z.string().min(1).max(256).openapi({ example: "call_1" }),
    type: z.literal("function").openapi({ example: "function" }),
    function: z.looseObject({
      name: z.string().min(1).max(256).openapi({ example: "get_weather" }),
      arguments: z.string().openapi({
        description: "The arguments as the model produced them: a JSON string.",
        example: '{"city":"Lisbon"}',
      }),
    }),
  })
  .openapi("ToolCall", {
    description: "A tool call of an assistant message, as in OpenAI chat completions.",
    example: {
      id: "call_1",
      type: "function",
      function: { name: "get_weather", arguments: '{"city":"Lisbon"}' },
    },
  });

export const ToolCalls = z.array(ToolCallSchema).min(1).max(128).openapi({
  description:
    "Only on `assistant` messages: the tools the model called, kept and returned as sent. Each tool message answering one carries its `id` as `tool_call_id`.",
});

export const ToolCallId = z.string().min(1).max(256).openapi({
  description: "The `id` of the tool call this `tool` message answers.",
  example: "call_1",
});

/** Content that may not be null: every role but `assistant`. */
const TextOrParts = z.union([z.string(), z.array(ContentPartSchema).min(1).max(100)]).openapi({
  description: `A string or an array of 1–100 content parts; at most 64 KiB of UTF-8 (parts: serialized). Returned exactly as sent. ${TOKENS_DOC}`,
  example: "My flight leaves Tuesday at 9.",
});

const Name = z.string().min(1).max(128).nullable().optional().openapi({
  description:
    "Speaker name (adds one token of overhead in context accounting); null is the same as absent.",
  example: "Ana",
});

/** What every message may carry besides OpenAI's fields. */
const MessageExtras = {
  type: z.null().optional().openapi({
    description:
      "Leave out (or null): a chat message has no `type`. A message with one is a Responses API item.",
  }),
  id: Id.optional().openapi({
    description:
      "Client id; makes the message idempotent within the conversation. Re-sent with the same role and content it is a duplicate; with another role or content the whole request is 409.",
    example: "client-msg-1",
  }),
  metadata: Metadata.optional(),
  pinned: z.boolean().optional().openapi({
    description: "Pinned messages (typically the system prompt) never leave working memory.",
    example: false,
  }),
  createdAt: z.iso.datetime({ offset: true }).optional().openapi({
    description: "Kept as sent; default: the server's time.",
    example: "2026-11-28T10:00:00Z",
  }),
  providerOptions: z.record(z.string(), z.unknown()).optional().openapi({
    description:
      "Accepted and not stored: the Vercel AI SDK's per-request options (cache hints, for instance). Options on content parts are kept with the parts.",
  }),
};

/**
 * What a chat-completions response puts on the model's message besides a request's fields,
 * so `choice.message` can be appended as the SDK returns it (`asRequestMessage`).
 */
const CompletionFields = {
  refusal: z.string().max(65_536).nullable().optional().openapi({
    description:
      'As chat completions returns it: `null` is ignored; a refusal is stored as a content part `{ type: "refusal", refusal }` after the content (which may then be null), the form a request takes.',
    example: null,
  }),
  annotations: z.array(z.unknown()).max(1_000).nullable().optional().openapi({
    description:
      "Accepted and not stored: response metadata (url citations) that a request does not take. Keep citations in `metadata` to store them.",
  }),
  audio: z
    .null({ error: "only null: audio responses are not stored; send the transcript as content" })
    .optional()
    .openapi({ description: "Accepted as null and not stored." }),
  function_call: z
    .null({ error: "only null: deprecated by chat completions; send tool_calls" })
    .optional()
    .openapi({ description: "Accepted as null and not stored (deprecated; use `tool_calls`)." }),
};

const SystemMessage = z
  .object({ role: z.literal("system"), content: TextOrParts, name: Name, ...MessageExtras })
  .strict()
  .openapi("SystemMessageInput");

const DeveloperMessage = z
  .object({ role: z.literal("developer"), content: TextOrParts, name: Name, ...MessageExtras })
  .strict()
  .openapi("DeveloperMessageInput", {
    description:
      "Instructions, as OpenAI's newer models take them in place of a `system` message; stored and returned with this role.",
  });

const UserMessage = z
  .object({ role: z.literal("user"), content: TextOrParts, name: Name, ...MessageExtras })
  .strict()
  .openapi("UserMessageInput");

const AssistantMessage = z
  .object({
    role: z.literal("assistant"),
    content: MessageContentSchema,
    name: Name,
    tool_calls: ToolCalls.nullable().optional(),
    ...CompletionFields,
    ...MessageExtras,
  })
  .strict()
  .superRefine((message, ctx) => {
    if (message.content === null && !message.tool_calls && !message.refusal) {
      ctx.addIssue({
        code: "custom",
        path: ["content"],
        message: "may be null only on an assistant message with tool_calls or a refusal",
      });
    }
  })
  .openapi("AssistantMessageInput");

const ToolMessage = z
  .object({
    role: z.literal("tool"),
    content: TextOrParts,
    tool_call_id: z.string().min(1).max(256).optional().openapi({
      description:
        "The `id` of the tool call this message answers; required unless `content` is the AI SDK's `tool-result` parts, which name their calls.",
      example: "call_1",
    }),
    ...MessageExtras,
  })
  .strict()
  .superRefine((message, ctx) => {
    if (message.tool_call_id === undefined && !namesItsCalls(message.content)) {
      ctx.addIssue({
        code: "custom",
        path: ["tool_call_id"],
        message:
          "required on tool messages: the id of the tool call answered (or content of tool-result parts, each with its toolCallId)",
      });
    }
  })
  .openapi("ToolMessageInput", {
    description:
      "A tool's answer, as in OpenAI chat completions: `tool_call_id` names the call; no `name` (OpenAI rejects it on tool messages). As the Vercel AI SDK sends it, `content` may instead be `tool-result` parts, each naming its call in `toolCallId`.",
  });

/** Content of the AI SDK's `tool-result` parts only, each naming the call it answers. */
const namesItsCalls = (content: unknown) =>
  Array.isArray(content) &&
  content.every((part) => part?.type === "tool-result" && typeof part.toolCallId === "string");

/**
 * One message; its `role` decides which OpenAI fields it may carry (`tool_calls` on
 * `assistant`, `tool_call_id` on `tool`), as chat completions does.
 */
export const MessageInputSchema = z
  .discriminatedUnion("role", [
    SystemMessage,
    DeveloperMessage,
    UserMessage,
    AssistantMessage,
    ToolMessage,
  ])
  .openapi("MessageInput");

/** A chat message (no `type`) or a Responses API item (its `type` says which). */
export const AppendEntrySchema = z
  .discriminatedUnion("type", [MessageInputSchema, ResponseItemSchema])
  .openapi("AppendEntry");

export const AppendBody = z
  .object({
    messages: z
      .array(z.union([MessageInputSchema, ResponseItemSchema]))
      .min(1)
      .openapi({
        description:
          "1–100 messages, appended in order, atomically: chat messages (a `role`, no `type`) or Responses API items (a `type`), mixed as the app likes.",
      }),
  })
  .strict()
  .openapi("AppendRequest");

export const AppendResponse = z
  .object({
    messages: z.array(
      z.object({
        id: z.string().openapi({ example: "client-msg-1" }),
        seq: z.number().int().openapi({ example: 13 }),
        tokens: z.number().int().openapi({ description: TOKENS_DOC, example: 9 }),
        createdAt: z.string().openapi({ example: "2026-11-28T10:00:00Z" }),
        duplicate: z.boolean().openapi({
          description:
            "True when a message with this id (and the same role and content) already existed; nothing was appended.",
          example: false,
        }),
      }),
    ),
    conversation: ConversationCounters,
  })
  .openapi("AppendResponse");

export const StoredMessageSchema = z
  .object({
    id: z.string().openapi({ example: "client-msg-1" }),
    seq: z.number().int().openapi({ example: 13 }),
    role: Role,
    content: MessageContentSchema,
    name: z.string().nullable().openapi({ example: null }),
    tool_calls: ToolCalls.optional(),
    tool_call_id: ToolCallId.optional(),
    item: SentItemSchema.optional().openapi({
      description:
        "Present when the message was appended as a Responses API item: the item as sent. `content` is then its words (a message's text, an answer's output; empty for a call or reasoning).",
    }),
    metadata: Metadata,
    pinned: z.boolean().openapi({ example: false }),
    tokens: z.number().int().openapi({ description: TOKENS_DOC, example: 9 }),
    createdAt: z.string().openapi({ example: "2026-11-28T10:00:00Z" }),
    tier: z.enum(["working", "archived"]).openapi({
      description: "`working`: in the conversation's working memory; `archived`: moved out of it.",
      example: "working",
    }),
  })
  .openapi("Message");
