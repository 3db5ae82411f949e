import { env, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { memoryRecordObjectName } from "../../../src/durable/memories/api";
import type { MemoryRecord } from "../../../src/durable/memories/memory-record";
import { call, freshId } from "../../helpers/http";

const recordOf = (id: string) =>
  (env.MEMORIES as unknown as DurableObjectNamespace<MemoryRecord>).get(
    env.MEMORIES.idFromName(memoryRecordObjectName("alpha", id)),
  );

/** Makes the record's next push die the way a killed runtime would: nothing after it runs. */
const killNextPush = (id: string) =>
  runInDurableObject(recordOf(id), (instance: MemoryRecord) => {
    const record = instance as unknown as { push: () => Promise<void> };
    const real = record.push.bind(record);
    record.push = async () => {
      record.push = real;
      throw new Error("runtime killed during the push");
    };
  });

const search = (userId: string, query: string) =>
  call("POST", "/v1/memories/search", { body: { userId, query, limit: 10 } });

describe("a memory whose push is cut short", () => {
  it("is pushed by the alarm, which was set before the push began (create and update)", async () => {
    const userId = freshId("user");
    const id = freshId("mem");
    await killNextPush(id);
    const created = await runInDurableObject(recordOf(id), (instance: MemoryRecord) =>
      instance
        .create({ tenant: "alpha", id }, { id, text: "the lighthouse key is blue", userId })
        .catch((error: Error) => error.message),
    );
    expect(created).toBe("runtime killed during the push");
    expect((await search(userId, "lighthouse")).json.results).toHaveLength(0);
    expect(
      await runInDurableObject(recordOf(id), (_, state) => state.storage.getAlarm()),
    ).not.toBeNull();
    await runInDurableObject(recordOf(id), (_, state) => {
      state.storage.sql.exec("UPDATE due_work SET due_at = 1");
    });
    expect(await runDurableObjectAlarm(recordOf(id))).toBe(true);
    expect((await search(userId, "lighthouse")).json.results.map((r: any) => r.memory.id)).toEqual([
      id,
    ]);

    await killNextPush(id);
    const updated = await runInDurableObject(recordOf(id), (instance: MemoryRecord) =>
      instance.update({ text: "the lighthouse key is red" }).catch((error: Error) => error.message),
    );
    expect(updated).toBe("runtime killed during the push");
    await runInDurableObject(recordOf(id), (_, state) => {
      state.storage.sql.exec("UPDATE due_work SET due_at = 1");
    });
    expect(await runDurableObjectAlarm(recordOf(id))).toBe(true);
    const hits = (await search(userId, "lighthouse")).json.results;
    expect(hits.map((r: any) => r.memory.text)).toEqual(["the lighthouse key is red"]);
  });
});
