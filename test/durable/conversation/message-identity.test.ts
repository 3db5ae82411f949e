import { runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { CONVERSATION_MIGRATIONS } from "../../../src/durable/conversation/schema";
import { applyMigrations } from "../../../src/durable/sqlite/migrations";
import { conversations } from "../../helpers/conversation-object";

const scratch = (name: string) => conversations().get(conversations().idFromName(`test/${name}`));

describe("message identities across the schema 6 migration", () => {
  it("keeps older messages readable without the new fields, and their ids as duplicates", async () => {
    const stub = scratch("identity-upgrade");
    const ref = { tenant: "t", conversationId: "identity-upgrade" };
    await runInDurableObject(stub, (_instance, state) => {
      const sql = state.storage.sql;
      applyMigrations(
        sql,
        CONVERSATION_MIGRATIONS.filter((m) => m.id <= 5),
      );
      sql.exec(
        `INSERT INTO conversation (singleton, tenant, id, tokenizer, working_budget, created_at, updated_at, next_seq, working_tokens, working_messages)
         VALUES (1, 't', 'identity-upgrade', 'approx', 4000, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', 2, 1, 1)`,
      );
      sql.exec(
        "INSERT INTO messages (seq, id, role, content, tokens, created_at) VALUES (1, 'old', 'user', 'hi', 1, '2026-01-01T00:00:00Z')",
      );
      sql.exec(
        "INSERT INTO message_ids (id, seq, tokens, created_at) VALUES ('old', 1, 1, '2026-01-01T00:00:00Z')",
      );
    });
    // A fresh instance finds the old schema and upgrades it.
    const again = await stub.append({
      ...ref,
      messages: [
        { role: "user", content: "changed", id: "old" },
        { role: "user", content: "new", id: "new" },
      ],
    });
    expect(again.ok && again.value.messages.map((m) => [m.seq, m.duplicate])).toEqual([
      [1, true],
      [2, false],
    ]);
    const conflict = await stub.append({
      ...ref,
      messages: [{ role: "user", content: "changed", id: "new" }],
    });
    expect(conflict).toMatchObject({
      ok: false,
      error: { code: "conflict", path: "messages.0.id" },
    });
    // The RPC stub's mapped types lose this result's shape; it is plain data.
    const page = (await stub.readMessages({ order: "asc", limit: 10 })) as unknown as {
      value?: { messages: unknown[] };
    };
    expect(page.value?.messages[0]).toEqual({
      id: "old",
      seq: 1,
      role: "user",
      content: "hi",
      name: null,
      metadata: {},
      pinned: false,
      tokens: 1,
      createdAt: "2026-01-01T00:00:00Z",
      tier: "working",
    });
  });
});
