import { describe, expect, it } from "vitest";
import { call, freshId, readAllMessages } from "../helpers/http";
import { expectProblem } from "../helpers/problems";

const messagesOf = (id: string) => `/v1/conversations/${id}/messages`;
const user = (content: unknown, extra: Record<string, unknown> = {}) => ({
  role: "user",
  content,
  ...extra,
});

describe("POST /v1/conversations/{id}/messages", () => {
  it("appends in order with contiguous seqs, token counts and the conversation's counters", async () => {
    const id = freshId();
    const res = await call("POST", messagesOf(id), {
      body: {
        messages: [
          { role: "system", content: "You are helpful.", pinned: true },
          user("hello world", {
            name: "Ana",
            id: "m-1",
            metadata: { lang: "en" },
            createdAt: "2026-11-28T10:00:00Z",
          }),
          { role: "assistant", content: "Hi Ana!" },
        ],
      },
    });
    expect(res.status, res.text).toBe(201);
    expect(res.json.messages.map((m: any) => m.seq)).toEqual([1, 2, 3]);
    expect(res.json.messages[1]).toEqual({
      id: "m-1",
      seq: 2,
      tokens: 2,
      createdAt: "2026-11-28T10:00:00Z",
      duplicate: false,
    });
    const total = res.json.messages.reduce((sum: number, m: any) => sum + m.tokens, 0);
    expect(res.json.conversation).toEqual({
      workingMessages: 3,
      workingTokenCount: total,
      archivedMessages: 0,
      version: 2,
    });

    const more = await call("POST", messagesOf(id), { body: { messages: [user("again")] } });
    expect(more.json.messages[0].seq).toBe(4);

    const stored = await readAllMessages(id);
    expect(stored.map((m) => m.seq)).toEqual([1, 2, 3, 4]);
    expect(stored[1]).toEqual({
      id: "m-1",
      seq: 2,
      role: "user",
      content: "hello world",
      name: "Ana",
      metadata: { lang: "en" },
      pinned: false,
      tokens: 2,
      createdAt: "2026-11-28T10:00:00Z",
      tier: "working",
    });
    expect(stored[0]).toMatchObject({ pinned: true, name: null, metadata: {} });
    const conv = await call("GET", `/v1/conversations/${id}`);
    expect(conv.json.stats).toMatchObject({ totalMessages: 4, workingMessages: 4 });
    expect(conv.json.lastMessageAt).not.toBeNull();
  });

  it("counts tokens with the conversation's tokenizer", async () => {
    const text = "Die Katze schläft auf dem Sofa, während es draußen regnet.";
    const counts: Record<string, number> = {};
    for (const tokenizer of ["o200k_base", "cl100k_base", "approx"]) {
      const id = freshId();
      await call("PUT", `/v1/conversations/${id}`, { body: { tokenizer } });
      const res = await call("POST", messagesOf(id), { body: { messages: [user(text)] } });
      counts[tokenizer] = res.json.messages[0].tokens;
    }
    expect(counts.approx).toBe(Math.ceil(new TextEncoder().encode(text).byteLength / 4));
    expect(counts.o200k_base).toBeGreaterThan(5);
    expect(counts.cl100k_base).toBeGreaterThan(counts.o200k_base as number);
  });

  it("does not append a message whose id exists with the same role and content; it returns the original as a duplicate", async () => {
    const id = freshId();
    const first = await call("POST", messagesOf(id), {
      body: { messages: [user("original", { id: "a", metadata: { try: 1 } })] },
    });
    const again = await call("POST", messagesOf(id), {
      body: {
        messages: [user("original", { id: "a", metadata: { try: 2 } }), user("new", { id: "b" })],
      },
    });
    expect(again.status).toBe(201);
    expect(again.json.messages[0]).toEqual({ ...first.json.messages[0], duplicate: true });
    expect(again.json.messages[1]).toMatchObject({ id: "b", seq: 2, duplicate: false });
    const stored = await readAllMessages(id);
    expect(stored.map((m) => m.content)).toEqual(["original", "new"]);
  });

  it.each([
    ["content", user("changed text", { id: "a" })],
    ["role", { role: "assistant", content: "original", id: "a" }],
    ["content parts", user([{ type: "text", text: "original" }], { id: "a" })],
  ])(
    "rejects a known id with another %s: 409 naming it, nothing of the batch appended",
    async (_, changed) => {
      const id = freshId();
      await call("POST", messagesOf(id), { body: { messages: [user("original", { id: "a" })] } });
      const res = await call("POST", messagesOf(id), {
        body: { messages: [user("new", { id: "b" }), changed, user("newer")] },
      });
      expectProblem(res, 409, "conflict", ["messages.1.id"]);
      const stored = await readAllMessages(id);
      expect(stored.map((m) => m.content)).toEqual(["original"]);
      const conv = await call("GET", `/v1/conversations/${id}`);
      expect(conv.json.stats.totalMessages).toBe(1);
    },
  );

  it("replays an Idempotency-Key with the first response and appends nothing", async () => {
    const id = freshId();
    const body = { messages: [user("pay the invoice")] };
    const headers = { "idempotency-key": "key-1" };
    const first = await call("POST", messagesOf(id), { body, headers });
    const retry = await call("POST", messagesOf(id), { body, headers });
    expect(retry.status).toBe(201);
    expect(retry.json).toEqual(first.json);
    expect((await readAllMessages(id)).length).toBe(1);

    const other = await call("POST", messagesOf(id), {
      body: { messages: [user("different")] },
      headers,
    });
    expectProblem(other, 409, "conflict", ["Idempotency-Key"]);
    expect((await readAllMessages(id)).length).toBe(1);

    // Keys are scoped to the conversation.
    const elsewhere = await call("POST", messagesOf(freshId()), { body, headers });
    expect(elsewhere.json.messages[0].seq).toBe(1);
  });

  it("is atomic: a batch with one bad message appends nothing", async () => {
    const id = freshId();
    await call("POST", messagesOf(id), { body: { messages: [user("first")] } });
    const res = await call("POST", messagesOf(id), {
      body: { messages: [user("fine"), { role: "robot", content: "bad" }] },
    });
    expectProblem(res, 400, "invalid_request", ["messages.1.role"]);
    expect((await readAllMessages(id)).map((m) => m.content)).toEqual(["first"]);
  });

  it.each([
    [{}, "messages"],
    [{ messages: [] }, "messages"],
    [{ messages: "hi" }, "messages"],
    [{ messages: [{ content: "no role" }] }, "messages.0.role"],
    [{ messages: [{ role: "user" }] }, "messages.0.content"],
    [{ messages: [{ role: "user", content: 42 }] }, "messages.0.content"],
    [{ messages: [user("x", { id: "bad id" })] }, "messages.0.id"],
    [{ messages: [user("x", { name: "" })] }, "messages.0.name"],
    [{ messages: [user("x", { pinned: "yes" })] }, "messages.0.pinned"],
    [{ messages: [user("x", { createdAt: "yesterday" })] }, "messages.0.createdAt"],
    [{ messages: [user("x", { metadata: { big: "y".repeat(5000) } })] }, "messages.0.metadata"],
    [{ messages: [user("x", { extra: 1 })] }, "messages.0.extra"],
    [{ messages: [user("x".repeat(65 * 1024))] }, "messages.0.content"],
    [{ messages: [user("x", { id: "dup" }), user("y", { id: "dup" })] }, "messages.1.id"],
    [{ messages: Array.from({ length: 101 }, () => user("x")) }, "messages"],
  ])("rejects %#, naming %s, and stores nothing", async (body, field) => {
    const id = freshId();
    expectProblem(await call("POST", messagesOf(id), { body }), 400, "invalid_request", [field]);
    expectProblem(await call("GET", `/v1/conversations/${id}`), 404, "not_found");
  });

  it("rejects a bad Idempotency-Key header", async () => {
    const res = await call("POST", messagesOf(freshId()), {
      body: { messages: [user("x")] },
      headers: { "idempotency-key": "k".repeat(256) },
    });
    expectProblem(res, 400, "invalid_request", ["Idempotency-Key"]);
  });

  it("answers malformed JSON, wrong content types and oversized bodies with problem+json", async () => {
    const id = freshId();
    expectProblem(
      await call("POST", messagesOf(id), { body: "{not json" }),
      400,
      "invalid_request",
    );
    const text = await call("POST", messagesOf(id), {
      body: JSON.stringify({ messages: [user("x")] }),
      headers: { "content-type": "text/plain" },
    });
    expectProblem(text, 415, "invalid_request");
    const huge = await call("POST", messagesOf(id), {
      body: { messages: [user("x".repeat(1024 * 1024 + 10))] },
    });
    expectProblem(huge, 413, "payload_too_large");
    expectProblem(await call("GET", `/v1/conversations/${id}`), 404, "not_found");
  });

  it("needs an API key", async () => {
    const res = await call("POST", messagesOf(freshId()), {
      key: null,
      body: { messages: [user("x")] },
    });
    expectProblem(res, 401, "unauthorized");
  });
});

