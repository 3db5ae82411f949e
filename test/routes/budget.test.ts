import { describe, expect, it } from "vitest";
import { call, freshId } from "../helpers/http";

const messagesOf = (id: string) => `/v1/conversations/${id}/messages`;
// With the `approx` tokenizer, 4 ASCII bytes are one token: exact, predictable budgets.
const ofTokens = (n: number, tag: string) => `${tag}:`.padEnd(n * 4, "x");

async function allMessages(id: string) {
  const res = await call("GET", `${messagesOf(id)}?limit=500`);
  expect(res.status).toBe(200);
  return res.json.messages as any[];
}

describe("working-memory budget", () => {
  it("spills the oldest unpinned messages down to the low watermark; pinned ones stay", async () => {
    const id = freshId();
    await call("PUT", `/v1/conversations/${id}`, {
      body: { tokenizer: "approx", workingTokens: 1000 },
    });
    const system = { role: "system", content: ofTokens(50, "system"), pinned: true };
    await call("POST", messagesOf(id), { body: { messages: [system] } });

    for (let i = 0; i < 40; i++) {
      const res = await call("POST", messagesOf(id), {
        body: {
          messages: [{ role: i % 2 ? "assistant" : "user", content: ofTokens(100, `turn${i}`) }],
        },
      });
      expect(res.status).toBe(201);
      // Never over budget after an append has answered.
      expect(res.json.conversation.workingTokenCount).toBeLessThanOrEqual(1000);
    }

    const conv = (await call("GET", `/v1/conversations/${id}`)).json;
    expect(conv.stats.workingTokenCount).toBeLessThanOrEqual(1000);
    expect(conv.stats.totalMessages).toBe(41);
    expect(conv.stats.workingMessages + conv.stats.archivedMessages).toBe(41);

    const messages = await allMessages(id);
    expect(messages.map((m) => m.seq)).toEqual(Array.from({ length: 41 }, (_, i) => i + 1));
    expect(messages[0]).toMatchObject({ pinned: true, tier: "working" });
    const working = messages.filter((m) => m.tier === "working");
    const archived = messages.filter((m) => m.tier === "archived");
    expect(archived.length).toBe(conv.stats.archivedMessages);
    expect(working.reduce((s, m) => s + m.tokens, 0)).toBe(conv.stats.workingTokenCount);
    // Archived messages are exactly the oldest unpinned ones: a prefix of the turns.
    const turns = messages.slice(1);
    const firstWorking = turns.findIndex((m) => m.tier === "working");
    expect(turns.slice(firstWorking).every((m) => m.tier === "working")).toBe(true);
    expect(turns.slice(0, firstWorking).every((m) => m.tier === "archived")).toBe(true);
  });

  it("spills in batches (hysteresis), not one message per append", async () => {
    const id = freshId();
    await call("PUT", `/v1/conversations/${id}`, {
      body: { tokenizer: "approx", workingTokens: 1000 },
    });
    const archivedAfter: number[] = [];
    for (let i = 0; i < 30; i++) {
      const res = await call("POST", messagesOf(id), {
        body: { messages: [{ role: "user", content: ofTokens(100, `t${i}`) }] },
      });
      archivedAfter.push(res.json.conversation.archivedMessages);
    }
    const spills = archivedAfter.filter((n, i) => n !== (archivedAfter[i - 1] ?? 0)).length;
    expect(spills).toBeGreaterThan(0);
    expect(spills).toBeLessThan(10);
  });

  it("keeps pinned messages even when they alone exceed the budget", async () => {
    const id = freshId();
    await call("PUT", `/v1/conversations/${id}`, {
      body: { tokenizer: "approx", workingTokens: 256 },
    });
    await call("POST", messagesOf(id), {
      body: {
        messages: [
          { role: "system", content: ofTokens(300, "big-system"), pinned: true },
          { role: "user", content: ofTokens(10, "u") },
        ],
      },
    });
    const messages = await allMessages(id);
    expect(messages.map((m) => m.tier)).toEqual(["working", "archived"]);
    const conv = (await call("GET", `/v1/conversations/${id}`)).json;
    expect(conv.stats).toMatchObject({
      workingMessages: 1,
      workingTokenCount: 300,
      archivedMessages: 1,
    });
  });

  it("applies a lowered budget at once", async () => {
    const id = freshId();
    await call("PUT", `/v1/conversations/${id}`, {
      body: { tokenizer: "approx", workingTokens: 4000 },
    });
    const messages = Array.from({ length: 20 }, (_, i) => ({
      role: "user",
      content: ofTokens(100, `m${i}`),
    }));
    await call("POST", messagesOf(id), { body: { messages } });
    const lowered = await call("PUT", `/v1/conversations/${id}`, { body: { workingTokens: 1000 } });
    expect(lowered.json.stats.workingTokenCount).toBeLessThanOrEqual(750);
    expect(lowered.json.stats.archivedMessages).toBeGreaterThan(0);
  });
});
