import { env, runInDurableObject, SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { memoryIndexStub, memoryRecordStub } from "../../src/durable/memories/api";
import { memoryKey } from "../../src/storage/memory-bodies";
import { call, freshId } from "../helpers/http";
import { expectProblem } from "../helpers/problems";

const append = (conversationId: string, contents: string[]) =>
  call("POST", `/v1/conversations/${conversationId}/messages`, {
    body: { messages: contents.map((content) => ({ role: "user", content })) },
  });
const remember = async (body: Record<string, unknown>) => {
  const res = await call("POST", "/v1/memories", { body });
  expect(res.status, res.text).toBe(201);
  return res.json.id as string;
};

/** Tables a record object still holds (none once erased). */
async function recordTables(id: string) {
  return runInDurableObject(
    memoryRecordStub(env, "alpha", id) as never,
    (_o, state: DurableObjectState) =>
      state.storage.sql
        .exec<{ name: string }>(
          "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '\\_cf%' ESCAPE '\\'",
        )
        .toArray()
        .map((r) => r.name),
  );
}

describe("DELETE /v1/users/{userId}", () => {
  it("erases the user's conversations, memories and conversation memories; others stay", async () => {
    const u = freshId("erase-u");
    const v = freshId("erase-v");
    const agent = freshId("agent");
    const c1 = freshId("conv");
    const c2 = freshId("conv");
    const cv = freshId("conv");
    await call("PUT", `/v1/conversations/${c1}`, { body: { userId: u } });
    await call("PUT", `/v1/conversations/${c2}`, { body: { userId: u } });
    await call("PUT", `/v1/conversations/${cv}`, { body: { userId: v } });
    await append(c1, ["hello", "zebra stripes", "bye"]);
    await append(c2, ["one more"]);
    await append(cv, ["v's zebra message"]);
    const mine = [
      await remember({ userId: u, text: "zebra lover" }),
      await remember({ userId: u, agentId: agent, text: "zebra via agent" }),
      await remember({ conversationId: c1, text: "zebra in conversation" }),
    ];
    await call("PATCH", `/v1/memories/${mine[0]}`, { body: { text: "zebra lover, v2" } });
    const theirs = [
      await remember({ userId: v, text: "zebra too" }),
      await remember({ agentId: agent, text: "agent zebra" }),
      await remember({ conversationId: cv, text: "zebra in v's conversation" }),
    ];

    const res = await call("DELETE", `/v1/users/${u}`);
    expect(res.status, res.text).toBe(200);
    expect(res.json).toEqual({ deleted: { conversations: 2, messages: 4, memories: 3 } });

    for (const id of mine) {
      expectProblem(await call("GET", `/v1/memories/${id}`), 404, "not_found");
      expect(await recordTables(id)).toEqual([]);
      expect((await env.ARCHIVE.list({ prefix: memoryKey("alpha", id) })).keys).toEqual([]);
    }
    expectProblem(await call("GET", `/v1/conversations/${c1}`), 404, "not_found");
    expectProblem(await call("GET", `/v1/conversations/${c2}`), 404, "not_found");
    const mem = await env.ARCHIVE.list({ prefix: "t/alpha/mem/" });
    for (const id of mine) expect(mem.keys.some((k) => k.name.includes(id))).toBe(false);
    expect(await memoryIndexStub(env, "alpha", { kind: "user", id: u }).ids(10)).toEqual([]);
    expect(await memoryIndexStub(env, "alpha", { kind: "conversation", id: c1 }).ids(10)).toEqual(
      [],
    );
    expect(await memoryIndexStub(env, "alpha", { kind: "agent", id: agent }).ids(10)).toEqual([
      theirs[1],
    ]);
    const search = await call("POST", "/v1/memories/search", {
      body: { userId: u, query: "zebra" },
    });
    expect(search.json.results).toEqual([]);
    const listed = await call("GET", `/v1/conversations?userId=${u}`);
    expect(listed.json.conversations).toEqual([]);

    for (const id of theirs) expect((await call("GET", `/v1/memories/${id}`)).status).toBe(200);
    expect((await call("GET", `/v1/conversations/${cv}`)).status).toBe(200);
    const vSearch = await call("POST", "/v1/memories/search", {
      body: { userId: v, query: "zebra" },
    });
    expect(vSearch.json.results).toHaveLength(1);

    const again = await call("DELETE", `/v1/users/${u}`);
    expect(again.json).toEqual({ deleted: { conversations: 0, messages: 0, memories: 0 } });
  });

  it("finishes an interrupted erase when retried", async () => {
    const u = freshId("retry-u");
    const c = freshId("conv");
    await call("PUT", `/v1/conversations/${c}`, { body: { userId: u } });
    await append(c, ["a", "b"]);
    const ids = [
      await remember({ userId: u, text: "one" }),
      await remember({ userId: u, text: "two" }),
    ];
    // As if a first attempt died after erasing one memory's record but before the index.
    await memoryRecordStub(env, "alpha", ids[0] as string).erase();
    const res = await call("DELETE", `/v1/users/${u}`);
    expect(res.json).toEqual({ deleted: { conversations: 1, messages: 2, memories: 1 } });
    expect(await memoryIndexStub(env, "alpha", { kind: "user", id: u }).ids(10)).toEqual([]);
  });

  it("answers 200 with zeros for an unknown user, and 400 for a bad id", async () => {
    const res = await call("DELETE", `/v1/users/${freshId("nobody")}`);
    expect(res.status, res.text).toBe(200);
    expect(res.json).toEqual({ deleted: { conversations: 0, messages: 0, memories: 0 } });
    expectProblem(await call("DELETE", "/v1/users/bad%20id"), 400, "invalid_request", ["userId"]);
  });

  it("erases only the caller's tenant", async () => {
    const u = freshId("shared");
    const alphaMemory = await remember({ userId: u, text: "alpha's" });
    const res = await call("DELETE", `/v1/users/${u}`, { key: "test-key-beta" });
    expect(res.json.deleted.memories).toBe(0);
    expect((await call("GET", `/v1/memories/${alphaMemory}`)).status).toBe(200);
  });
});

/** The export's bytes, decoded as UTF-8 (NDJSON is not a text/* type, so no .text()). */
async function exportOf(userId: string) {
  const response = await SELF.fetch(`https://edgemem.test/v1/users/${userId}/export`, {
    headers: { authorization: "Bearer test-key-alpha" },
  });
  const text = new TextDecoder().decode(await response.arrayBuffer());
  return { status: response.status, contentType: response.headers.get("content-type"), text };
}

describe("GET /v1/users/{userId}/export", () => {
  it("streams every conversation, message and memory of a large user as NDJSON", async () => {
    const u = freshId("export-u");
    const big = freshId("conv");
    const small = freshId("conv");
    await call("PUT", `/v1/conversations/${big}`, { body: { userId: u, workingTokens: 256 } });
    await call("PUT", `/v1/conversations/${small}`, { body: { userId: u } });
    const total = 3000;
    for (let i = 0; i < total; i += 100) {
      const res = await append(
        big,
        Array.from({ length: 100 }, (_, j) => `message ${i + j} with "quotes", \\ and\nnewlines ✓`),
      );
      expect(res.status, res.text).toBe(201);
    }
    await append(small, ["small talk"]);
    const memories = [
      await remember({ userId: u, text: "exported fact" }),
      await remember({ conversationId: big, text: "conversation fact" }),
      await remember({ userId: u, conversationId: small, text: "both scopes, once" }),
    ];
    await remember({ userId: freshId("other"), text: "not exported" });

    const { status, contentType, text } = await exportOf(u);
    expect(status).toBe(200);
    expect(contentType).toContain("application/x-ndjson");
    expect(text.endsWith("\n")).toBe(true);
    const lines = text
      .slice(0, -1)
      .split("\n")
      .map((line) => JSON.parse(line));
    const byType = (type: string) => lines.filter((l) => l.type === type);
    expect(
      byType("conversation")
        .map((c) => c.id)
        .sort(),
    ).toEqual([big, small].sort());
    const bigMessages = byType("message").filter((m) => m.conversationId === big);
    expect(bigMessages).toHaveLength(total);
    expect(bigMessages.map((m) => m.seq)).toEqual(Array.from({ length: total }, (_, i) => i + 1));
    expect(bigMessages[7].content).toBe('message 7 with "quotes", \\ and\nnewlines ✓');
    expect(byType("message").filter((m) => m.conversationId === small)).toHaveLength(1);
    expect(
      byType("memory")
        .map((m) => m.id)
        .sort(),
    ).toEqual([...memories].sort());
    expect(lines.every((l) => ["conversation", "message", "memory"].includes(l.type))).toBe(true);
  });

  it("is empty for an unknown user", async () => {
    const res = await exportOf(freshId("nobody"));
    expect(res.status).toBe(200);
    expect(res.text).toBe("");
  });
});
