import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { FLUSH_SEGMENTS_PER_RUN } from "../../../src/durable/conversation/work";
import type { ArchiveStore } from "../../../src/storage/archive";
import { kvArchive } from "../../../src/storage/archive";
import { kvKeys, runDueWork, sqlOf, withObject } from "../../helpers/conversation-object";
import { call, freshId, readAllMessages } from "../../helpers/http";
import { KV_LIMITS, kvLimitReport, resetKvLimitReport } from "../../helpers/production-limits";

// A KV outage while a bulk import spills leaves more segments waiting than one alarm may
// write: production allows 1,000 KV operations an invocation (enforced here by
// production-limits.ts). The flush writes FLUSH_SEGMENTS_PER_RUN a run and carries on in
// the next one.
const SEGMENT = 100; // messages a segment holds at most (durable/conversation/archive.ts)

describe("the outbox after a KV outage", () => {
  it("drains over several alarms, each within production's KV operations", async () => {
    const id = freshId("outbox-cap");
    await call("PUT", `/v1/conversations/${id}`, {
      body: { tokenizer: "approx", workingTokens: 256 },
    });
    const store = await withObject(id, (instance) => {
      const inner = kvArchive(env.ARCHIVE);
      const failing: ArchiveStore & { fail: boolean; puts: number } = {
        fail: true,
        puts: 0,
        async put(key, segment) {
          if (failing.fail) throw new Error("injected KV failure");
          failing.puts++;
          return inner.put(key, segment);
        },
        getMany: (keys) => inner.getMany(keys),
        delete: (keys) => inner.delete(keys),
      };
      instance.archive = failing;
      return failing;
    });
    const total = (FLUSH_SEGMENTS_PER_RUN + 20) * SEGMENT;
    for (let start = 0; start < total; start += 100) {
      const messages = Array.from({ length: 100 }, (_, i) => ({
        role: (start + i) % 2 ? "assistant" : "user",
        content: `turn ${start + i}`,
        id: `m-${start + i}`,
      }));
      const res = await call("POST", `/v1/conversations/${id}/messages`, { body: { messages } });
      expect(res.status, res.text).toBe(201);
    }
    const outbox = async () =>
      (
        await sqlOf<{ n: number }>(id, "SELECT COUNT(*) AS n FROM messages WHERE tier = 'outbox'")
      )[0]?.n ?? 0;
    expect(await outbox()).toBeGreaterThan(FLUSH_SEGMENTS_PER_RUN * SEGMENT);

    await withObject(id, () => {
      store.fail = false;
    });
    resetKvLimitReport();
    await runDueWork(id);
    expect(store.puts).toBe(FLUSH_SEGMENTS_PER_RUN);
    expect(kvLimitReport().maxOperations).toBeLessThanOrEqual(KV_LIMITS.operationsPerInvocation);
    expect(await outbox()).toBeGreaterThan(0);

    await runDueWork(id);
    expect(await outbox()).toBe(0);
    expect(kvLimitReport().violations).toEqual([]);
    const segments = await sqlOf<{ n: number }>(id, "SELECT COUNT(*) AS n FROM segments");
    expect((await kvKeys(`t/alpha/c/${id}/`)).length).toBe(segments[0]?.n);
    // Every message once, in order, wherever it now lives.
    const all = await readAllMessages(id, "asc", 500);
    expect(all.map((m) => m.id)).toEqual(Array.from({ length: total }, (_, i) => `m-${i}`));
  }, 120_000);
});
