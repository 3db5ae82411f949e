import { describe, expect, it } from "vitest";
import { call, freshId } from "../helpers/http";
import { expectProblem } from "../helpers/problems";

const path = (id: string) => `/v1/conversations/${id}`;

describe("PUT /v1/conversations/{id}", () => {
  it("creates with defaults (201), then updates (200) and bumps the version", async () => {
    const id = freshId();
    const created = await call("PUT", path(id), { body: {} });
    expect(created.status, created.text).toBe(201);
    expect(created.json).toMatchObject({
      id,
      userId: null,
      agentId: null,
      metadata: {},
      tokenizer: "o200k_base",
      workingTokens: 4000,
      ttlSeconds: 604800,
      lastMessageAt: null,
      version: 1,
      stats: {
        workingMessages: 0,
        workingTokenCount: 0,
        archivedMessages: 0,
        totalMessages: 0,
        summaryTokens: 0,
      },
    });
    expect(Date.parse(created.json.createdAt)).not.toBeNaN();

    const updated = await call("PUT", path(id), {
      body: {
        userId: "u-1",
        agentId: "bot",
        metadata: { plan: "pro" },
        workingTokens: 2000,
        ttlSeconds: null,
      },
    });
    expect(updated.status, updated.text).toBe(200);
    expect(updated.json).toMatchObject({
      userId: "u-1",
      agentId: "bot",
      metadata: { plan: "pro" },
      workingTokens: 2000,
      ttlSeconds: null,
      version: 2,
    });
    expect((await call("GET", path(id))).json).toEqual(updated.json);
  });

  it("creates with an empty body and no content-type", async () => {
    const id = freshId();
    const res = await call("PUT", path(id));
    expect(res.status, res.text).toBe(201);
  });

  it("sets userId once: same value is fine, a different one is 409", async () => {
    const id = freshId();
    await call("PUT", path(id), { body: {} });
    expect((await call("PUT", path(id), { body: { userId: "ana" } })).status).toBe(200);
    expect((await call("PUT", path(id), { body: { userId: "ana" } })).status).toBe(200);
    const conflict = await call("PUT", path(id), { body: { userId: "bob" } });
    expectProblem(conflict, 409, "conflict", ["userId"]);
    expect((await call("GET", path(id))).json.userId).toBe("ana");
  });

  it("refuses to change the tokenizer once messages exist", async () => {
    const id = freshId();
    await call("PUT", path(id), { body: { tokenizer: "cl100k_base" } });
    await call("POST", `${path(id)}/messages`, {
      body: { messages: [{ role: "user", content: "hi" }] },
    });
    expectProblem(await call("PUT", path(id), { body: { tokenizer: "approx" } }), 409, "conflict", [
      "tokenizer",
    ]);
  });

  it.each([
    [{ workingTokens: 255 }, "workingTokens"],
    [{ workingTokens: 1_000_001 }, "workingTokens"],
    [{ workingTokens: 1.5 }, "workingTokens"],
    [{ ttlSeconds: 59 }, "ttlSeconds"],
    [{ tokenizer: "gpt2" }, "tokenizer"],
    [{ userId: "has space" }, "userId"],
    [{ userId: "x".repeat(129) }, "userId"],
    [{ agentId: "" }, "agentId"],
    [{ metadata: [] }, "metadata"],
    [{ metadata: "x" }, "metadata"],
    [{ metadata: { blob: "x".repeat(5000) } }, "metadata"],
    [{ metadata: { a: { b: { c: { d: { e: { f: { g: { h: { i: 1 } } } } } } } } } }, "metadata"],
    [{ surprise: true }, "surprise"],
  ])("rejects %j naming %s", async (body, field) => {
    const id = freshId();
    expectProblem(await call("PUT", path(id), { body }), 400, "invalid_request", [field]);
    expect((await call("GET", path(id))).status).toBe(404);
  });

  it("lists every bad field at once", async () => {
    const res = await call("PUT", path(freshId()), { body: { workingTokens: 1, ttlSeconds: 1 } });
    expectProblem(res, 400, "invalid_request", ["workingTokens", "ttlSeconds"]);
  });

  it("rejects a bad conversation id", async () => {
    expectProblem(await call("PUT", path("bad id!"), { body: {} }), 400, "invalid_request", [
      "conversationId",
    ]);
    expectProblem(await call("PUT", path("x".repeat(129)), { body: {} }), 400, "invalid_request", [
      "conversationId",
    ]);
    expectProblem(await call("PUT", path("-leading-dash"), { body: {} }), 400, "invalid_request");
  });

  it("needs an API key", async () => {
    expectProblem(await call("PUT", path(freshId()), { key: null, body: {} }), 401, "unauthorized");
    expectProblem(
      await call("PUT", path(freshId()), { key: "nope", body: {} }),
      401,
      "unauthorized",
    );
  });
});

