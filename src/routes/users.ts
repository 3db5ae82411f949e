import { createRoute, z } from "@hono/zod-openapi";
import { directoryStub } from "../durable/directory/api";
import { eraseUser } from "../durable/users/erase";
import { exportLines } from "../durable/users/export";
import { ApiError, COMMON_ERRORS, errorResponses } from "../http/errors";
import { listCursor, readListCursor } from "../http/list-cursor";
import { json, newRouter, security } from "../http/router";
import { UserParams } from "./memory-schemas";
import { CursorQuery, Id, limitQuery } from "./schemas";

const TAGS = ["Users"];

const UserSummary = z
  .object({
    id: Id.openapi({ example: "user-123" }),
    conversations: z
      .number()
      .int()
      .openapi({ description: "Conversations this user owns.", example: 3 }),
    memories: z.number().int().openapi({
      description: "Memories scoped to this user (`userId`), as of the last write to them.",
      example: 17,
    }),
    lastActiveAt: z.string().openapi({
      description:
        "When a conversation last got this user as owner, or a memory of this user was last created or erased (appends and edits do not count).",
      example: "2026-11-28T10:00:00.000Z",
    }),
  })
  .openapi("UserSummary");

const listUsersRoute = createRoute({
  method: "get",
  path: "/v1/users",
  tags: TAGS,
  security,
  summary: "List the tenant's users, most recently active first",
  description:
    "Every user id that owns a conversation or a memory. A user active between two page requests moves to the top and may be skipped by, or seen twice across, those pages.",
  request: { query: z.object({ limit: limitQuery(100, 20), cursor: CursorQuery }) },
  responses: {
    200: {
      description: "A page of users.",
      content: json(
        z.object({
          users: z.array(UserSummary),
          nextCursor: z.string().nullable().openapi({ example: null }),
        }),
      ),
    },
    ...errorResponses(...COMMON_ERRORS),
  },
});

/** Binds a cursor to this listing, so one from another list is a 400. */
const USERS_LISTING = { l: "users" };

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
    'One JSON object a line, streamed: each conversation (`{"type":"conversation", …Conversation}`) followed by its messages (`{"type":"message", "conversationId", …Message}`, in `seq` order) and the memories scoped to it, then the user\'s own memories (`{"type":"memory", …Memory}`). A memory appears once. If part of it cannot be read right now (an archived segment KV has not propagated to this location yet), the answer is 503 when that is known before the stream starts; later the stream ends with an error instead of its last lines, never as if complete.',
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
    ...errorResponses(...COMMON_ERRORS, "unavailable"),
  },
});

export function userRoutes() {
  const app = newRouter();

  app.openapi(listUsersRoute, async (c) => {
    const { limit, cursor } = c.req.valid("query");
    const tenant = c.get("tenant");
    const page = await directoryStub(c.env, tenant).listUsers({
      tenant,
      limit,
      after: readListCursor(cursor, USERS_LISTING),
    });
    return c.json({ users: page.users, nextCursor: listCursor(page.next, USERS_LISTING) }, 200);
  });

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
    const logFailure = (error: unknown) =>
      console.error(JSON.stringify({ event: "export_failed", requestId, error: String(error) }));
    // The first lines are read before the 200 goes out, so a failure there is a clean 503;
    // later, once the status is sent, the stream ends with an error, never as if complete.
    let first: IteratorResult<string>;
    try {
      first = await lines.next();
    } catch (error) {
      logFailure(error);
      throw new ApiError(
        "unavailable",
        "The export cannot be read completely right now; retry shortly",
      );
    }
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        if (first.done) controller.close();
        else controller.enqueue(encoder.encode(first.value));
      },
      async pull(controller) {
        try {
          const { value, done } = await lines.next();
          if (done) controller.close();
          else controller.enqueue(encoder.encode(value));
        } catch (error) {
          logFailure(error);
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
