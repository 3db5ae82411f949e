import { env, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import {
  memoryIndexStub,
  memoryRecordObjectName,
  memoryRecordStub,
} from "../../../src/durable/memories/api";
import type { Memory } from "../../../src/memory/memories";
import { freshId } from "../../helpers/http";

const TENANT = "alpha";

async function imported(userId: string, text: string) {
  const id = freshId("imp");
  const result = await memoryRecordStub(env, TENANT, id).importMemory(
    { tenant: TENANT, id },
    { id, text, userId },
  );
  if (!result.ok) throw new Error(result.error.detail);
  return result.value;
}

const found = async (userId: string, query: string) =>
  (
    await memoryIndexStub(env, TENANT, { kind: "user", id: userId }).find({
      query,
      scope: { userId },
      limit: 10,
    })
  ).map((hit) => hit.memory);

describe("the import hand-off between a record and its indexes", () => {
  it("leaves the index push due until confirmed; unconfirmed, the record's alarm pushes it", async () => {
    const userId = freshId("user");
    const { memory, indexPending } = await imported(userId, "handed off lantern");
    expect(indexPending).toBe(true);
    expect(await found(userId, "lantern")).toEqual([]);
    const record = env.MEMORIES.get(
      env.MEMORIES.idFromName(memoryRecordObjectName(TENANT, memory.id)),
    );
    // The importer never came back, and the hand-off window has passed: the alarm does
    // the push, as after any change.
    await runInDurableObject(record, async (_, state) => {
      state.storage.sql.exec("UPDATE due_work SET due_at = ? WHERE kind = 'sync'", Date.now() - 1);
    });
    expect(await runDurableObjectAlarm(record)).toBe(true);
    expect(await found(userId, "lantern")).toEqual([memory]);
  });

  it("finishes a push still due when a retried batch meets the memory as a duplicate", async () => {
    const userId = freshId("user");
    const { memory } = await imported(userId, "retried lantern");
    expect(await found(userId, "lantern")).toEqual([]);
    const replay = await memoryRecordStub(env, TENANT, memory.id).importMemory(
      { tenant: TENANT, id: memory.id },
      { id: memory.id, text: "retried lantern", userId },
    );
    expect(replay).toEqual({
      ok: true,
      value: { memory, duplicate: true, indexPending: false },
    });
    expect(await found(userId, "lantern")).toEqual([memory]);
  });

  it("takes back an index entry of a memory erased before the import confirmed it", async () => {
    const userId = freshId("user");
    const { memory } = await imported(userId, "erased meanwhile");
    const index = memoryIndexStub(env, TENANT, { kind: "user", id: userId });
    await memoryRecordStub(env, TENANT, memory.id).erase();
    await index.upsertMany([memory]); // the batch's index write arrives late
    const confirmation = await memoryRecordStub(env, TENANT, memory.id).confirmIndexed(
      memory.version,
      memory.createdAt,
    );
    expect(confirmation).toEqual({ current: false });
    await index.removeCreated([{ id: memory.id, createdAt: memory.createdAt }]);
    expect(await found(userId, "erased")).toEqual([]);
  });

  it("never lets a late write of an earlier memory of the same id replace a later one", async () => {
    const userId = freshId("user");
    const index = memoryIndexStub(env, TENANT, { kind: "user", id: userId });
    const base: Memory = {
      id: freshId("imp"),
      text: "earlier incarnation",
      userId,
      agentId: null,
      conversationId: null,
      metadata: {},
      createdAt: "2026-01-01T00:00:00.000Z",
      updatedAt: "2026-01-01T00:00:00.000Z",
      expiresAt: null,
      version: 3,
    };
    const later = {
      ...base,
      text: "later incarnation",
      createdAt: "2026-01-02T00:00:00.000Z",
      updatedAt: "2026-01-02T00:00:00.000Z",
      version: 1,
    };
    await index.upsertMany([later]);
    await index.upsertMany([base]);
    expect(await found(userId, "incarnation")).toEqual([later]);
    // removeCreated names the earlier one: the later one stays.
    await index.removeCreated([{ id: base.id, createdAt: base.createdAt }]);
    expect(await found(userId, "incarnation")).toEqual([later]);
    await index.upsertMany([{ ...later, text: "later incarnation, v2", version: 2 }, base]);
    expect((await found(userId, "incarnation")).map((m) => m.version)).toEqual([2]);
  });
});
