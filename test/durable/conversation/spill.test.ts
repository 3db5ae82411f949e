import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { ArchiveStore } from "../../../src/storage/archive";
import { kvArchive } from "../../../src/storage/archive";
import { kvKeys, runDueWork, sqlOf, withObject } from "../../helpers/conversation-object";
import { call, freshId, readAllMessages } from "../../helpers/http";

const messagesOf = (id: string) => `/v1/conversations/${id}/messages`;
const prefixOf = (id: string) => `t/alpha/c/${id}/`;

async function appendTurns(id: string, from: number, count: number, size = 25) {
  for (let start = from; start < from + count; start += 100) {
    const n = Math.min(100, from + count - start);
    const messages = Array.from({ length: n }, (_, i) => ({
      role: (start + i) % 2 ? "assistant" : "user",
      content: `turn ${start + i} `.padEnd(size * 4, "z"),
      id: `m-${start + i}`,
    }));
    const res = await call("POST", messagesOf(id), { body: { messages } });
    expect(res.status, res.text).toBe(201);
  }
}

async function newConversation(workingTokens = 1000) {
  const id = freshId("spill");
  await call("PUT", `/v1/conversations/${id}`, { body: { tokenizer: "approx", workingTokens } });
  return id;
}

const failingStore = (inner: ArchiveStore): ArchiveStore & { fail: boolean; puts: number } => {
  const store = {
    fail: true,
    puts: 0,
    async put(key: string, segment: Parameters<ArchiveStore["put"]>[1]) {
      store.puts++;
      if (store.fail) throw new Error("injected KV failure");
      return inner.put(key, segment);
    },
    getMany: (keys: string[]) => inner.getMany(keys),
    delete: (keys: string[]) => inner.delete(keys),
  };
  return store;
};