describe("GET and DELETE /v1/conversations/{id}", () => {
  it("404s for a conversation never created", async () => {
    expectProblem(await call("GET", path(freshId())), 404, "not_found");
    expectProblem(await call("DELETE", path(freshId())), 404, "not_found");
    expectProblem(await call("GET", `${path(freshId())}/messages`), 404, "not_found");
  });

  it("deletes everything and returns a receipt; afterwards the id is free again", async () => {
    const id = freshId();
    await call("POST", `${path(id)}/messages`, {
      body: {
        messages: [
          { role: "user", content: "one" },
          { role: "assistant", content: "two" },
        ],
      },
    });
    const deleted = await call("DELETE", path(id));
    expect(deleted.status, deleted.text).toBe(200);
    expect(deleted.json).toEqual({ deleted: { messages: 2, segments: 0, memories: 0 } });
    expectProblem(await call("GET", path(id)), 404, "not_found");
    expectProblem(await call("GET", `${path(id)}/messages`), 404, "not_found");
    expectProblem(await call("DELETE", path(id)), 404, "not_found");

    const again = await call("POST", `${path(id)}/messages`, {
      body: { messages: [{ role: "user", content: "fresh start" }] },
    });
    expect(again.status).toBe(201);
    expect(again.json.messages[0].seq).toBe(1);
  });

  it("deletes the memories scoped to the conversation and counts them", async () => {
    const id = freshId();
    await call("PUT", path(id), { body: { userId: "mem-owner" } });
    const scoped = await call("POST", "/v1/memories", {
      body: { text: "likes tea", conversationId: id },
    });
    expect(scoped.status, scoped.text).toBe(201);
    const userOnly = await call("POST", "/v1/memories", {
      body: { text: "lives in Porto", userId: "mem-owner" },
    });
    const deleted = await call("DELETE", path(id));
    expect(deleted.json.deleted.memories).toBe(1);
    expectProblem(await call("GET", `/v1/memories/${scoped.json.id}`), 404, "not_found");
    expect((await call("GET", `/v1/memories/${userOnly.json.id}`)).status).toBe(200);
  });

  it("needs an API key", async () => {
    expectProblem(await call("GET", path(freshId()), { key: null }), 401, "unauthorized");
    expectProblem(await call("DELETE", path(freshId()), { key: "wrong" }), 401, "unauthorized");
  });
});

describe("GET /v1/conversations", () => {
  it("lists a user's conversations, most recent first, page by page", async () => {
    const user = freshId("user");
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const id = freshId();
      ids.push(id);
      expect((await call("PUT", path(id), { body: { userId: user } })).status).toBe(201);
    }
    await call("PUT", path(freshId()), { body: { userId: freshId("someone-else") } });

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = `?userId=${user}&limit=2${cursor ? `&cursor=${cursor}` : ""}`;
      const page = await call("GET", `/v1/conversations${query}`);
      expect(page.status, page.text).toBe(200);
      expect(page.json.conversations.length).toBeLessThanOrEqual(2);
      for (const c of page.json.conversations) {
        expect(c.userId).toBe(user);
        seen.push(c.id);
      }
      cursor = page.json.nextCursor;
    } while (cursor);
    expect(seen).toEqual([...ids].reverse());
  });

  it("lists a conversation created by its first append, and one whose owner is set later", async () => {
    const user = freshId("user");
    const id = freshId();
    await call("POST", `${path(id)}/messages`, {
      body: { messages: [{ role: "user", content: "hi" }] },
    });
    expect((await call("GET", `/v1/conversations?userId=${user}`)).json.conversations).toEqual([]);
    await call("PUT", path(id), { body: { userId: user } });
    const listed = await call("GET", `/v1/conversations?userId=${user}`);
    expect(listed.json.conversations.map((c: { id: string }) => c.id)).toEqual([id]);
    expect(listed.json.conversations[0].stats.totalMessages).toBe(1);
  });

  it("drops deleted conversations", async () => {
    const user = freshId("user");
    const id = freshId();
    await call("PUT", path(id), { body: { userId: user } });
    await call("DELETE", path(id));
    expect((await call("GET", `/v1/conversations?userId=${user}`)).json).toEqual({
      conversations: [],
      nextCursor: null,
    });
  });

  it.each([
    ["?limit=0", "limit"],
    ["?limit=101", "limit"],
    ["?limit=abc", "limit"],
    ["?userId=bad%20id", "userId"],
    ["?cursor=garbage!", "cursor"],
    ["?cursor=eyJ4IjoxfQ", "cursor"],
  ])("rejects %s naming %s", async (query, field) => {
    expectProblem(await call("GET", `/v1/conversations${query}`), 400, "invalid_request", [field]);
  });
});
