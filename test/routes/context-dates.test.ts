import { describe, expect, it } from "vitest";
import { loadTokenCounter } from "../../src/memory/tokens";
import { runDueWork } from "../helpers/conversation-object";
import { call, freshId } from "../helpers/http";
import { expectProblem } from "../helpers/problems";
import { tokenTables } from "../helpers/token-tables";

type Sent = { role: string; content: string; name?: string; tool_calls?: unknown[] };

async function conversationWith(messages: object[], settings: object = {}) {
  const id = freshId("dates");
  await call("PUT", `/v1/conversations/${id}`, { body: settings });
  for (let i = 0; i < messages.length; i += 100) {
    const res = await call("POST", `/v1/conversations/${id}/messages`, {
      body: { messages: messages.slice(i, i + 100) },
    });
    expect(res.status, res.text).toBe(201);
  }
  return id;
}

async function recount(messages: Sent[]) {
  const count = await loadTokenCounter("o200k_base", tokenTables);
  return messages.reduce((sum, m) => sum + count(m.content ?? "") + 3 + (m.name ? 1 : 0), 0);
}

/** Three days of a chat, four turns a day. */
const DAYS = ["2026-03-02", "2026-03-05", "2026-03-09"];
const chat = DAYS.flatMap((day, d) =>
  [0, 1, 2, 3].map((k) => ({
    role: k % 2 ? "assistant" : "user",
    content: `Day ${d + 1}, turn ${k + 1}: something worth saying about the trip.`,
    createdAt: `${day}T1${k}:00:00.000Z`,
  })),
);
const dayLine = (day: string) => ({ role: "system", content: `[${day}]` });

describe("context with `dates`: a day line before each day's first recent turn", () => {
  it("marks each day once, before its first turn, and counts the lines exactly", async () => {
    const id = await conversationWith(chat);
    const res = await call("POST", `/v1/conversations/${id}/context`, {
      body: { maxTokens: 2000, recall: 0, dates: true },
    });
    expect(res.status, res.text).toBe(200);
    const turns = chat.map(({ role, content }) => ({ role, content }));
    expect(res.json.messages).toEqual([
      dayLine(DAYS[0] as string),
      ...turns.slice(0, 4),
      dayLine(DAYS[1] as string),
      ...turns.slice(4, 8),
      dayLine(DAYS[2] as string),
      ...turns.slice(8),
    ]);
    expect(res.json.usage.recent).toBe(await recount(res.json.messages));
    expect(res.json.usage.total).toBe(await recount(res.json.messages));
    expect(res.json.truncated).toBe(false);

    const plain = await call("GET", `/v1/conversations/${id}/context?maxTokens=2000&recall=0`);
    expect(plain.json.messages).toEqual(turns);
    const asQuery = await call(
      "GET",
      `/v1/conversations/${id}/context?maxTokens=2000&recall=0&dates=true`,
    );
    expect(asQuery.json.messages).toEqual(res.json.messages);
  });

  it("never exceeds the budget: a day line is paid for with the turns it heads", async () => {
    const id = await conversationWith(chat);
    for (let maxTokens = 1; maxTokens <= 260; maxTokens += 7) {
      const res = await call("POST", `/v1/conversations/${id}/context`, {
        body: { maxTokens, recall: 0, dates: true },
      });
      expect(res.status, res.text).toBe(200);
      const { messages, usage } = res.json;
      expect(usage.total).toBeLessThanOrEqual(maxTokens);
      expect(usage.total).toBe(await recount(messages));
      // The oldest turn shown always has its day; no day line stands alone at the end.
      if (messages.length > 0) expect(messages[0].content).toMatch(/^\[\d{4}-\d{2}-\d{2}\]$/);
      expect(messages.at(-1)?.content ?? "").not.toMatch(/^\[\d{4}-\d{2}-\d{2}\]$/);
    }
  });

  it("with a summary and recall, the day lines are only among the recent turns", async () => {
    const long = Array.from({ length: 60 }, (_, i) => ({
      role: i % 2 ? "assistant" : "user",
      content: `Message ${i} of a long chat about planning a garden ${i % 7 === 0 ? "with tomatoes" : ""}.`,
      createdAt: `2026-04-${String(1 + Math.floor(i / 10)).padStart(2, "0")}T09:${String(i % 60).padStart(2, "0")}:00.000Z`,
    }));
    const id = await conversationWith(long, { workingTokens: 300 });
    await runDueWork(id);
    const res = await call("POST", `/v1/conversations/${id}/context`, {
      body: { maxTokens: 600, query: "tomatoes", dates: true },
    });
    expect(res.status, res.text).toBe(200);
    const { messages, usage } = res.json;
    expect(usage.total).toBeLessThanOrEqual(600);
    expect(usage.total).toBe(await recount(messages));
    const lines = messages.filter((m: Sent) => /^\[\d{4}-\d{2}-\d{2}\]$/.test(m.content));
    expect(lines.length).toBeGreaterThan(0);
    const days = lines.map((m: Sent) => m.content);
    expect(new Set(days).size).toBe(days.length);
  });

  it("never puts a day line inside a tool exchange", async () => {
    const id = await conversationWith([
      { role: "user", content: "Weather in Oslo?", createdAt: "2026-05-01T23:58:00.000Z" },
      {
        role: "assistant",
        content: null,
        tool_calls: [
          {
            id: "call_1",
            type: "function",
            function: { name: "weather", arguments: '{"city":"Oslo"}' },
          },
        ],
        createdAt: "2026-05-01T23:59:00.000Z",
      },
      {
        role: "tool",
        tool_call_id: "call_1",
        content: "3 °C, sleet",
        createdAt: "2026-05-02T00:00:30.000Z",
      },
      { role: "assistant", content: "3 °C and sleet.", createdAt: "2026-05-02T00:01:00.000Z" },
    ]);
    const res = await call("POST", `/v1/conversations/${id}/context`, {
      body: { maxTokens: 1000, recall: 0, dates: true },
    });
    expect(res.status, res.text).toBe(200);
    expect(res.json.messages.map((m: Sent) => m.role)).toEqual([
      "system",
      "user",
      "assistant",
      "tool",
      "system",
      "assistant",
    ]);
    expect(res.json.messages[0].content).toBe("[2026-05-01]");
    expect(res.json.messages[4].content).toBe("[2026-05-02]");
  });

  it("takes only a boolean", async () => {
    const id = await conversationWith(chat.slice(0, 2));
    expectProblem(
      await call("POST", `/v1/conversations/${id}/context`, { body: { dates: "yes" } }),
      400,
      "invalid_request",
      ["dates"],
    );
    expectProblem(
      await call("GET", `/v1/conversations/${id}/context?dates=yes`),
      400,
      "invalid_request",
      ["dates"],
    );
  });
});
