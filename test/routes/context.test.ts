import { describe, expect, it } from "vitest";
import { loadTokenCounter } from "../../src/memory/tokens";
import { runDueWork } from "../helpers/conversation-object";
import { call, freshId } from "../helpers/http";
import { expectProblem } from "../helpers/problems";
import { tokenTables } from "../helpers/token-tables";

const base = (id: string) => `/v1/conversations/${id}`;

async function conversationWith(messages: object[], settings: object = {}) {
  const id = freshId("ctx");
  await call("PUT", base(id), { body: settings });
  for (let i = 0; i < messages.length; i += 100) {
    const res = await call("POST", `${base(id)}/messages`, {
      body: { messages: messages.slice(i, i + 100) },
    });
    expect(res.status, res.text).toBe(201);
  }
  return id;
}

async function recount(messages: { content: string; name?: string }[]) {
  const count = await loadTokenCounter("o200k_base", tokenTables);
  return messages.reduce((sum, m) => sum + count(m.content) + 3 + (m.name ? 1 : 0), 0);
}

describe("GET /v1/conversations/{id}/context", () => {
  it("packs pinned, then recent turns in order, with exact accounting", async () => {
    const id = await conversationWith([
      { role: "system", content: "You are a concise travel assistant.", pinned: true },
      { role: "user", content: "Hi, I am planning a trip.", name: "Ana" },
      { role: "assistant", content: "Great! Where to?" },
      { role: "user", content: "Lisbon, in March." },
    ]);
    const res = await call("GET", `${base(id)}/context?maxTokens=500&recall=0`);
    expect(res.status, res.text).toBe(200);
    const { messages, usage, truncated, summary, recalled } = res.json;
    expect(messages).toEqual([
      { role: "system", content: "You are a concise travel assistant." },
      { role: "user", content: "Hi, I am planning a trip.", name: "Ana" },
      { role: "assistant", content: "Great! Where to?" },
      { role: "user", content: "Lisbon, in March." },
    ]);
    expect(summary).toBeNull();
    expect(recalled).toEqual([]);
    expect(truncated).toBe(false);
    expect(usage.tokenizer).toBe("o200k_base");
    expect(usage.budget).toBe(500);
    expect(usage.pinned + usage.summary + usage.recalled + usage.recent).toBe(usage.total);
    expect(usage.total).toBe(await recount(messages));
    expect(usage.pinned).toBe(await recount(messages.slice(0, 1)));
  });

  it("leaves out older turns when the budget is small, never exceeding it", async () => {
    const turns = Array.from({ length: 30 }, (_, i) => ({
      role: i % 2 ? "assistant" : "user",
      content: `Turn number ${i} talks about something different each time.`,
    }));
    const id = await conversationWith(turns);
    for (const maxTokens of [1, 20, 57, 200]) {
      const res = await call("GET", `${base(id)}/context?maxTokens=${maxTokens}`);
      expect(res.status, res.text).toBe(200);
      expect(res.json.usage.total).toBeLessThanOrEqual(maxTokens);
      expect(res.json.usage.total).toBe(await recount(res.json.messages));
      expect(res.json.truncated).toBe(true);
      const contents = res.json.messages.map((m: any) => m.content);
      // The recent turns are the newest ones, oldest first.
      const expected = turns.slice(turns.length - contents.length).map((t) => t.content);
      if (res.json.recalled.length === 0) expect(contents).toEqual(expected);
    }
  });

  it("is 400 on maxTokens when the pinned messages alone do not fit", async () => {
    const id = await conversationWith([
      { role: "system", content: "A long pinned system prompt. ".repeat(20), pinned: true },
    ]);
    expectProblem(await call("GET", `${base(id)}/context?maxTokens=10`), 400, "invalid_request", [
      "maxTokens",
    ]);
  });

  it("recalls a fact stated long ago, from the archive, and never repeats a recent turn", async () => {
    const filler = (i: number) => ({
      role: i % 2 ? "assistant" : "user",
      content: `Small talk ${i}: the weather, some music, a recipe for soup number ${i}.`,
    });
    const messages = [
      { role: "user", content: "My locker combination is 4-8-15, please remember it.", id: "fact" },
      ...Array.from({ length: 2000 }, (_, i) => filler(i)),
    ];
    const id = await conversationWith(messages, { workingTokens: 1000 });
    await runDueWork(id);
    const res = await call(
      "GET",
      `${base(id)}/context?maxTokens=800&query=${encodeURIComponent("what is my locker combination?")}`,
    );
    expect(res.status, res.text).toBe(200);
    const recalledIds = res.json.recalled.map((r: any) => r.id);
    expect(recalledIds).toContain("fact");
    const note = res.json.messages.find((m: any) => m.role === "system");
    expect(note.content).toContain("4-8-15");
    expect(res.json.usage.total).toBeLessThanOrEqual(800);
    expect(res.json.usage.total).toBe(await recount(res.json.messages));
    const recentContents = new Set(res.json.messages.map((m: any) => m.content));
    for (const r of res.json.recalled) expect(recentContents.has(r.text)).toBe(false);
  });

  it("answers POST with the same fields as JSON", async () => {
    const id = await conversationWith([{ role: "user", content: "hello" }]);
    const get = await call("GET", `${base(id)}/context?maxTokens=100&recall=0`);
    const post = await call("POST", `${base(id)}/context`, { body: { maxTokens: 100, recall: 0 } });
    expect(post.status, post.text).toBe(200);
    expect(post.json).toEqual(get.json);
  });

  it.each([
    ["?maxTokens=0", "maxTokens"],
    ["?maxTokens=1000001", "maxTokens"],
    ["?maxTokens=ten", "maxTokens"],
    ["?recall=101", "recall"],
    ["?recall=-1", "recall"],
    ["?maxTokens=100&recallTokens=200", "recallTokens"],
  ])("rejects %s naming %s", async (query, field) => {
    const id = await conversationWith([{ role: "user", content: "x" }]);
    expectProblem(await call("GET", `${base(id)}/context${query}`), 400, "invalid_request", [
      field,
    ]);
  });

  it("rejects bad JSON fields on POST and 404s for unknown conversations", async () => {
    const id = await conversationWith([{ role: "user", content: "x" }]);
    const res = await call("POST", `${base(id)}/context`, {
      body: { maxTokens: "a lot", extra: 1 },
    });
    expectProblem(res, 400, "invalid_request", ["maxTokens", "extra"]);
    expectProblem(await call("GET", `${base(freshId())}/context`), 404, "not_found");
    expectProblem(await call("GET", `${base(id)}/context`, { key: null }), 401, "unauthorized");
  });
});
