import { env, runInDurableObject } from "cloudflare:test";
import { expect, it } from "vitest";
import { memoryIndexStub } from "../../../src/durable/memories/api";
import type { Memory } from "../../../src/memory/memories";
import { indexTerms } from "../../../src/memory/search-query";
import { call } from "../../helpers/http";

const MEMORIES = 100_000;
const BATCH = 5_000;
const userId = "scale-user";

/** A deterministic pseudo-random corpus: 12 words a memory from a 5,000-word vocabulary. */
function* corpus() {
  let seed = 42;
  const next = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    return seed;
  };
  const vocabulary = Array.from({ length: 5000 }, (_, i) => `w${i.toString(36)}x`);
  for (let i = 0; i < MEMORIES; i++) {
    const words = Array.from({ length: 12 }, () => {
      // Zipf-like: low ranks far more common, as in real text.
      const r = next() / 2 ** 31;
      return vocabulary[Math.floor(5000 * r * r * r)];
    });
    if (i % 1000 === 0) words.push("needle");
    yield words.join(" ");
  }
}

/** Prints the figures with `npx vitest run test/memories/search-scale.test.ts --silent=false`. */
it(`search over ${MEMORIES.toLocaleString("en")} memories of one user answers in tens of ms`, async () => {
  const index = memoryIndexStub(env, "alpha", { kind: "user", id: userId }) as never;
  const texts = [...corpus()];
  const start = Date.now();
  for (let from = 0; from < texts.length; from += BATCH) {
    await runInDurableObject(index, (_o, state: DurableObjectState) => {
      state.storage.transactionSync(() => {
        for (let i = from; i < Math.min(from + BATCH, texts.length); i++) {
          const at = new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString();
          const memory: Memory = {
            id: `scale-${i}`,
            text: texts[i] as string,
            userId,
            agentId: null,
            conversationId: null,
            metadata: { n: i % 10 },
            createdAt: at,
            updatedAt: at,
            expiresAt: null,
            version: 1,
          };
          state.storage.sql.exec(
            `INSERT INTO memories (id, user_id, metadata, created_at, updated_at, version, body)
             VALUES (?, ?, ?, ?, ?, 1, ?)`,
            memory.id,
            userId,
            JSON.stringify(memory.metadata),
            at,
            at,
            JSON.stringify(memory),
          );
          state.storage.sql.exec(
            "INSERT INTO memory_terms (rowid, terms) VALUES (last_insert_rowid(), ?)",
            indexTerms(memory.text),
          );
        }
      });
    });
  }
  const loadMs = Date.now() - start;

  const queries = [
    "needle",
    "w1x w2x",
    "w9ax wzzx w3k0x",
    "w10x needle",
    "something entirely absent",
    "w0x",
  ];
  const timings: Record<string, number[]> = {};
  for (const query of queries) {
    timings[query] = [];
    for (let round = 0; round < 5; round++) {
      const t0 = performance.now();
      const res = await call("POST", "/v1/memories/search", { body: { userId, query, limit: 10 } });
      timings[query].push(performance.now() - t0);
      expect(res.status, res.text).toBe(200);
      if (query === "needle") expect(res.json.results).toHaveLength(10);
    }
  }
  const report = Object.entries(timings).map(([query, ms]) => {
    const sorted = [...ms].sort((a, b) => a - b);
    return `${JSON.stringify(query)}: median ${sorted[2]?.toFixed(1)} ms, max ${sorted[4]?.toFixed(1)} ms`;
  });
  console.log(`loaded ${MEMORIES} memories in ${loadMs} ms\n${report.join("\n")}`);
}, 600_000);
