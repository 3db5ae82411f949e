import { describe, expect, it } from "vitest";
import { READ_BUDGET_BYTES } from "../../../src/durable/conversation/archive";
import { isolateSegments } from "../../../src/storage/segment-cache";
import { runDueWork, sqlOf } from "../../helpers/conversation-object";
import { call, freshId } from "../../helpers/http";
import { kvLimitReport, resetKvLimitReport } from "../../helpers/production-limits";

/**
 * A context call reads at most READ_BUDGET_BYTES of archived segments, as search and
 * message pages do (issue #14, finding 7: recall could parse 100 segments of 512 KiB).
 */
describe("context reads a bounded number of bytes", () => {
  it("reads at most the read budget of KV segments, however many hits and reach it has", {
    timeout: 90_000,
  }, async () => {
    const id = freshId("budget");
    await call("PUT", `/v1/conversations/${id}`, {
      body: { tokenizer: "approx", workingTokens: 256 },
    });
    // ~9 MiB of messages that all match the query, in segments of about 512 KiB.
    for (let request = 0; request < 15; request++) {
      const messages = Array.from({ length: 10 }, (_, i) => ({
        role: "user",
        content: `kiwi ${request}-${i} `.padEnd(60_000, "x"),
      }));
      const res = await call("POST", `/v1/conversations/${id}/messages`, { body: { messages } });
      expect(res.status, res.text).toBe(201);
      await runDueWork(id);
    }
    // Past the grace: the archived rows are gone from the object, bodies only in KV.
    await sqlOf(id, "UPDATE segments SET written_at = 0");
    for (let run = 0; run < 4; run++) await runDueWork(id); // 50 segments' rows a run
    const [stored] = await sqlOf<{ bytes: number; n: number }>(
      id,
      "SELECT sum(bytes) AS bytes, count(*) AS n FROM segments",
    );
    expect(stored?.bytes).toBeGreaterThan(READ_BUDGET_BYTES);
    isolateSegments.clear();
    resetKvLimitReport();
    const res = await call(
      "GET",
      `/v1/conversations/${id}/context?query=kiwi&recall=100&maxTokens=1000000`,
    );
    expect(res.status, res.text).toBe(200);
    expect(res.json.recalled.length).toBeGreaterThan(0);
    const { maxBytesRead, bytesReadBy } = kvLimitReport();
    expect(bytesReadBy).toMatch(/ConversationMemory/);
    expect(maxBytesRead).toBeLessThanOrEqual(READ_BUDGET_BYTES);
  });
});