describe("spilling archived messages into KV", () => {
  it("keeps every message, once, in order, across working memory, outbox and KV", async () => {
    const id = await newConversation(1000);
    await call("POST", messagesOf(id), {
      body: { messages: [{ role: "system", content: "You are terse.", pinned: true, id: "sys" }] },
    });
    await appendTurns(id, 1, 2000);
    await runDueWork(id);

    const keys = await kvKeys(prefixOf(id));
    expect(keys.length).toBeGreaterThan(0);
    const segments = await sqlOf<{ n: number; first_seq: number; last_seq: number }>(
      id,
      "SELECT n, first_seq, last_seq FROM segments ORDER BY n",
    );
    expect(segments.length).toBe(keys.length);
    // Segments hold increasing, non-overlapping seq ranges.
    for (let i = 1; i < segments.length; i++) {
      expect(segments[i]?.first_seq).toBeGreaterThan(segments[i - 1]?.last_seq as number);
    }

    const conv = (await call("GET", `/v1/conversations/${id}`)).json;
    expect(conv.stats.workingTokenCount).toBeLessThanOrEqual(1000);
    expect(conv.stats.totalMessages).toBe(2001);
    const outbox = await sqlOf<{ n: number }>(
      id,
      "SELECT COUNT(*) AS n FROM messages WHERE tier = 'outbox'",
    );
    expect(outbox[0]?.n).toBe(0);

    const asc = await readAllMessages(id, "asc", 137);
    expect(asc.map((m) => m.seq)).toEqual(Array.from({ length: 2001 }, (_, i) => i + 1));
    expect(asc[0]).toMatchObject({ id: "sys", pinned: true, tier: "working" });
    expect(asc[1]).toMatchObject({
      id: "m-1",
      tier: "archived",
      content: expect.stringMatching(/^turn 1 /),
    });
    expect(asc.at(-1)).toMatchObject({ id: "m-2000", tier: "working" });
    expect(asc.filter((m) => m.tier === "working").length).toBe(conv.stats.workingMessages);
    const desc = await readAllMessages(id, "desc", 500);
    expect(desc.map((m) => m.seq)).toEqual(asc.map((m) => m.seq).reverse());
    expect(desc).toEqual([...asc].reverse());
  });

  it("reads archived pages from KV once the grace period has passed, not from the object", async () => {
    const id = await newConversation(256);
    await appendTurns(id, 1, 300);
    await runDueWork(id);
    // Time travel past the grace period: the spilled rows leave SQLite.
    await sqlOf(id, "UPDATE segments SET written_at = 0");
    await runDueWork(id);
    const rows = await sqlOf<{ n: number }>(id, "SELECT COUNT(*) AS n FROM messages");
    const conv = (await call("GET", `/v1/conversations/${id}`)).json;
    expect(rows[0]?.n).toBe(conv.stats.workingMessages);
    const all = await readAllMessages(id, "asc", 100);
    expect(all.map((m) => m.id)).toEqual(Array.from({ length: 300 }, (_, i) => `m-${i + 1}`));
  });

  it("still catches duplicate message ids after their rows moved to KV", async () => {
    const id = await newConversation(256);
    await appendTurns(id, 1, 200);
    await runDueWork(id);
    await sqlOf(id, "UPDATE segments SET written_at = 0");
    await runDueWork(id);
    const m1 = { role: "assistant", content: "turn 1 ".padEnd(100, "z"), id: "m-1" };
    const res = await call("POST", messagesOf(id), { body: { messages: [m1] } });
    expect(res.json.messages[0]).toMatchObject({ seq: 1, duplicate: true });
    const changed = await call("POST", messagesOf(id), {
      body: { messages: [{ ...m1, content: "again" }] },
    });
    expect(changed.status, changed.text).toBe(409);
  });

  it("survives failing KV writes: appends succeed, the outbox stays readable, the alarm completes later", async () => {
    const id = await newConversation(256);
    const store = await withObject(id, (instance) => {
      const failing = failingStore(kvArchive(env.ARCHIVE));
      instance.archive = failing;
      return failing;
    });
    await appendTurns(id, 1, 150);
    await runDueWork(id);
    await runDueWork(id);
    expect(store.puts).toBeGreaterThan(0);
    expect(await kvKeys(prefixOf(id))).toEqual([]);
    const pending = await sqlOf<{ n: number }>(
      id,
      "SELECT COUNT(*) AS n FROM messages WHERE tier = 'outbox'",
    );
    expect(pending[0]?.n).toBeGreaterThan(0);
    const retry = await sqlOf<{ attempts: number }>(
      id,
      "SELECT attempts FROM due_work WHERE kind = 'flush_outbox'",
    );
    expect(retry[0]?.attempts).toBeGreaterThanOrEqual(2);

    // Readable and searchable all the while.
    expect((await readAllMessages(id, "asc", 500)).map((m) => m.id)).toEqual(
      Array.from({ length: 150 }, (_, i) => `m-${i + 1}`),
    );
    const found = await call("POST", `/v1/conversations/${id}/search`, {
      body: { query: "turn 3" },
    });
    expect(found.status).toBe(200);
    expect(found.json.results.length).toBeGreaterThan(0);

    await withObject(id, (instance) => {
      (instance.archive as typeof store).fail = false;
    });
    await runDueWork(id);
    await runDueWork(id); // an alarm that runs twice changes nothing
    expect((await kvKeys(prefixOf(id))).length).toBeGreaterThan(0);
    const left = await sqlOf<{ n: number }>(
      id,
      "SELECT COUNT(*) AS n FROM messages WHERE tier = 'outbox'",
    );
    expect(left[0]?.n).toBe(0);
    const all = await readAllMessages(id, "asc", 64);
    expect(all.map((m) => m.id)).toEqual(Array.from({ length: 150 }, (_, i) => `m-${i + 1}`));
  });

  it("flushes an idle conversation to KV and picks up where it left off", async () => {
    const id = freshId("idle");
    await call("PUT", `/v1/conversations/${id}`, { body: { tokenizer: "approx", ttlSeconds: 60 } });
    await call("POST", messagesOf(id), {
      body: {
        messages: [
          { role: "system", content: "pinned prompt", pinned: true },
          { role: "user", content: "remember the blue door" },
          { role: "assistant", content: "noted: blue door" },
        ],
      },
    });
    await sqlOf(id, "UPDATE conversation SET updated_at = '2000-01-01T00:00:00.000Z'");
    await runDueWork(id);
    const conv = (await call("GET", `/v1/conversations/${id}`)).json;
    expect(conv.stats).toMatchObject({ workingMessages: 1, archivedMessages: 2, totalMessages: 3 });
    expect((await kvKeys(prefixOf(id))).length).toBe(1);

    const next = await call("POST", messagesOf(id), {
      body: { messages: [{ role: "user", content: "and now?" }] },
    });
    expect(next.json.messages[0].seq).toBe(4);
    const all = await readAllMessages(id, "asc", 10);
    expect(all.map((m) => m.tier)).toEqual(["working", "archived", "archived", "working"]);
    const hits = await call("POST", `/v1/conversations/${id}/search`, {
      body: { query: "blue door" },
    });
    expect(hits.json.results.map((r: any) => r.message.seq)).toEqual(
      expect.arrayContaining([2, 3]),
    );
  });

  it("deletes every KV key and every row of the conversation", async () => {
    const id = await newConversation(256);
    await appendTurns(id, 1, 200);
    await runDueWork(id);
    await appendTurns(id, 201, 200);
    await runDueWork(id);
    const segments = (await kvKeys(prefixOf(id))).length;
    expect(segments).toBeGreaterThan(1);
    const res = await call("DELETE", `/v1/conversations/${id}`);
    expect(res.json).toEqual({ deleted: { messages: 400, segments, memories: 0 } });
    expect(await kvKeys(prefixOf(id))).toEqual([]);
    await withObject(id, (_instance, state) => {
      const tables = state.storage.sql
        .exec(
          "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '\\_%' ESCAPE '\\'",
        )
        .toArray();
      expect(tables).toEqual([]);
    });
  });
});

