import { env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { memoryRecordObjectName } from "../../../src/durable/memories/api";
import { MemoryRecord } from "../../../src/durable/memories/memory-record";
import { RECORD_MIGRATIONS } from "../../../src/durable/memories/record-schema";
import { applyMigrations, hasTable } from "../../../src/durable/sqlite/migrations";
import type { Env } from "../../../src/env";
import { newMemory } from "../../../src/memory/memories";
import { call, freshId } from "../../helpers/http";

const recordOf = (id: string) =>
  (env.MEMORIES as unknown as DurableObjectNamespace<MemoryRecord>).get(
    env.MEMORIES.idFromName(memoryRecordObjectName("alpha", id)),
  );

describe("a memory record stored under the first schema (its own `due` table)", () => {
  it("moves its pending work to due_work on start, and the alarm still pushes it", async () => {
    const userId = freshId("user");
    const id = freshId("mem");
    const memory = newMemory({ id, text: "the boathouse code is 4417", userId }, Date.now());
    await runInDurableObject(recordOf(id), async (_instance, state) => {
      const sql = state.storage.sql;
      // What the old code left: the record, its version, and a push due in `due`.
      applyMigrations(sql, RECORD_MIGRATIONS.slice(0, 1));
      sql.exec(
        "INSERT INTO record (singleton, tenant, id, state, version, scopes) VALUES (1, 'alpha', ?, 'live', 1, ?)",
        id,
        JSON.stringify([{ kind: "user", id: userId }]),
      );
      sql.exec("INSERT INTO versions (version, body) VALUES (1, ?)", JSON.stringify(memory));
      sql.exec("INSERT INTO due (kind, at, attempts) VALUES ('sync', 0, 2)");

      // The object as the new code starts it on that storage.
      const started = new MemoryRecord(state, env as unknown as Env);
      await state.blockConcurrencyWhile(async () => {});
      expect(hasTable(sql, "due")).toBe(false);
      expect(sql.exec("SELECT kind, due_at, attempts FROM due_work").toArray()).toEqual([
        { kind: "sync", due_at: 0, attempts: 2 },
      ]);
      expect((await started.read()).value?.text).toBe(memory.text);
      await started.alarm();
      expect(sql.exec("SELECT kind FROM due_work WHERE kind = 'sync'").toArray()).toEqual([]);
    });
    const found = await call("POST", "/v1/memories/search", {
      body: { userId, query: "boathouse", limit: 5 },
    });
    expect(found.json.results.map((r: { memory: { id: string } }) => r.memory.id)).toEqual([id]);
  });
});
