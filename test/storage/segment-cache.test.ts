import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { ArchiveSegment, ArchiveStore } from "../../src/storage/archive";
import { kvArchive } from "../../src/storage/archive";
import { cachedArchive, SegmentCache } from "../../src/storage/segment-cache";
import { withObject } from "../helpers/conversation-object";
import { call, freshId } from "../helpers/http";

const segment = (first: number, text = "hello", count = 3): ArchiveSegment => ({
  v: 1,
  firstSeq: first,
  lastSeq: first + count - 1,
  messages: Array.from({ length: count }, (_, i) => ({
    seq: first + i,
    id: `m${first + i}`,
    role: "user",
    content: `${text} ${first + i}`,
    name: null,
    metadata: {},
    pinned: false,
    tokens: 2,
    createdAt: "2026-11-28T00:00:00.000Z",
    tier: "archived",
  })),
});

/** A KV-backed store that counts the keys it is asked for. */
function countingStore(): ArchiveStore & { reads: string[] } {
  const kv = kvArchive(env.ARCHIVE);
  const reads: string[] = [];
  return {
    reads,
    put: (key, value) => kv.put(key, value),
    getMany: (keys) => {
      reads.push(...keys);
      return kv.getMany(keys);
    },
    delete: (keys) => kv.delete(keys),
  };
}

describe("segment cache", () => {
  it("serves a segment read once from memory, and reads KV again after a delete", async () => {
    const store = countingStore();
    const archive = cachedArchive(store, new SegmentCache(1024 * 1024));
    const key = `test/${freshId("seg")}/0`;
    await archive.put(key, segment(1));
    expect((await archive.getMany([key])).get(key)?.messages[0]?.content).toBe("hello 1");
    expect((await archive.getMany([key])).get(key)?.messages[0]?.content).toBe("hello 1");
    expect(store.reads).toEqual([key]);

    // Erased and written again under the same key: the new content, never the cached one.
    await archive.delete([key]);
    await archive.put(key, segment(1, "again"));
    expect((await archive.getMany([key])).get(key)?.messages[0]?.content).toBe("again 1");
    expect(store.reads).toEqual([key, key]);
  });

  it("does not cache what KV does not have, and a read spanning a delete is not kept", async () => {
    const store = countingStore();
    const archive = cachedArchive(store, new SegmentCache(1024 * 1024));
    const key = `test/${freshId("seg")}/0`;
    expect((await archive.getMany([key])).get(key)).toBeNull();
    await archive.put(key, segment(1));
    expect((await archive.getMany([key])).get(key)).not.toBeNull();
    expect(store.reads).toEqual([key, key]);

    const other = `test/${freshId("seg")}/1`;
    await archive.put(other, segment(1, "old"));
    const reading = archive.getMany([other]); // in flight while the delete runs
    await archive.delete([other]);
    await reading;
    await archive.put(other, segment(1, "new"));
    expect((await archive.getMany([other])).get(other)?.messages[0]?.content).toBe("new 1");
  });

  it("keeps within its size, least recently used out first", async () => {
    const cache = new SegmentCache(64 * 1024);
    const big = (n: number) => segment(n, "x".repeat(1000), 3); // ~6.5 KB estimated
    for (let n = 0; n < 20; n++) cache.set(`k${n}`, big(n));
    expect(cache.size.bytes).toBeLessThanOrEqual(64 * 1024);
    expect(cache.get("k0")).toBeUndefined();
    expect(cache.get("k19")).toBeDefined();
    const kept = cache.size.segments;
    cache.get(`k${20 - kept}`); // the oldest kept one, now used
    cache.set("k20", big(20));
    expect(cache.get(`k${20 - kept}`)).toBeDefined();
    expect(cache.get(`k${21 - kept}`)).toBeUndefined();
    // One segment larger than an eighth of the cache is not kept at all.
    cache.set("huge", segment(1, "y".repeat(10_000), 1));
    expect(cache.get("huge")).toBeUndefined();
  });

  it("lets a conversation's recall read its segments from memory the second time", async () => {
    const id = freshId("cached");
    await call("PUT", `/v1/conversations/${id}`, {
      body: { tokenizer: "approx", workingTokens: 256 },
    });
    const messages = Array.from({ length: 80 }, (_, i) => ({
      role: i % 2 ? "assistant" : "user",
      content: i === 3 ? "The locker code is 4711, near the harbour." : `Filler turn ${i}.`,
    }));
    expect(
      (await call("POST", `/v1/conversations/${id}/messages`, { body: { messages } })).status,
    ).toBe(201);
    // Spill to KV and drop the rows, so recall must read a segment.
    await withObject(id, async (instance, state) => {
      state.storage.sql.exec("UPDATE due_work SET due_at = 1");
      await instance.alarm();
      state.storage.sql.exec("UPDATE segments SET written_at = 0");
      state.storage.sql.exec("UPDATE due_work SET due_at = 1");
      await instance.alarm();
      expect(
        state.storage.sql.exec("SELECT COUNT(*) AS n FROM messages WHERE seq = 4").one().n,
      ).toBe(0);
    });
    const ask = () =>
      call("GET", `/v1/conversations/${id}/context?query=locker%20code%20harbour&maxTokens=400`);
    const first = await ask();
    expect(first.status, first.text).toBe(200);
    expect(first.json.recalled[0].text).toContain("4711");
    // The segment is gone from KV behind the object's back: only memory can still have it.
    const keys = (await env.ARCHIVE.list({ prefix: `t/alpha/c/${id}/` })).keys.map((k) => k.name);
    expect(keys.length).toBeGreaterThan(0);
    for (const key of keys) await env.ARCHIVE.delete(key);
    const second = await ask();
    expect(second.status, second.text).toBe(200);
    expect(second.json.recalled[0].text).toContain("4711");
  });
});
