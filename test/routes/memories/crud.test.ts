import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { memoryKey } from "../../../src/storage/memory-bodies";
import { call, freshId } from "../../helpers/http";
import { expectProblem } from "../../helpers/problems";

const create = (body: Record<string, unknown>, key?: string) =>
  call("POST", "/v1/memories", { body, key });

describe("POST /v1/memories", () => {
  it("stores a memory as version 1 and reads it back", async () => {
    const userId = freshId("user");
    const res = await create({
      text: "Prefers a window seat",
      userId,
      metadata: { topic: "travel" },
    });
    expect(res.status, res.text).toBe(201);
    expect(res.json).toEqual({
      id: expect.any(String),
      text: "Prefers a window seat",
      userId,
      agentId: null,
      conversationId: null,
      metadata: { topic: "travel" },
      createdAt: expect.any(String),
      updatedAt: res.json.createdAt,
      expiresAt: null,
      version: 1,
    });
    expect(res.headers.get("etag")).toBe('"1"');
    const got = await call("GET", `/v1/memories/${res.json.id}`);
    expect(got.status, got.text).toBe(200);
    expect(got.json).toEqual(res.json);
  });

  it("keeps a client id; the same id again is 409, even in another scope", async () => {
    const id = freshId("mem");
    expect((await create({ id, text: "first", userId: freshId("user") })).status).toBe(201);
    const again = await create({ id, text: "second", agentId: "bot" });
    expectProblem(again, 409, "conflict", ["id"]);
    expect((await call("GET", `/v1/memories/${id}`)).json.text).toBe("first");
  });

  it("needs a scope (400 naming the scope fields)", async () => {
    const res = await create({ text: "orphan" });
    expectProblem(res, 400, "invalid_request", ["userId", "agentId", "conversationId"]);
  });

  it("names each bad field, never a 500", async () => {
    expectProblem(await create({ userId: "u" }), 400, "invalid_request", ["text"]);
    expectProblem(await create({ text: "", userId: "u" }), 400, "invalid_request", ["text"]);
    expectProblem(await create({ text: "x", userId: "a/b" }), 400, "invalid_request", ["userId"]);
    expectProblem(
      await create({ text: "x", userId: "u", ttlSeconds: 59 }),
      400,
      "invalid_request",
      ["ttlSeconds"],
    );
    expectProblem(await create({ text: "x", userId: "u", id: "" }), 400, "invalid_request", ["id"]);
    expectProblem(await create({ text: "x", userId: "u", color: 1 }), 400, "invalid_request", [
      "color",
    ]);
    expectProblem(await create({ text: "x", userId: "u", metadata: [] }), 400, "invalid_request", [
      "metadata",
    ]);
    const big = "é".repeat(8 * 1024 + 1);
    expectProblem(await create({ text: big, userId: "u" }), 400, "invalid_request", ["text"]);
    const meta = { blob: "x".repeat(5000) };
    expectProblem(
      await create({ text: "x", userId: "u", metadata: meta }),
      400,
      "invalid_request",
      ["metadata"],
    );
  });

  it("accepts text of exactly 16 KiB", async () => {
    const res = await create({ text: "a".repeat(16 * 1024), userId: freshId("user") });
    expect(res.status, res.text).toBe(201);
  });
});

