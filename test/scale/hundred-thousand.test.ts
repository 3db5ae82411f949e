import { describe, expect, it } from "vitest";
import { kvKeys, runDueWork, sqlOf, withObject } from "../helpers/conversation-object";
import { call, freshId } from "../helpers/http";

const TOTAL = Number(process.env.SCALE_MESSAGES ?? 100_000);

describe(`a conversation of ${TOTAL} messages`, () => {
  it("keeps a small object within budget, and pages through every message once", async () => {
    const id = freshId("scale");
    await call("PUT", `/v1/conversations/${id}`, { body: { workingTokens: 4000 } });
    for (let start = 0; start < TOTAL; start += 100) {
      const messages = Array.from({ length: 100 }, (_, i) => ({
        role: (start + i) % 2 ? "assistant" : "user",
        content: `Message ${start + i}: the quick brown fox jumps over the lazy dog near the river bank.`,
        id: `m-${start + i}`,
      }));
      const res = await call("POST", `/v1/conversations/${id}/messages`, { body: { messages } });
      expect(res.status).toBe(201);
      if (start % 5_000 === 0) await runDueWork(id);
    }
    await runDueWork(id);
    await withObject(id, (_i, state) =>
      state.storage.sql.exec("UPDATE segments SET written_at = 0"),
    );
    // Spilled rows leave the object a bounded number of segments per alarm run.
    let runs = 0;
    for (; runs < 100; runs++) {
      await runDueWork(id);
      const [left] = await sqlOf<{ n: number }>(
        id,
        "SELECT COUNT(*) AS n FROM messages WHERE tier = 'spilled'",
      );
      if (left?.n === 0) break;
    }
    expect(runs).toBeGreaterThan(1);
    expect(runs).toBeLessThan(100);

    const conv = (await call("GET", `/v1/conversations/${id}`)).json;
    expect(conv.stats.totalMessages).toBe(TOTAL);
    expect(conv.stats.workingTokenCount).toBeLessThanOrEqual(4000);
    const databaseBytes = await withObject(id, (_i, state) => state.storage.sql.databaseSize);
    const keys = (await kvKeys(`t/alpha/c/${id}/`)).length;

    let seen = 0;
    let cursor: string | null = null;
    let expected = 1;
    do {
      const page: any = await call(
        "GET",
        `/v1/conversations/${id}/messages?limit=500${cursor ? `&cursor=${cursor}` : ""}`,
      );
      for (const message of page.json.messages) {
        expect(message.seq).toBe(expected++);
        seen++;
      }
      cursor = page.json.nextCursor;
    } while (cursor);
    expect(seen).toBe(TOTAL);

    // Figures, not assertions (benchmarks live in bench/): context and search at this size.
    const timed = async (method: string, path: string, body?: object) => {
      const times: number[] = [];
      for (let i = 0; i < 7; i++) {
        const started = performance.now();
        const res = await call(method, path, body ? { body } : {});
        expect(res.status, res.text).toBe(200);
        times.push(performance.now() - started);
      }
      return Math.round(times.sort((a, b) => a - b)[3] ?? 0);
    };
    const contextP50 = await timed("POST", `/v1/conversations/${id}/context`, {
      maxTokens: 2000,
      recall: 8,
      query: "Message 4242 about the river bank",
    });
    const searchP50 = await timed("POST", `/v1/conversations/${id}/search`, {
      query: "Message 4242 fox",
      limit: 10,
    });
    // The inspector's timeline: one page from anywhere in the history, or the newest one.
    const middle = Math.floor(TOTAL / 2) + 1;
    const jumpPath = `/v1/conversations/${id}/messages?fromSeq=${middle}&limit=50`;
    const jumped = (await call("GET", jumpPath)).json;
    expect(jumped.messages.map((m: { seq: number }) => m.seq)).toEqual(
      Array.from({ length: 50 }, (_, i) => middle + i),
    );
    const newest = (await call("GET", `/v1/conversations/${id}/messages?order=desc&limit=50`)).json;
    expect(newest.messages[0].seq).toBe(TOTAL);
    const jumpP50 = await timed("GET", jumpPath);
    console.info(
      JSON.stringify({
        scale: TOTAL,
        workingMessages: conv.stats.workingMessages,
        workingTokenCount: conv.stats.workingTokenCount,
        databaseBytes,
        kvKeys: keys,
        contextP50ms: contextP50,
        searchP50ms: searchP50,
        timelineJumpP50ms: jumpP50,
      }),
    );
    expect(databaseBytes).toBeLessThan(64 * 1024 * 1024);
  }, 600_000);
});
