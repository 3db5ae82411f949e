import { describe, expect, it } from "vitest";
import { runDueWork } from "../helpers/conversation-object";
import { call, freshId, readAllMessages } from "../helpers/http";
import { expectProblem } from "../helpers/problems";

const base = (id: string) => `/v1/conversations/${id}`;
const append = (id: string, messages: unknown[], headers?: Record<string, string>) =>
  call("POST", `${base(id)}/messages`, { body: { messages }, headers });
const rewind = (id: string, afterSeq: unknown) =>
  call("POST", `${base(id)}/rewind`, { body: { afterSeq } });
const search = async (id: string, query: string) =>
  (await call("POST", `${base(id)}/search`, { body: { query } })).json.results.map(
    (r: any) => r.message.id,
  );

describe("POST /v1/conversations/{id}/rewind", () => {
  it("regenerates an answer: the last turn goes, its id may be used again, seqs stay contiguous", async () => {
    const id = freshId();
    await append(id, [
      { role: "user", content: "Name a fruit.", id: "q" },
      { role: "assistant", content: "A durian.", id: "a" },
    ]);
    const before = (await call("GET", base(id))).json;
    const res = await rewind(id, 1);
    expect(res.status, res.text).toBe(200);
    expect(res.json).toEqual({
      removed: 1,
      conversation: {
        workingMessages: 1,
        workingTokenCount: (await readAllMessages(id))[0].tokens,
        archivedMessages: 0,
        version: before.version + 1,
      },
    });
    const again = await append(id, [{ role: "assistant", content: "A mango.", id: "a" }]);
    expect(again.json.messages[0]).toMatchObject({ id: "a", seq: 2, duplicate: false });
    expect((await readAllMessages(id)).map((m) => m.content)).toEqual([
      "Name a fruit.",
      "A mango.",
    ]);
    const conv = (await call("GET", base(id))).json;
    expect(conv.stats).toMatchObject({ totalMessages: 2, workingMessages: 2 });
    expect(conv.stats.workingTokenCount).toBe(
      (await readAllMessages(id)).reduce((sum, m) => sum + m.tokens, 0),
    );
  });

  it("edits the last user turn: search and the context no longer see the removed messages", async () => {
    const id = freshId();
    await append(id, [
      { role: "system", content: "Be brief.", pinned: true },
      { role: "user", content: "Book a table in Zanzibar." },
      { role: "assistant", content: "Which night for Zanzibar?" },
    ]);
    expect((await search(id, "zanzibar")).length).toBe(2);
    expect((await rewind(id, 1)).json.removed).toBe(2);
    await append(id, [{ role: "user", content: "Book a table in Porto." }]);
    expect(await search(id, "zanzibar")).toEqual([]);
    expect((await search(id, "porto")).length).toBe(1);
    const context = await call("GET", `${base(id)}/context?recall=0`);
    expect(context.json.messages.map((m: any) => m.content)).toEqual([
      "Be brief.",
      "Book a table in Porto.",
    ]);
  });

  it("removes nothing at or past the last seq", async () => {
    const id = freshId();
    await append(id, [{ role: "user", content: "one" }]);
    const version = (await call("GET", base(id))).json.version;
    for (const afterSeq of [1, 5]) {
      const res = await rewind(id, afterSeq);
      expect(res.json).toMatchObject({ removed: 0, conversation: { workingMessages: 1, version } });
    }
  });

  it("is 409 when a message to remove has left working memory, and removes nothing", async () => {
    const id = freshId();
    await call("PUT", base(id), { body: { tokenizer: "approx", workingTokens: 256 } });
    const turns = Array.from({ length: 30 }, (_, i) => ({
      role: i % 2 ? "assistant" : "user",
      content: `turn ${i} `.padEnd(100, "z"),
    }));
    await append(id, turns);
    const conv = (await call("GET", base(id))).json;
    expect(conv.stats.archivedMessages).toBeGreaterThan(0);
    expectProblem(await rewind(id, 0), 409, "conflict", ["afterSeq"]);
    await runDueWork(id); // in KV now
    expectProblem(await rewind(id, conv.stats.archivedMessages - 1), 409, "conflict", ["afterSeq"]);
    expect((await readAllMessages(id)).length).toBe(30);
    // The working part alone can go.
    const res = await rewind(id, conv.stats.archivedMessages);
    expect(res.json.removed).toBe(conv.stats.workingMessages);
    expect(res.json.conversation).toMatchObject({
      workingMessages: 0,
      workingTokenCount: 0,
      archivedMessages: conv.stats.archivedMessages,
    });
  });

  it("keeps the summary free of removed messages as later turns are archived", async () => {
    const id = freshId();
    await call("PUT", base(id), {
      body: { tokenizer: "approx", workingTokens: 512, summary: { strategy: "extractive" } },
    });
    const turns = (from: number, count: number, word: string) =>
      Array.from({ length: count }, (_, i) => ({
        role: "user",
        content: `Note ${from + i}: the ${word} shipment number ${from + i} leaves at ${i} pm.`,
      }));
    await append(id, turns(0, 40, "Lisbon"));
    const kept = (await call("GET", base(id))).json.stats;
    expect(kept.archivedMessages).toBeGreaterThan(0);
    await append(id, turns(100, 5, "Zanzibar"));
    expect((await rewind(id, kept.totalMessages)).json.removed).toBe(5);
    await append(id, turns(200, 80, "Porto"));
    await runDueWork(id);
    await runDueWork(id);
    const conv = (await call("GET", base(id))).json;
    expect(conv.summary.text).toMatch(/Lisbon|Porto/);
    expect(conv.summary.text).not.toContain("Zanzibar");
    expect(conv.stats.totalMessages).toBe(120);
    expect(conv.stats.archivedMessages).toBeGreaterThan(kept.archivedMessages);
    expect(await search(id, "zanzibar")).toEqual([]);
    const context = await call("GET", `${base(id)}/context?query=zanzibar`);
    expect(context.text).not.toContain("Zanzibar");
  });

  it("forgets an Idempotency-Key whose append it removed: a retry appends again", async () => {
    const id = freshId();
    await append(id, [{ role: "user", content: "first" }]);
    const headers = { "idempotency-key": "turn-2" };
    const body = [{ role: "user", content: "second" }];
    expect((await append(id, body, headers)).json.messages[0].seq).toBe(2);
    await rewind(id, 1);
    const retry = await append(id, body, headers);
    expect(retry.json.messages[0]).toMatchObject({ seq: 2, duplicate: false });
    expect((await readAllMessages(id)).map((m) => m.content)).toEqual(["first", "second"]);
  });

  it("is 404 for an unknown conversation and 400 naming afterSeq for a bad value", async () => {
    expectProblem(await rewind(freshId(), 0), 404, "not_found");
    const id = freshId();
    await append(id, [{ role: "user", content: "x" }]);
    for (const bad of [-1, 1.5, "2", null]) {
      expectProblem(await rewind(id, bad), 400, "invalid_request", ["afterSeq"]);
    }
  });
});