describe("GET/PATCH/DELETE /v1/memories/{id}", () => {
  it("PATCH makes the next version; history lists every version, oldest first", async () => {
    const id = freshId("mem");
    const created = await create({ id, text: "likes tea", userId: freshId("user") });
    const v2 = await call("PATCH", `/v1/memories/${id}`, { body: { text: "likes green tea" } });
    expect(v2.status, v2.text).toBe(200);
    expect(v2.json).toMatchObject({ id, text: "likes green tea", version: 2, metadata: {} });
    expect(v2.json.createdAt).toBe(created.json.createdAt);
    const v3 = await call("PATCH", `/v1/memories/${id}`, { body: { metadata: { strength: 2 } } });
    expect(v3.json).toMatchObject({
      text: "likes green tea",
      metadata: { strength: 2 },
      version: 3,
    });
    expect((await call("GET", `/v1/memories/${id}`)).json).toEqual(v3.json);
    const history = await call("GET", `/v1/memories/${id}/history`);
    expect(history.status, history.text).toBe(200);
    expect(history.json.versions).toEqual([created.json, v2.json, v3.json]);
  });

  it('honours If-Match as 3 or "3"; a stale version is 412', async () => {
    const id = freshId("mem");
    await create({ id, text: "a", userId: freshId("user") });
    const ok = await call("PATCH", `/v1/memories/${id}`, {
      body: { text: "b" },
      headers: { "if-match": "1" },
    });
    expect(ok.status, ok.text).toBe(200);
    const quoted = await call("PATCH", `/v1/memories/${id}`, {
      body: { text: "c" },
      headers: { "if-match": '"2"' },
    });
    expect(quoted.json.version).toBe(3);
    const stale = await call("PATCH", `/v1/memories/${id}`, {
      body: { text: "d" },
      headers: { "if-match": '"2"' },
    });
    expectProblem(stale, 412, "precondition_failed");
    expect((await call("GET", `/v1/memories/${id}`)).json).toMatchObject({ text: "c", version: 3 });
    const bad = await call("PATCH", `/v1/memories/${id}`, {
      body: { text: "e" },
      headers: { "if-match": "three" },
    });
    expectProblem(bad, 400, "invalid_request", ["if-match"]);
  });

  it("PATCH validates its body and 404s an unknown memory", async () => {
    const id = freshId("mem");
    await create({ id, text: "a", userId: freshId("user") });
    expectProblem(await call("PATCH", `/v1/memories/${id}`, { body: {} }), 400, "invalid_request", [
      "text",
    ]);
    expectProblem(
      await call("PATCH", `/v1/memories/${id}`, { body: { userId: "other" } }),
      400,
      "invalid_request",
      ["userId"],
    );
    expectProblem(
      await call("PATCH", `/v1/memories/${freshId("none")}`, { body: { text: "x" } }),
      404,
      "not_found",
    );
  });

  it("DELETE gives 204, then 404 everywhere; the id can be used again", async () => {
    const id = freshId("mem");
    const userId = freshId("user");
    await create({ id, text: "temporary fact", userId });
    await call("PATCH", `/v1/memories/${id}`, { body: { text: "temporary fact two" } });
    const deleted = await call("DELETE", `/v1/memories/${id}`);
    expect(deleted.status, deleted.text).toBe(204);
    expectProblem(await call("GET", `/v1/memories/${id}`), 404, "not_found");
    expectProblem(await call("GET", `/v1/memories/${id}/history`), 404, "not_found");
    expectProblem(
      await call("PATCH", `/v1/memories/${id}`, { body: { text: "x" } }),
      404,
      "not_found",
    );
    expectProblem(await call("DELETE", `/v1/memories/${id}`), 404, "not_found");
    const keys = await env.ARCHIVE.list({ prefix: memoryKey("alpha", id) });
    expect(keys.keys).toEqual([]);
    const search = await call("POST", "/v1/memories/search", {
      body: { query: "temporary", userId },
    });
    expect(search.json.results).toEqual([]);
    const reused = await create({ id, text: "new life", userId });
    expect(reused.status, reused.text).toBe(201);
    expect(reused.json.version).toBe(1);
  });

  it("is isolated by tenant: beta cannot read, patch or delete alpha's memory", async () => {
    const id = freshId("mem");
    await create({ id, text: "alpha secret", userId: "shared-user" });
    const beta = "test-key-beta";
    expectProblem(await call("GET", `/v1/memories/${id}`, { key: beta }), 404, "not_found");
    expectProblem(
      await call("PATCH", `/v1/memories/${id}`, { key: beta, body: { text: "x" } }),
      404,
      "not_found",
    );
    expectProblem(await call("DELETE", `/v1/memories/${id}`, { key: beta }), 404, "not_found");
    const betaCreate = await create({ id, text: "beta's own", userId: "shared-user" }, beta);
    expect(betaCreate.status).toBe(201);
    expect((await call("GET", `/v1/memories/${id}`)).json.text).toBe("alpha secret");
    const search = await call("POST", "/v1/memories/search", {
      key: beta,
      body: { query: "secret", userId: "shared-user" },
    });
    expect(search.json.results).toEqual([]);
  });
});
