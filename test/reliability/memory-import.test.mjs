// Crash safety of bulk memory import: batches of 100 memories with ids, two in flight, the
// runtime's whole process group SIGKILLed mid-import, a restart on the same state. Every
// batch acknowledged before the crash must be stored and searchable; sending every batch
// again (as a client does after a failure) must answer 201 with the memories an earlier
// attempt stored as duplicates, and leave each memory exactly once, in the user's index too.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call } from "../../bench/lib/api.mjs";
import { sentence } from "../../bench/lib/text.mjs";
import { KEY, prepare, sleep } from "./harness.mjs";

const BATCHES = 40;
const IN_FLIGHT = 2;

let env;
beforeAll(async () => {
  env = await prepare("import");
});
afterAll(() => env?.cleanup());

/** Every memory of the user, through the paging API. */
async function listAll(url, userId) {
  const all = [];
  let cursor = null;
  do {
    const query = `userId=${userId}&limit=100${cursor ? `&cursor=${cursor}` : ""}`;
    const page = await call(url, "GET", `/v1/memories?${query}`, { key: KEY });
    expect(page.status, page.text).toBe(200);
    all.push(...page.json.memories);
    cursor = page.json.nextCursor;
  } while (cursor);
  return all;
}

describe("bulk memory import across a crash", () => {
  it("stores each memory once and indexes it, with the same batches sent again", async () => {
    const userId = `import-${Date.now().toString(36)}`;
    const batches = Array.from({ length: BATCHES }, (_, b) =>
      Array.from({ length: 100 }, (_, i) => ({
        id: `${userId}-${b}-${i}`,
        text: sentence(b * 100 + i),
        userId,
      })),
    );
    const acked = new Set();
    let worker = await env.start();
    let next = 0;
    let stopped = false;
    const lanes = Array.from({ length: IN_FLIGHT }, async () => {
      while (!stopped && next < BATCHES) {
        const b = next++;
        const res = await call(worker.url, "POST", "/v1/memories/batch", {
          key: KEY,
          body: { memories: batches[b] },
          timeoutMs: 20_000,
        }).catch(() => null);
        if (res?.status === 201) acked.add(b);
      }
    });
    const deadline = Date.now() + 120_000;
    while (acked.size < 3) {
      if (Date.now() > deadline) throw new Error(`no batch acknowledged:\n${worker.logTail()}`);
      await sleep(10);
    }
    await sleep(50 + Math.floor(Math.random() * 300));
    await worker.crash();
    stopped = true;
    await Promise.all(lanes);
    expect(acked.size).toBeLessThan(BATCHES);

    worker = await env.start();
    // Acknowledged before the crash: stored and searchable.
    const before = new Set((await listAll(worker.url, userId)).map((m) => m.id));
    for (const b of acked) {
      for (const { id } of batches[b]) expect(before.has(id), id).toBe(true);
    }
    // The client sends every batch again; what any attempt stored comes back as duplicates.
    let duplicates = 0;
    for (const [b, memories] of batches.entries()) {
      const res = await call(worker.url, "POST", "/v1/memories/batch", {
        key: KEY,
        body: { memories },
      });
      expect(res.status, res.text).toBe(201);
      expect(res.json.memories.map((m) => m.id)).toEqual(memories.map((m) => m.id));
      for (const m of res.json.memories) if (m.duplicate) duplicates++;
      if (acked.has(b)) expect(res.json.memories.every((m) => m.duplicate)).toBe(true);
    }
    expect(duplicates).toBeGreaterThanOrEqual(acked.size * 100);

    const stored = await listAll(worker.url, userId);
    expect(stored).toHaveLength(BATCHES * 100);
    expect(new Set(stored.map((m) => m.id)).size).toBe(BATCHES * 100);
    expect(stored.every((m) => m.version === 1)).toBe(true);
    const probe = batches[BATCHES - 1][99];
    const found = await call(worker.url, "POST", "/v1/memories/search", {
      key: KEY,
      body: { userId, query: probe.text, limit: 100 },
    });
    expect(found.json.results.map((r) => r.memory.id)).toContain(probe.id);
  });
});
