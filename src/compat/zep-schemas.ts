import { z } from "@hono/zod-openapi";
import { Id, idParam } from "../routes/schemas";

/**
 * Zep v0's request and answer shapes. The request schemas validate the compat routes
 * (`zep.ts`) and, with the answers, describe them in `/openapi.json` (`openapi.ts`).
 * Zep clients send back whatever they were given (uuid, token_count, role_type …), so
 * request objects accept unknown fields.
 */

const JsonObject = z.record(z.string(), z.unknown()).openapi({
  description: "Free-form JSON object, at most 4 KiB serialized and 8 levels deep.",
  example: { topic: "travel" },
});

export const ZepSessionParams = z.object({ sessionId: idParam("sessionId", "chat-42") });

export const ZepMessageInput = z
  .looseObject({
    role: z.string().min(1).max(128).openapi({
      description:
        "`Human` and `AI` are stored as `user` and `assistant`; any other role is stored as `user` (or as `role_type` says) and returned as sent.",
      example: "Human",
    }),
    content: z.string().openapi({ example: "I live in Lisbon." }),
    role_type: z.string().optional().openapi({
      description: "The chat role an unknown `role` plays (`user`, `assistant`, `system`, `tool`).",
    }),
    metadata: JsonObject.nullable().optional(),
    uuid: z.string().optional().openapi({
      description: "Makes the message idempotent when it follows the identifier syntax.",
    }),
    created_at: z.string().optional().openapi({
      description: "ISO 8601 time; kept when valid, else the server's time.",
    }),
  })
  .openapi("ZepMessageInput");

export const ZepMemoryBody = z
  .looseObject({
    messages: z.array(ZepMessageInput).nullable().optional().openapi({
      description: "Appended in order, atomically, with the same limits as a `/v1` append.",
    }),
    metadata: JsonObject.nullable().optional().openapi({
      description: "Merged into the session's metadata.",
    }),
    summary: z
      .looseObject({ content: z.string().max(32_768) })
      .nullable()
      .optional()
      .openapi({ description: "Replaces the session's summary." }),
  })
  .openapi("ZepMemoryBody");

export const ZepSearchBody = z
  .looseObject({
    text: z.string().max(4096).optional().openapi({
      description: "What to look for among the session's messages; none: no results.",
      example: "where does the user live",
    }),
  })
  .openapi("ZepSearchBody");

export const ZepSessionBody = z
  .looseObject({
    session_id: Id.openapi({ example: "chat-42" }),
    metadata: JsonObject.nullable().optional(),
    user_id: Id.nullable().optional().openapi({ description: "Owner; set once.", example: "u-1" }),
  })
  .openapi("ZepSessionBody");

export const ZepLastnQuery = z.object({
  lastn: z
    .string()
    .optional()
    .openapi({
      param: { name: "lastn", in: "query" },
      description: "Only the newest n messages (1–500), still oldest first.",
      example: "10",
    }),
});

export const ZepSearchQuery = z.object({
  limit: z
    .string()
    .optional()
    .openapi({
      param: { name: "limit", in: "query" },
      description: "At most this many results (1–100, default 10).",
      example: "5",
    }),
});

export const ZepMessage = z
  .object({
    uuid: z.string(),
    created_at: z.string(),
    role: z.string().openapi({ example: "Human" }),
    role_type: z.string().openapi({ example: "user" }),
    content: z.string(),
    metadata: JsonObject,
    token_count: z.number().int(),
  })
  .openapi("ZepMessage");

export const ZepSummary = z
  .object({
    uuid: z.string(),
    created_at: z.string(),
    content: z.string(),
    token_count: z.number().int(),
  })
  .openapi("ZepSummary");

export const ZepMemory = z
  .object({
    messages: z.array(ZepMessage).openapi({ description: "Oldest first." }),
    summary: ZepSummary.nullable(),
    metadata: JsonObject,
  })
  .openapi("ZepMemory");

export const ZepSearchHit = z
  .object({
    message: ZepMessage,
    summary: z.null(),
    metadata: JsonObject,
    dist: z.number().openapi({ description: "A similarity in (0, 1): higher is closer." }),
  })
  .openapi("ZepSearchHit");

export const ZepSession = z
  .object({
    uuid: z.string(),
    session_id: z.string(),
    created_at: z.string(),
    updated_at: z.string(),
    metadata: JsonObject,
    user_id: z.string().nullable(),
  })
  .openapi("ZepSession");
