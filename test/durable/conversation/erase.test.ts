import { env, runDurableObjectAlarm } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { segmentKey } from "../../../src/storage/archive";
import { conversationObject, kvKeys, sqlOf, withObject } from "../../helpers/conversation-object";
import { call, freshId } from "../../helpers/http";
import { expectProblem } from "../../helpers/problems";
import { kvLimitReport } from "../../helpers/production-limits";

const prefixOf = (id: string) => `t/alpha/c/${id}/`;

/**
 * A conversation with `count` archived segments, as a long chat with a small working
 * budget leaves behind (each spill is a segment): written straight into the object and
 * KV, since a thousand real spills would take minutes.
 */
async function conversationWithSegments(count: number) {
  const id = freshId("erase-big");
  const res = await call("POST", `/v1/conversations/${id}/messages`, {
    body: { messages: [{ role: "user", content: "the only working message" }] },
  });
  expect(res.status, res.text).toBe(201);
  const keys = Array.from({ length: count }, (_, i) => segmentKey("alpha", id, "test", i + 1));
  for (let i = 0; i < keys.length; i += 100) {
    await Promise.all(keys.slice(i, i + 100).map((key) => env.ARCHIVE.put(key, "{}")));
  }
  await withObject(id, (_instance, state) => {
    const sql = state.storage.sql;
    state.storage.transactionSync(() => {
      keys.forEach((key, i) => {
        sql.exec(
          `INSERT INTO segments (n, first_seq, last_seq, kv_key, message_count, tokens, bytes, written_at)
           VALUES (?, ?, ?, ?, 10, 10, 100, 0)`,
          i + 1,
          -10 * count + i * 10,
          -10 * count + i * 10 + 9,
          key,
        );
      });
    });
  });
  return { id, keys };
}

describe("erasing a conversation under production's KV limits", () => {
  it("deletes 1,300 segments across calls, never over 1,000 KV operations in one, with an exact receipt", async () => {
    const { id } = await conversationWithSegments(1300);
    expect((await kvKeys(prefixOf(id))).length).toBe(1300);
    const res = await call("DELETE", `/v1/conversations/${id}`);
    expect(res.status, res.text).toBe(200);
    expect(res.json).toEqual({ deleted: { messages: 1, segments: 1300, memories: 0 } });
    expect(kvLimitReport().maxOperations).toBeLessThanOrEqual(1000);
    expect(await kvKeys(prefixOf(id))).toEqual([]);
    expectProblem(await call("GET", `/v1/conversations/${id}`), 404, "not_found");
  });

  it("saves its progress: an erase cut short is finished by the alarm, and a retry gets the same receipt", async () => {
    const { id } = await conversationWithSegments(1200);
    // One bounded step, as if the request died after it.
    const first = await withObject(id, (instance) => instance.erase());
    expect(first).toMatchObject({ ok: true, value: { done: false } });
    const left = await sqlOf<{ n: number }>(id, "SELECT COUNT(*) AS n FROM segments");
    expect(left[0]?.n).toBeGreaterThan(0);
    expect(left[0]?.n).toBeLessThan(1200);
    // The conversation is gone for readers at once.
    expectProblem(await call("GET", `/v1/conversations/${id}`), 404, "not_found");
    // The alarm carries on without any caller.
    await runDurableObjectAlarm(conversationObject(id));
    expect((await kvKeys(prefixOf(id))).length).toBeLessThan(left[0]?.n as number);
    // A retried DELETE finishes it and reports what the whole erase removed.
    const res = await call("DELETE", `/v1/conversations/${id}`);
    expect(res.json).toEqual({ deleted: { messages: 1, segments: 1200, memories: 0 } });
    expect(await kvKeys(prefixOf(id))).toEqual([]);
    expect(kvLimitReport().maxOperations).toBeLessThanOrEqual(1000);
  });

  it("erases a user whose conversation is that big", async () => {
    const user = freshId("erase-user");
    const { id } = await conversationWithSegments(1100);
    await call("PUT", `/v1/conversations/${id}`, { body: { userId: user } });
    const res = await call("DELETE", `/v1/users/${user}`);
    expect(res.status, res.text).toBe(200);
    expect(res.json).toEqual({ deleted: { conversations: 1, messages: 1, memories: 0 } });
    expect(await kvKeys(prefixOf(id))).toEqual([]);
  });
});