describe("POST /v1/conversations/{id}/search", () => {
  it("ranks stemmed matches over working and archived messages and honours limit", async () => {
    const id = await newConversation(256);
    const lines = [
      "My flight to Lisbon leaves on Tuesday morning",
      "I prefer aisle seats on long flights",
      "The weather in Porto was rainy",
      "Remind me to buy sunscreen",
      "Flying makes me nervous",
    ];
    await call("POST", messagesOf(id), {
      body: { messages: lines.map((content, i) => ({ role: "user", content, id: `l-${i}` })) },
    });
    await appendTurns(id, 1, 120); // pushes the lines out of working memory
    await runDueWork(id);
    const res = await call("POST", `/v1/conversations/${id}/search`, {
      body: { query: "flights Lisbon", limit: 3 },
    });
    expect(res.status, res.text).toBe(200);
    const ids = res.json.results.map((r: any) => r.message.id);
    expect(ids[0]).toBe("l-0"); // both words
    expect(ids).toContain("l-1"); // "flights" stems like "flight"
    expect(res.json.results.length).toBeLessThanOrEqual(3);
    expect(res.json.results[0].message.tier).toBe("archived");
    const scores = res.json.results.map((r: any) => r.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));

    const none = await call("POST", `/v1/conversations/${id}/search`, {
      body: { query: "!!! ???" },
    });
    expect(none.json.results).toEqual([]);
    const injection = await call("POST", `/v1/conversations/${id}/search`, {
      body: { query: 'flight" OR content:* NEAR(' },
    });
    expect(injection.status).toBe(200);
  });

  it("validates its body and 404s for unknown conversations", async () => {
    const id = await newConversation();
    await call("POST", messagesOf(id), { body: { messages: [{ role: "user", content: "x" }] } });
    const bad = await call("POST", `/v1/conversations/${id}/search`, {
      body: { query: "", limit: 0 },
    });
    expect(bad.status).toBe(400);
    expect(bad.json.errors.map((e: any) => e.path)).toEqual(
      expect.arrayContaining(["query", "limit"]),
    );
    const missing = await call("POST", `/v1/conversations/${freshId()}/search`, {
      body: { query: "x" },
    });
    expect(missing.status).toBe(404);
  });
});
