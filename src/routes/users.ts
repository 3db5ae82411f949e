import { createRoute, z } from "@hono/zod-openapi";
import { eraseUser } from "../durable/users/erase";
import { exportLines } from "../durable/users/export";
import { COMMON_ERRORS, errorResponses } from "../http/errors";
import { newRouter, security } from "../http/router";
import { UserParams } from "./memory-schemas";

const TAGS = ["Users"];

const eraseUserRoute = createRoute({
  method: "delete",
  path: "/v1/users/{userId}",
  tags: TAGS,
  security,
  summary: "Erase everything stored about a user",
  description:
    "Removes every memory with this `userId`, every conversation with this `userId` (working memory, archive, indexes) and the memories scoped to those conversations. Idempotent: an unknown user gives zeros, and an interrupted erase finishes when retried.",
  request: { params: UserParams },
  responses: {
    200: {
      description: "What was removed.",
      content: {
        "application/json": {
          schema: z
            .object({
              deleted: z.object({
                conversations: z.number().int().openapi({ example: 3 }),
                messages: z.number().int().openapi({ example: 412 }),
                memories: z.number().int().openapi({ example: 17 }),
              }),
            })
            .openapi("UserErasure"),
        },
      },
    },
    ...errorResponses(...COMMON_ERRORS),
  },
});

const exportUserRoute = createRoute({
  method: "get",
  path: "/v1/users/{userId}/export",
  tags: TAGS,
  security,
  summary: "Export everything stored about a user, as NDJSON",
  description:
    'One JSON object a line, streamed: each conversation (`{"type":"conversation", …Conversation}`) followed by its messages (`{"type":"message", "conversationId", …Message}`, in `seq` order) and the memories scoped to it, then the user\'s own memories (`{"type":"memory", …Memory}`). A memory appears once.',
  request: { params: UserParams },
  responses: {
    200: {
      description: "NDJSON stream.",
      content: {
        "application/x-ndjson": {
          schema: z.string().openapi({
            example: '{"type":"memory","id":"pref-seat-window","text":"Prefers a window seat."}\n',
          }),
        },
      },
    },
    ...errorResponses(...COMMON_ERRORS),
  },
});

export function userRoutes() {
  const app = newRouter();

  app.openapi(eraseUserRoute, async (c) => {
    const { userId } = c.req.valid("param");
    const deleted = await eraseUser(c.env, c.get("tenant"), userId);
    return c.json({ deleted }, 200);
  });

  app.openapi(exportUserRoute, async (c) => {
    const { userId } = c.req.valid("param");
    const lines = exportLines(c.env, c.get("tenant"), userId);
    const encoder = new TextEncoder();
    const requestId = c.get("requestId");
    const stream = new ReadableStream<Uint8Array>({
      async pull(controller) {
        try {
          const { value, done } = await lines.next();
          if (done) controller.close();
          else controller.enqueue(encoder.encode(value));
        } catch (error) {
          console.error(
            JSON.stringify({ event: "export_failed", requestId, error: String(error) }),
          );
          controller.error(new Error("export interrupted"));
        }
      },
      async cancel() {
        await lines.return(undefined);
      },
    });
    // zod-openapi types "application/x-ndjson" as JSON-like-but-not-JSON (never); it is a stream.
    return new Response(stream, {
      status: 200,
      headers: { "content-type": "application/x-ndjson; charset=utf-8" },
    }) as never;
  });

  return app;
}
