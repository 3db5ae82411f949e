import { env, runDurableObjectAlarm } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { ArchiveStore } from "../../../src/storage/archive";
import { kvArchive } from "../../../src/storage/archive";
import { conversationObject, sqlOf, withObject } from "../../helpers/conversation-object";
import { call, freshId } from "../../helpers/http";

const base = (id: string) => `/v1/conversations/${id}`;

/**
 * A conversation whose archived messages have left SQLite (past the KV grace period)
 * and whose summary fold is due, so the fold reads them from KV — through a store whose
 * reads, once done, hold the fold until the test opens the gate.
 */
async function foldWaitingOnKv(settings: Record<string, unknown>, lines: string[]) {
  const id = freshId("bg");
  await call("PUT", base(id), { body: { tokenizer: "approx", workingTokens: 256, ...settings } });
  const messages = lines.map((content, i) => ({ role: i % 2 ? "assistant" : "user", content }));
  const res = await call("POST", `${base(id)}/messages`, { body: { messages } });
  expect(res.status, res.text).toBe(201);
  // Flush first, the fold later.
  await sqlOf(id, "UPDATE due_work SET due_at = CASE kind WHEN 'summarize' THEN 1e15 ELSE 0 END");
  await runDurableObjectAlarm(conversationObject(id));
  await sqlOf(id, "UPDATE segments SET written_at = 0");
  await sqlOf(id, "UPDATE due_work SET due_at = CASE kind WHEN 'summarize' THEN 1e15 ELSE 0 END");
  await runDurableObjectAlarm(conversationObject(id));
  let open = () => {};
  let reading = () => {};
  const gate = new Promise<void>((resolve) => {
    open = resolve;
  });
  const started = new Promise<void>((resolve) => {
    reading = resolve;
  });
  await withObject(id, (instance) => {
    const inner = kvArchive(env.ARCHIVE);
    instance.archive = {
      put: (key, segment) => inner.put(key, segment),
      delete: (keys) => inner.delete(keys),
      async getMany(keys) {
        const bodies = await inner.getMany(keys);
        reading();
        await gate; // the read is done; the fold is slow to go on (a model call, say)
        return bodies;
      },
    } satisfies ArchiveStore;
  });
  await sqlOf(id, "UPDATE due_work SET due_at = 1");
  const alarm = runDurableObjectAlarm(conversationObject(id));
  await started;
  return { id, open, alarm };
}

const filler = (n: number) => Array.from({ length: n }, (_, i) => `Turn ${i}: ${"la ".repeat(30)}`);

describe("background work never outlives a delete", () => {
  it("a summary fold in flight when the conversation is deleted and created again writes nothing into the new one", async () => {
    const { id, open, alarm } = await foldWaitingOnKv({}, filler(40));
    expect((await call("DELETE", base(id))).status).toBe(200);
    const again = await call("PUT", base(id), { body: { tokenizer: "approx" } });
    expect(again.status).toBe(201);
    open();
    await alarm;
    const conversation = (await call("GET", base(id))).json;
    expect(conversation.summary.text).toBeNull();
    const [row] = await sqlOf<{ summarized_through: number }>(
      id,
      "SELECT summarized_through FROM conversation",
    );
    expect(row?.summarized_through).toBe(0);
  });

  it("fact extraction in flight when the user is erased creates no memory of that user", async () => {
    const userId = freshId("bg-user");
    const lines = ["Please remember: my locker code is 4711.", "Noted.", ...filler(40)];
    const { open, alarm } = await foldWaitingOnKv({ userId }, lines);
    const erased = await call("DELETE", `/v1/users/${userId}`);
    expect(erased.status).toBe(200);
    open();
    await alarm;
    const left = await call("GET", `/v1/memories?userId=${userId}`);
    expect(left.json.memories).toEqual([]);
  });
});
