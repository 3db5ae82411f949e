import { env, runDurableObjectAlarm } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { ArchiveSegment, ArchiveStore } from "../../../src/storage/archive";
import { kvArchive } from "../../../src/storage/archive";
import { conversationObject, kvKeys, sqlOf, withObject } from "../../helpers/conversation-object";
import { call, freshId, readAllMessages } from "../../helpers/http";

const prefixOf = (id: string) => `t/alpha/c/${id}/`;

async function spillingConversation() {
  const id = freshId("spill-erase");
  await call("PUT", `/v1/conversations/${id}`, {
    body: { tokenizer: "approx", workingTokens: 256 },
  });
  return id;
}

async function appendTurns(id: string, from: number, count: number) {
  const messages = Array.from({ length: count }, (_, i) => ({
    role: "user",
    content: `turn ${from + i} `.padEnd(100, "z"),
    id: `m-${from + i}`,
  }));
  const res = await call("POST", `/v1/conversations/${id}/messages`, { body: { messages } });
  expect(res.status, res.text).toBe(201);
}

/** The real KV store, with hooks around each write. */
function hookedStore(hooks: {
  beforePut?: () => Promise<void>;
  afterPut?: (key: string, segment: ArchiveSegment) => void;
}) {
  const inner = kvArchive(env.ARCHIVE);
  const store: ArchiveStore = {
    async put(key, segment) {
      await hooks.beforePut?.();
      await inner.put(key, segment);
      hooks.afterPut?.(key, segment);
    },
    getMany: (keys) => inner.getMany(keys),
    delete: (keys) => inner.delete(keys),
  };
  return store;
}

const makeDue = (id: string) => sqlOf(id, "UPDATE due_work SET due_at = 1");

describe("no segment outlives its conversation", () => {
  it("a delete while a spill is writing its segment leaves no key in KV", async () => {
    const id = await spillingConversation();
    let release = () => {};
    let entered = () => {};
    const writing = new Promise<void>((resolve) => {
      entered = resolve;
    });
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    await withObject(id, (instance) => {
      instance.archive = hookedStore({
        beforePut: async () => {
          entered();
          await gate;
        },
      });
    });
    await appendTurns(id, 1, 30);
    await makeDue(id);
    const alarm = runDurableObjectAlarm(conversationObject(id));
    await writing; // the flush is inside its KV write
    const deleted = call("DELETE", `/v1/conversations/${id}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
    release();
    await alarm;
    expect((await deleted).status).toBe(200);
    expect(await kvKeys(prefixOf(id))).toEqual([]);
  });

  it("a segment written just before a crash (never recorded) is deleted with the conversation", async () => {
    const id = await spillingConversation();
    await withObject(id, (instance) => {
      instance.archive = hookedStore({
        afterPut: () => {
          throw new Error("the object died after the KV write");
        },
      });
    });
    await appendTurns(id, 1, 30);
    await makeDue(id);
    await runDurableObjectAlarm(conversationObject(id));
    expect((await kvKeys(prefixOf(id))).length).toBeGreaterThan(0);
    const res = await call("DELETE", `/v1/conversations/${id}`);
    expect(res.status).toBe(200);
    expect(await kvKeys(prefixOf(id))).toEqual([]);
  });
});

describe("segment keys are written once", () => {
  it("a spill retried after a crash never rewrites a key with another batch", async () => {
    const id = await spillingConversation();
    const written = new Map<string, string[]>();
    let crash = true;
    await withObject(id, (instance) => {
      instance.archive = hookedStore({
        afterPut: (key, segment) => {
          written.set(key, [...(written.get(key) ?? []), `${segment.firstSeq}-${segment.lastSeq}`]);
          if (crash) {
            crash = false;
            throw new Error("the object died after the KV write");
          }
        },
      });
    });
    await appendTurns(id, 1, 30);
    await makeDue(id);
    await runDurableObjectAlarm(conversationObject(id));
    await appendTurns(id, 31, 30); // the outbox grows before the retry
    await makeDue(id);
    await runDurableObjectAlarm(conversationObject(id));
    for (const [key, batches] of written) expect(new Set(batches).size, key).toBe(1);
    const all = await readAllMessages(id, "asc", 100);
    expect(all.map((m) => m.id)).toEqual(Array.from({ length: 60 }, (_, i) => `m-${i + 1}`));
  });

  it("a conversation deleted and created again never reuses its predecessor's keys", async () => {
    const id = await spillingConversation();
    await appendTurns(id, 1, 30);
    await makeDue(id);
    await runDurableObjectAlarm(conversationObject(id));
    const before = await kvKeys(prefixOf(id));
    expect(before.length).toBeGreaterThan(0);
    expect((await call("DELETE", `/v1/conversations/${id}`)).status).toBe(200);
    await call("PUT", `/v1/conversations/${id}`, {
      body: { tokenizer: "approx", workingTokens: 256 },
    });
    await appendTurns(id, 1, 30);
    await makeDue(id);
    await runDurableObjectAlarm(conversationObject(id));
    const after = await kvKeys(prefixOf(id));
    expect(after.length).toBeGreaterThan(0);
    for (const key of after) expect(before).not.toContain(key);
  });

  it("a read checks the seq range of the segment it got, and never serves another batch", async () => {
    const id = await spillingConversation();
    await appendTurns(id, 1, 30);
    await makeDue(id);
    await runDurableObjectAlarm(conversationObject(id));
    // Past the grace period, archived pages come from KV.
    await sqlOf(id, "UPDATE segments SET written_at = 0");
    await makeDue(id);
    await runDurableObjectAlarm(conversationObject(id));
    const [segment] = await sqlOf<{ kv_key: string }>(id, "SELECT kv_key FROM segments LIMIT 1");
    const key = segment?.kv_key as string;
    const stored = JSON.parse((await env.ARCHIVE.get(key)) as string) as ArchiveSegment;
    // A stale body under the same key, as a reused key seen before KV propagates.
    const stale = { ...stored, firstSeq: stored.firstSeq + 1000, lastSeq: stored.lastSeq + 1000 };
    stale.messages = stored.messages.map((m) => ({ ...m, content: "someone else's text" }));
    await env.ARCHIVE.put(key, JSON.stringify(stale));
    await withObject(id, (instance) => {
      instance.archive = kvArchive(env.ARCHIVE); // no isolate cache in between
    });
    const page = await call("GET", `/v1/conversations/${id}/messages?limit=5`);
    expect(page.status).toBe(503);
    expect(page.text).not.toContain("someone else's text");
  });
});
