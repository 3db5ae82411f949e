import { z } from "@hono/zod-openapi";
import { idParam } from "../routes/schemas";

/**
 * Motorhead's request and answer shapes. The request schemas validate the compat routes
 * (`motorhead.ts`) and, with the answers, describe them in `/openapi.json` (`openapi.ts`).
 */

export const MotorheadSessionParams = z.object({ sessionId: idParam("sessionId", "chat-42") });

export const MotorheadKeyParams = z.object({
  apiKey: z.string().openapi({
    param: { name: "apiKey", in: "path" },
    description:
      "An edgemem API key, for stock clients that send no credentials to a self-hosted URL. Such URLs are secrets; the segment is never logged. A key in `Authorization` or `x-metal-api-key` wins over it.",
    example: "em_live_…",
  }),
});

export const MotorheadMessage = z.object({
  role: z.string().min(1).max(128).openapi({
    description:
      "`Human` and `AI` are stored as `user` and `assistant`; `system` and `tool` pass through; any other role is stored as `user` and returned as sent.",
    example: "Human",
  }),
  content: z.string().openapi({ description: "The message text.", example: "I live in Lisbon." }),
});

export const MotorheadMemoryBody = z
  .object({
    messages: z.array(MotorheadMessage).default([]).openapi({
      description: "Appended in order, atomically, with the same limits as a `/v1` append.",
    }),
    context: z.string().max(32_768).nullable().optional().openapi({
      description: "Replaces the session's summary (in the same transaction as the messages).",
      example: "The user lives in Lisbon.",
    }),
  })
  .openapi("MotorheadMemoryBody");

export const MotorheadRetrievalBody = z
  .object({
    text: z.string().min(1).max(4096).openapi({
      description: "What to look for among the session's messages (full-text search).",
      example: "where does the user live",
    }),
  })
  .openapi("MotorheadRetrievalBody");

export const MotorheadMemory = z
  .object({
    messages: z.array(MotorheadMessage).openapi({
      description:
        "Newest first: the messages still in working memory (at least 12 when there are that many).",
    }),
    context: z.string().nullable().openapi({ description: "The running summary, or null." }),
    tokens: z.number().int().openapi({ description: "Tokens in working memory.", example: 42 }),
  })
  .openapi("MotorheadMemory");

export const MotorheadStatus = z
  .object({ status: z.literal("Ok") })
  .openapi("MotorheadStatus", { description: "Motorhead's acknowledgement." });

export const MotorheadRetrievalHit = z
  .object({
    role: MotorheadMessage.shape.role,
    content: z.string(),
    dist: z.number().openapi({
      description: "A distance in (0, 1): lower is closer. Best first.",
      example: 0.12,
    }),
  })
  .openapi("MotorheadRetrievalHit");

export const MotorheadSessionsQuery = z.object({
  page: z
    .string()
    .optional()
    .openapi({
      param: { name: "page", in: "query" },
      description: "1-based page (default 1); page × size at most 10,000.",
      example: "1",
    }),
  size: z
    .string()
    .optional()
    .openapi({
      param: { name: "size", in: "query" },
      description: "Sessions per page, 1–100 (default 10).",
      example: "10",
    }),
});

export const MotorheadHealth = z
  .object({ now: z.number().openapi({ description: "Server time, ms since 1970." }) })
  .openapi("MotorheadHealth");

export const MotorheadError = z
  .object({
    error: z.string().openapi({ example: "Invalid field: messages.0.content" }),
    errors: z
      .array(z.object({ path: z.string(), message: z.string() }))
      .optional()
      .openapi({ description: "Every invalid field, with a dotted path." }),
  })
  .openapi("MotorheadError", {
    description: "Motorhead's error shape: the problem's detail as `error` (same statuses as /v1).",
  });
