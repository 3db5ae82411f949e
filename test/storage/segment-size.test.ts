import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { runDueWork, sqlOf } from "../helpers/conversation-object";
import { call, freshId, readAllMessages } from "../helpers/http";

/** The bound archive.ts keeps a segment under (SEGMENT_MAX_BYTES), with room for JSON framing. */
const SEGMENT_BOUND = 512 * 1024 * 1.1;

describe("archive segments", () => {
  it("stay under their size bound, and record at least their size, when items carry most of their bytes", async () => {
    const id = freshId("segments");
    const put = await call("PUT", `/v1/conversations/${id}`, { body: { workingTokens: 256 } });
    expect(put.status, put.text).toBeLessThan(300);
    // Reasoning items: no words, so `content` is empty, and 20 kB of encrypted content each.
    for (let batch = 0; batch < 4; batch++) {
      const messages = Array.from({ length: 40 }, (_, i) => [
        {
          type: "reasoning",
          id: `rs_${batch}_${i}`,
          summary: [],
          encrypted_content: `${batch}.${i}.`.padEnd(20_000, "x"),
        },
        {
          type: "message",
          id: `msg_${batch}_${i}`,
          role: "assistant",
          content: [{ type: "output_text", text: `Answer ${batch}.${i}.` }],
        },
      ]).flat();
      const res = await call("POST", `/v1/conversations/${id}/messages`, { body: { messages } });
      expect(res.status, res.text).toBe(201);
    }
    await runDueWork(id);
    await runDueWork(id);
    const segments = await sqlOf<{ kv_key: string; bytes: number }>(
      id,
      "SELECT kv_key, bytes FROM segments",
    );
    expect(segments.length).toBeGreaterThan(1);
    for (const { kv_key, bytes } of segments) {
      const value = await env.ARCHIVE.get(kv_key);
      const size = new TextEncoder().encode(value ?? "").byteLength;
      expect(size, kv_key).toBeLessThan(SEGMENT_BOUND);
      expect(bytes, kv_key).toBeGreaterThanOrEqual(size);
    }
    // Every item still reads back whole.
    const all = await readAllMessages(id);
    expect(all).toHaveLength(320);
    expect(all[0].item.encrypted_content).toHaveLength(20_000);
  });
});