describe("GET /v1/conversations/{id}/messages", () => {
  it("pages both ways with cursors, every message exactly once", async () => {
    const id = freshId();
    for (let batch = 0; batch < 3; batch++) {
      const messages = Array.from({ length: 25 }, (_, i) => user(`message ${batch * 25 + i + 1}`));
      expect((await call("POST", messagesOf(id), { body: { messages } })).status).toBe(201);
    }
    const asc = await readAllMessages(id, "asc", 7);
    expect(asc.map((m) => m.seq)).toEqual(Array.from({ length: 75 }, (_, i) => i + 1));
    const desc = await readAllMessages(id, "desc", 10);
    expect(desc.map((m) => m.seq)).toEqual(Array.from({ length: 75 }, (_, i) => 75 - i));
    const first = await call("GET", messagesOf(id));
    expect(first.json.messages.length).toBe(75);
    expect(first.json.nextCursor).toBeNull();
  });

  it("starts at fromSeq in either order, and its cursor goes on from there", async () => {
    const id = freshId();
    const messages = Array.from({ length: 30 }, (_, i) => user(`message ${i + 1}`));
    expect((await call("POST", messagesOf(id), { body: { messages } })).status).toBe(201);
    const asc = await call("GET", `${messagesOf(id)}?fromSeq=12&limit=5`);
    expect(asc.json.messages.map((m: any) => m.seq)).toEqual([12, 13, 14, 15, 16]);
    const next = await call("GET", `${messagesOf(id)}?limit=5&cursor=${asc.json.nextCursor}`);
    expect(next.json.messages.map((m: any) => m.seq)).toEqual([17, 18, 19, 20, 21]);
    const desc = await call("GET", `${messagesOf(id)}?order=desc&fromSeq=3&limit=5`);
    expect(desc.json.messages.map((m: any) => m.seq)).toEqual([3, 2, 1]);
    expect(desc.json.nextCursor).toBeNull();
    // Past the end: nothing ascending, the newest messages descending.
    const beyond = await call("GET", `${messagesOf(id)}?fromSeq=99`);
    expect(beyond.json).toEqual({ messages: [], nextCursor: null });
    const newest = await call("GET", `${messagesOf(id)}?order=desc&fromSeq=99&limit=2`);
    expect(newest.json.messages.map((m: any) => m.seq)).toEqual([30, 29]);
  });

  it.each([
    ["?order=sideways", "order"],
    ["?limit=0", "limit"],
    ["?limit=501", "limit"],
    ["?cursor=%%%", "cursor"],
    ["?fromSeq=0", "fromSeq"],
    ["?fromSeq=first", "fromSeq"],
    ["?fromSeq=2&cursor=eyJzIjoxLCJvIjoiYXNjIn0", "fromSeq"],
  ])("rejects %s naming %s", async (query, field) => {
    const id = freshId();
    await call("POST", messagesOf(id), { body: { messages: [user("x")] } });
    expectProblem(await call("GET", `${messagesOf(id)}${query}`), 400, "invalid_request", [field]);
  });

  it("refuses a cursor of the other order", async () => {
    const id = freshId();
    await call("POST", messagesOf(id), { body: { messages: [user("a"), user("b"), user("c")] } });
    const page = await call("GET", `${messagesOf(id)}?order=asc&limit=1`);
    const res = await call("GET", `${messagesOf(id)}?order=desc&cursor=${page.json.nextCursor}`);
    expectProblem(res, 400, "invalid_request", ["cursor"]);
  });
});
