// Where an edgemem append spends its time: the same code cut into layers, served side by side
// so the differences between their throughputs are the costs of the layers.
//   /v1/conversations/{id}/messages   edgemem's whole HTTP app (createApp: every middleware,
//                                     zod validation, the route) in front of InsertOnlyConversation,
//                                     a Durable Object that does only the baseline's one INSERT
//   POST /do-append/{id}              a bare fetch handler in front of edgemem's real
//                                     ConversationMemory.append (tokenizer, transaction, spill, alarm)
//   POST /do-configure/{id}           ConversationMemory.configure with the JSON body (tokenizer)
// Built with `wrangler deploy --dry-run` like the others, from bench/breakdown/wrangler.toml.
import { DurableObject } from "cloudflare:workers";
import { createApp } from "../../src/app";

export { ConversationMemory } from "../../src/durable/conversation/conversation-memory";
export { TenantDirectory } from "../../src/durable/directory/tenant-directory";

/** Answers edgemem's `append` RPC with one INSERT per message and a receipt of the same shape. */
export class InsertOnlyConversation extends DurableObject {
  constructor(ctx, env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    this.sql.exec(
      `CREATE TABLE IF NOT EXISTS messages (
         seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, role TEXT NOT NULL,
         content TEXT NOT NULL, created_at TEXT NOT NULL)`,
    );
  }

  async append(input) {
    return this.ctx.storage.transactionSync(() => {
      const createdAt = new Date().toISOString();
      const messages = input.messages.map((message) => {
        const id = message.id ?? crypto.randomUUID();
        const { seq } = this.sql
          .exec(
            "INSERT INTO messages (id, role, content, created_at) VALUES (?, ?, ?, ?) RETURNING seq",
            id,
            message.role,
            message.content,
            createdAt,
          )
          .one();
        return { id, seq, tokens: 0, createdAt, duplicate: false };
      });
      const conversation = { workingMessages: 0, workingTokenCount: 0, archivedMessages: 0 };
      return { ok: true, value: { messages, conversation: { ...conversation, version: 1 } } };
    });
  }
}

const app = createApp();
const TENANT = "breakdown";

export default {
  async fetch(request, env, ctx) {
    const url = new URL(request.url);
    const [, route, id] = url.pathname.split("/");
    if (route === "v1") {
      return app.fetch(request, { ...env, CONVERSATIONS: env.INSERT_ONLY }, ctx);
    }
    if ((route === "do-append" || route === "do-configure") && id && request.method === "POST") {
      const body = await request.json();
      const stub = env.CONVERSATIONS.get(env.CONVERSATIONS.idFromName(`t/${TENANT}/conv/${id}`));
      const ref = { tenant: TENANT, conversationId: id };
      const result =
        route === "do-append"
          ? await stub.append({
              ...ref,
              messages: body.messages,
              idempotencyKey: request.headers.get("idempotency-key") ?? undefined,
              requestHash: request.headers.get("idempotency-key") ? "h" : undefined,
            })
          : await stub.configure(ref, body);
      return Response.json(result, { status: result.ok ? 201 : 400 });
    }
    return new Response("not found", { status: 404 });
  },
};
