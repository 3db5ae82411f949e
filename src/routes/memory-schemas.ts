import { z } from "@hono/zod-openapi";
import { Id, idParam, Metadata } from "./schemas";
import { SearchModeField } from "./search-mode-schemas";

/** Schemas of the long-term memory and user routes. */

export const MemoryParams = z.object({
  id: idParam("id", "pref-seat-window"),
});

export const UserParams = z.object({
  userId: idParam("userId", "user-123"),
});

const MemoryText = z.string().min(1).openapi({
  description: "What to remember, at most 16 KiB of UTF-8.",
  example: "Prefers a window seat on long flights.",
});

const MemoryTtl = z.number().int().min(60).max(31_536_000).openapi({
  description: "Seconds from now until the memory expires (minimum 60, at most 31536000: a year).",
  example: 2592000,
});

/** The fields of a new memory, as `POST /v1/memories` and each item of a batch take them. */
const newMemoryFields = {
  text: MemoryText,
  userId: Id.optional().openapi({ description: "User scope.", example: "user-123" }),
  agentId: Id.optional().openapi({ description: "Agent scope.", example: "travel-bot" }),
  conversationId: Id.optional().openapi({
    description: "Conversation scope.",
    example: "support-chat-42",
  }),
  metadata: Metadata.optional(),
  ttlSeconds: MemoryTtl.nullable().optional(),
};

export const CreateMemoryBody = z
  .object({
    ...newMemoryFields,
    id: Id.optional().openapi({
      description: "Client id; default: a new UUID. An id that exists is 409.",
      example: "pref-seat-window",
    }),
  })
  .strict()
  .openapi("MemoryCreate");

/** The most memories one batch may create. */
export const MEMORIES_PER_BATCH = 100;

const ImportMemoryItem = z
  .object({
    ...newMemoryFields,
    id: Id.optional().openapi({
      description:
        "Client id; default: a new UUID. Give ids to make the batch safe to retry: an id that exists with the same content is a duplicate (returned, not created again); with other content the batch is 409.",
      example: "pref-seat-window",
    }),
  })
  .strict()
  .openapi("MemoryImportItem");

export const CreateMemoriesBody = z
  .object({
    memories: z
      .array(ImportMemoryItem)
      .min(1)
      .max(MEMORIES_PER_BATCH)
      .openapi({ description: "1–100 memories, each as for `POST /v1/memories`." }),
  })
  .strict()
  .openapi("MemoryBatch");

export const PatchMemoryBody = z
  .object({
    text: MemoryText.optional(),
    metadata: Metadata.optional(),
    ttlSeconds: MemoryTtl.nullable().optional().openapi({
      description:
        "Seconds from now until the memory expires (minimum 60, at most a year); null clears the TTL.",
    }),
  })
  .strict()
  .openapi("MemoryPatch");

export const IfMatchHeaders = z.object({
  "if-match": z
    .string()
    .regex(/^\s*(?:W\/)?("?)\d{1,15}\1\s*$/, 'must be a version number, as 3 or "3"')
    .optional()
    .openapi({
      param: { name: "if-match", in: "header" },
      description: "Apply the change only if the current version is this one (else 412).",
      example: '"3"',
    }),
});

export const MemorySchema = z
  .object({
    id: Id.openapi({ example: "pref-seat-window" }),
    text: z.string().openapi({ example: "Prefers a window seat on long flights." }),
    userId: Id.nullable().openapi({ example: "user-123" }),
    agentId: Id.nullable().openapi({ example: null }),
    conversationId: Id.nullable().openapi({ example: null }),
    metadata: Metadata,
    createdAt: z.string().openapi({ example: "2026-11-28T10:00:00.000Z" }),
    updatedAt: z.string().openapi({ example: "2026-11-28T10:00:00.000Z" }),
    expiresAt: z.string().nullable().openapi({
      description: "When the memory disappears, or null for never.",
      example: null,
    }),
    version: z.number().int().openapi({ description: "1, then +1 per change.", example: 1 }),
  })
  .openapi("Memory");

const scopeField = (kind: string, example: string) =>
  Id.optional().openapi({ description: `Only memories of this ${kind}.`, example });

/** At least one is required; several narrow to memories carrying every one of them. */
export const MemoryScopeFields = {
  userId: scopeField("user", "user-123"),
  agentId: scopeField("agent", "travel-bot"),
  conversationId: scopeField("conversation", "support-chat-42"),
};

export const MetadataFilterSchema = z
  .record(z.string().min(1).max(256), z.union([z.string(), z.number(), z.boolean(), z.null()]))
  .openapi({
    description:
      "Equality on top-level metadata keys (JSON scalars); a memory must match every key.",
    example: { topic: "travel" },
  });

export const SearchMemoriesBody = z
  .object({
    query: z.string().min(1).max(4096).openapi({
      description:
        "Free text. Any word may match (OR); words are stemmed (English Porter), Chinese, Japanese and Korean match by character pairs, Thai, Lao, Khmer and Burmese by the words a dictionary finds (a query word no memory holds, by the indexed words it is made of), Arabic and Hebrew with or without vowel points.",
      example: "which seat does she like when flying",
    }),
    ...MemoryScopeFields,
    limit: z.number().int().min(1).max(100).default(10).openapi({
      description: "At most this many results, 1–100 (default 10).",
      example: 10,
    }),
    filter: z
      .object({ metadata: MetadataFilterSchema.optional() })
      .strict()
      .optional()
      .openapi({ description: "Only memories matching these filters." }),
    mode: SearchModeField,
  })
  .strict()
  .openapi("MemorySearch");

export const ImportedMemorySchema = z
  .object({
    ...MemorySchema.shape,
    duplicate: z.boolean().openapi({
      description:
        "True when the id existed with the same content (a retried batch): this is the stored memory, current version, unchanged.",
      example: false,
    }),
  })
  .openapi("ImportedMemory");
