import { z } from "@hono/zod-openapi";
import { SUMMARY_STRATEGIES } from "../memory/conversation";
import { TOKENIZERS } from "../memory/tokens";

export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:@-]*$/;

/** The identifier syntax of API.md: no "/", so no id can reach outside its tenant's prefix. */
export const Id = z
  .string()
  .min(1)
  .max(128)
  .regex(ID_PATTERN, "must match ^[A-Za-z0-9][A-Za-z0-9._:@-]*$ (1–128 characters)");

export const idParam = (name: string, example: string) =>
  Id.openapi({
    param: { name, in: "path" },
    description: `1–128 characters matching \`${ID_PATTERN.source}\``,
    example,
  });

export const ConversationParams = z.object({
  conversationId: idParam("conversationId", "support-chat-42"),
});

export const Metadata = z.record(z.string(), z.unknown()).openapi({
  description: "Free-form JSON object, at most 4 KiB serialized and 8 levels deep.",
  example: { channel: "web" },
});

export const Tokenizer = z.enum(TOKENIZERS).openapi({
  description:
    "How tokens are counted: `o200k_base` (GPT-4o and later, default), `cl100k_base` (GPT-4, GPT-3.5), or `approx` (about 4 bytes a token, cheapest).",
  example: "o200k_base",
});

export const ConversationSettingsBody = z
  .object({
    userId: Id.nullable().optional().openapi({
      description: "Owner. Set once; a different value later is 409.",
      example: "user-123",
    }),
    agentId: Id.nullable().optional().openapi({ description: "Agent.", example: "support-bot" }),
    metadata: Metadata.optional(),
    tokenizer: Tokenizer.optional(),
    workingTokens: z.number().int().min(256).max(1_000_000).optional().openapi({
      description:
        "Working-memory budget in tokens (default 4000). When exceeded, the oldest unpinned messages move to long-term storage until the working set is back under 75% of it.",
      example: 4000,
    }),
    ttlSeconds: z.number().int().min(60).max(31_536_000).nullable().optional().openapi({
      description:
        "Idle time after which working memory is flushed to long-term storage (default 604800; at most 31536000, a year); null: never.",
      example: 604800,
    }),
    summary: z
      .object({
        strategy: z.enum(SUMMARY_STRATEGIES).optional().openapi({
          description:
            "How the running summary of messages that left working memory is kept: `auto` (default) uses the deployment's model summarizer when one is configured, else `extractive` (picks the most informative sentences, no model); `model` asks for the model; `off` keeps only text you set.",
          example: "auto",
        }),
        maxTokens: z.number().int().min(16).max(8000).optional().openapi({
          description: "Size limit of the summary in tokens (default 400).",
          example: 400,
        }),
        text: z.string().max(32_768).nullable().optional().openapi({
          description:
            "Sets the summary text yourself; it then stands for every message archived so far, and later spills extend it. null clears it.",
          example: "Ana is planning a trip to Lisbon in March.",
        }),
      })
      .strict()
      .optional(),
  })
  .strict()
  .openapi("ConversationSettings");

export const ConversationSchema = z
  .object({
    id: Id.openapi({ example: "support-chat-42" }),
    userId: Id.nullable().openapi({ example: "user-123" }),
    agentId: Id.nullable().openapi({ example: null }),
    metadata: Metadata,
    tokenizer: Tokenizer,
    workingTokens: z.number().int().openapi({ example: 4000 }),
    ttlSeconds: z.number().int().nullable().openapi({ example: 604800 }),
    stats: z.object({
      workingMessages: z.number().int().openapi({ example: 12 }),
      workingTokenCount: z.number().int().openapi({
        description: "Content tokens of the messages in working memory (no per-message overhead).",
        example: 1830,
      }),
      archivedMessages: z.number().int().openapi({ example: 240 }),
      totalMessages: z.number().int().openapi({ example: 252 }),
      summaryTokens: z.number().int().openapi({ example: 0 }),
    }),
    summary: z.object({
      strategy: z.enum(SUMMARY_STRATEGIES).openapi({ example: "auto" }),
      maxTokens: z.number().int().openapi({ example: 400 }),
      text: z.string().nullable().openapi({
        description: "The running summary of the messages that left working memory.",
        example: "user: My flight to Lisbon leaves Tuesday at 9.",
      }),
      updatedAt: z.string().nullable().openapi({ example: "2026-11-28T10:05:00.000Z" }),
    }),
    createdAt: z.string().openapi({ example: "2026-11-28T10:00:00.000Z" }),
    updatedAt: z.string().openapi({ example: "2026-11-28T10:05:00.000Z" }),
    lastMessageAt: z.string().nullable().openapi({ example: "2026-11-28T10:05:00.000Z" }),
    version: z.number().int().openapi({
      description: "Increases with every change of settings or messages.",
      example: 7,
    }),
  })
  .openapi("Conversation");

export const Role = z
  .enum(["system", "developer", "user", "assistant", "tool"])
  .openapi({ example: "user" });

export const IdempotencyHeaders = z.object({
  "idempotency-key": z
    .string()
    .min(1)
    .max(255)
    .regex(/^[\x21-\x7e]+$/, "must be 1–255 printable ASCII characters")
    .optional()
    .openapi({
      param: { name: "idempotency-key", in: "header" },
      description:
        "A retried request with the same key returns the first response and appends nothing (kept at least 24 h; the same key with another body is 409).",
      example: "3f1c2a9e-append-7",
    }),
});

/** A query-string integer: `lots` is "expected an integer", not zod's "received NaN". */
export const queryInteger = () =>
  z.coerce.number({ error: "expected an integer" }).int({ error: "expected an integer" });

export const limitQuery = (max: number, fallback: number) =>
  queryInteger()
    .min(1)
    .max(max)
    .default(fallback)
    .openapi({ description: `Page size, 1–${max} (default ${fallback}).`, example: fallback });

export const CursorQuery = z.string().min(1).max(512).optional().openapi({
  description: "The `nextCursor` of the previous page.",
});

/** A conversation's counters after a write. */
export const ConversationCounters = z.object({
  workingMessages: z.number().int().openapi({ example: 13 }),
  workingTokenCount: z.number().int().openapi({ example: 1839 }),
  archivedMessages: z.number().int().openapi({ example: 0 }),
  version: z.number().int().openapi({ example: 8 }),
});

export const RewindBody = z
  .object({
    afterSeq: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).openapi({
      description:
        "Keep messages up to this `seq`; remove every later one. At or past the last `seq`, nothing is removed.",
      example: 12,
    }),
  })
  .strict()
  .openapi("RewindRequest");

export const RewindResponse = z
  .object({
    removed: z.number().int().openapi({ description: "Messages removed.", example: 2 }),
    conversation: ConversationCounters,
  })
  .openapi("RewindResponse");
