import { createRoute, z } from "@hono/zod-openapi";
import { conversationStub } from "../durable/conversation/api";
import { directoryStub } from "../durable/directory/api";
import { memoryIndexStub } from "../durable/memories/api";
import { eraseScopeMemories } from "../durable/memories/erase";
import type { Env } from "../env";
import { COMMON_ERRORS, errorResponses } from "../http/errors";
import { newRouter, security } from "../http/router";
import { UserParams } from "./memory-schemas";

const TAGS = ["Users"];

const eraseUser = createRoute({
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

const exportUser = createRoute({
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

const PAGE = 100;
const MESSAGE_PAGE = 500;

/** Pages through the user's conversations in the tenant directory, most recent first. */
async function* userConversations(env: Env, tenant: string, userId: string) {
  let after: { createdAt: string; id: string } | undefined;
  do {
    const page = await directoryStub(env, tenant).list({ userId, limit: PAGE, after });
    yield* page.ids;
    after = page.next ?? undefined;
  } while (after);
}

const ndjson = (objects: object[]) => objects.map((o) => `${JSON.stringify(o)}\n`).join("");

/** The export, a page of lines at a time, so no more than a page is ever held. */
async function* exportLines(env: Env, tenant: string, userId: string): AsyncGenerator<string> {
  for await (const conversationId of userConversations(env, tenant, userId)) {
    const conversation = await conversationStub(env, tenant, conversationId).describe();
    if (!conversation.ok) continue;
    yield ndjson([{ type: "conversation", ...conversation.value }]);
    let after: number | undefined;
    do {
      const page = await conversationStub(env, tenant, conversationId).readMessages({
        order: "asc",
        limit: MESSAGE_PAGE,
        after,
      });
      if (!page.ok) break;
      yield ndjson(page.value.messages.map((m) => ({ type: "message", conversationId, ...m })));
      after = page.value.nextAfter ?? undefined;
    } while (after !== undefined);
    // The user's own memories come below; those scoped to both are not repeated.
    yield* memoryLines(env, tenant, { kind: "conversation", id: conversationId }, userId);
  }
  yield* memoryLines(env, tenant, { kind: "user", id: userId });
}

async function* memoryLines(
  env: Env,
  tenant: string,
  scope: { kind: "user" | "conversation"; id: string },
  skipUserId?: string,
): AsyncGenerator<string> {
  let after: { createdAt: string; id: string } | undefined;
  do {
    const page = await memoryIndexStub(env, tenant, scope).list({ scope: {}, limit: PAGE, after });
    const memories = page.memories.filter(
      (m) => skipUserId === undefined || m.userId !== skipUserId,
    );
    if (memories.length > 0) yield ndjson(memories.map((m) => ({ type: "memory", ...m })));
    after = page.next ?? undefined;
  } while (after);
}

export function userRoutes() {
  const app = newRouter();

  app.openapi(eraseUser, async (c) => {
    const { userId } = c.req.valid("param");
    const tenant = c.get("tenant");
    const deleted = { conversations: 0, messages: 0, memories: 0 };
    for await (const conversationId of userConversations(c.env, tenant, userId)) {
      // The conversation's erase removes the memories scoped to it before its own storage.
      const receipt = await conversationStub(c.env, tenant, conversationId).erase();
      if (!receipt.ok) continue;
      deleted.conversations++;
      deleted.messages += receipt.value.messages;
      deleted.memories += receipt.value.memories;
    }
    deleted.memories += await eraseScopeMemories(c.env, tenant, { kind: "user", id: userId });
    return c.json({ deleted }, 200);
  });

  app.openapi(exportUser, async (c) => {
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
