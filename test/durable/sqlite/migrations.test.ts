import { runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { CONVERSATION_MIGRATIONS } from "../../../src/durable/conversation/schema";
import { applyMigrations, hasTable } from "../../../src/durable/sqlite/migrations";
import { conversations } from "../../helpers/conversation-object";

const scratch = (name: string) => conversations().get(conversations().idFromName(`test/${name}`));

describe("SQL migrations", () => {
  it("upgrade an old schema in order, keep its data, and never run twice", async () => {
    await runInDurableObject(scratch("upgrade"), (_instance, state) => {
      const sql = state.storage.sql;
      const v1 = {
        id: 1,
        description: "notes",
        sql: "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)",
      };
      const v2 = { id: 2, description: "notes.tag", sql: "ALTER TABLE notes ADD COLUMN tag TEXT" };
      expect(applyMigrations(sql, [v1])).toBe(1);
      sql.exec("INSERT INTO notes (body) VALUES ('kept')");
      // Listed out of order on purpose: they still apply by id.
      expect(applyMigrations(sql, [v2, v1])).toBe(1);
      expect(applyMigrations(sql, [v1, v2])).toBe(0);
      expect(sql.exec("SELECT body, tag FROM notes").toArray()).toEqual([
        { body: "kept", tag: null },
      ]);
      expect(sql.exec("SELECT id FROM _migrations ORDER BY id").toArray()).toEqual([
        { id: 1 },
        { id: 2 },
      ]);
    });
  });

  it("the conversation schema's ids are unique and increasing", () => {
    const ids = CONVERSATION_MIGRATIONS.map((m) => m.id);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("a conversation that was only read has no schema and no storage", async () => {
    const stub = scratch("never-written");
    expect(await stub.describe()).toMatchObject({ ok: false, error: { code: "not_found" } });
    await runInDurableObject(stub, (_instance, state) => {
      expect(hasTable(state.storage.sql, "messages")).toBe(false);
      expect(state.storage.sql.databaseSize).toBeLessThan(16_384);
    });
  });

  it("deleting a conversation drops its tables; the object works again afterwards", async () => {
    const stub = scratch("erase-and-reuse");
    const ref = { tenant: "t", conversationId: "erase-and-reuse" };
    await stub.append({ ...ref, messages: [{ role: "user", content: "x" }] });
    expect((await stub.erase()).ok).toBe(true);
    await runInDurableObject(stub, (_instance, state) => {
      expect(hasTable(state.storage.sql, "messages")).toBe(false);
    });
    const again = await stub.append({ ...ref, messages: [{ role: "user", content: "y" }] });
    expect(again.value?.messages[0]?.seq).toBe(1);
  });
});
