import type { Env } from "../../env";
import { asSent } from "../../memory/conversation";
import { conversationStub } from "../conversation/api";
import { memoryIndexStub } from "../memories/api";
import type { PagePosition } from "../sqlite/keyset-page";
import { userConversations } from "./conversations";

const MEMORY_PAGE = 100;
const MESSAGE_PAGE = 500;

/** The export cannot be completed now; the route ends the stream with an error. */
export class ExportIncomplete extends Error {
  constructor(conversationId: string, code: string) {
    super(`conversation ${conversationId} could not be read (${code})`);
    this.name = "ExportIncomplete";
  }
}

const ndjson = (objects: object[]) => objects.map((o) => `${JSON.stringify(o)}\n`).join("");

/**
 * Everything stored about a user as NDJSON, a page of lines at a time, so no more than
 * a page is ever held: each conversation, its messages in seq order and the memories
 * scoped to it, then the user's own memories (a memory of both scopes appears once).
 */
export async function* exportLines(
  env: Env,
  tenant: string,
  userId: string,
): AsyncGenerator<string> {
  for await (const conversationId of userConversations(env, tenant, userId)) {
    const conversation = await conversationStub(env, tenant, conversationId).describe();
    if (!conversation.ok) {
      // Erased since it was listed: nothing of it to export.
      if (conversation.error.code === "not_found") continue;
      throw new ExportIncomplete(conversationId, conversation.error.code);
    }
    yield ndjson([{ type: "conversation", ...conversation.value }]);
    let after: number | undefined;
    do {
      const page = await conversationStub(env, tenant, conversationId).readMessages({
        order: "asc",
        limit: MESSAGE_PAGE,
        after,
      });
      if (!page.ok) {
        if (page.error.code === "not_found") break;
        // A page that cannot be read now (a segment KV has not propagated yet): the export
        // must fail, never end as if complete without those messages.
        throw new ExportIncomplete(conversationId, page.error.code);
      }
      yield ndjson(
        page.value.messages.map((m) => ({ type: "message", conversationId, ...asSent(m) })),
      );
      after = page.value.nextAfter ?? undefined;
    } while (after !== undefined);
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
  let after: PagePosition | undefined;
  do {
    const page = await memoryIndexStub(env, tenant, scope).list({
      scope: {},
      limit: MEMORY_PAGE,
      after,
    });
    const memories = page.memories.filter(
      (m) => skipUserId === undefined || m.userId !== skipUserId,
    );
    if (memories.length > 0) yield ndjson(memories.map((m) => ({ type: "memory", ...m })));
    after = page.next ?? undefined;
  } while (after);
}
