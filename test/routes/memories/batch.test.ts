import { env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { memoryRecordObjectName } from "../../../src/durable/memories/api";
import { memoryKey } from "../../../src/storage/memory-bodies";
import { BETA, call, freshId } from "../../helpers/http";
import { expectProblem } from "../../helpers/problems";

const batch = (memories: unknown[], key?: string) =>
  call("POST", "/v1/memories/batch", { body: { memories }, key });

const search = (userId: string, query: string, key?: string) =>
  call("POST", "/v1/memories/search", { body: { userId, query, limit: 100 }, key });

/** The record object's due work, straight from its SQLite. */
const dueOf = (id: string) =>
  runInDurableObject(
    env.MEMORIES.get(env.MEMORIES.idFromName(memoryRecordObjectName("alpha", id))),
    async (_, state) => ({
      due: state.storage.sql
        .exec<{ kind: string }>("SELECT kind FROM due_work ORDER BY kind")
        .toArray()
        .map((r) => r.kind),
      synced: state.storage.sql.exec<{ v: number }>("SELECT synced_version AS v FROM record").one()
        .v,
      alarm: await state.storage.getAlarm(),
    }),
  );

describe("POST /v1/memories/batch", () => {
  it("creates every memory as version 1, in input order, each readable and searchable", async () => {
    const userId = freshId("user");
    const items = Array.from({ length: 100 }, (_, i) => ({
      text: `imported fact number ${i} about lanterns`,
      userId,
      ...(i % 2 ? { id: freshId("imp") } : {}),
      ...(i === 7 ? { agentId: "importer", metadata: { source: "mem0" }, ttlSeconds: 3600 } : {}),
    }));
    const res = await batch(items);
    expect(res.status, res.text).toBe(201);
    expect(res.json.memories).toHaveLength(100);
    res.json.memories.forEach((memory: any, i: number) => {
      expect(memory).toMatchObject({ text: items[i]?.text, userId, version: 1, duplicate: false });
      if (items[i]?.id) expect(memory.id).toBe(items[i]?.id);
    });
    const seventh = res.json.memories[7];
    expect(seventh).toMatchObject({ agentId: "importer", metadata: { source: "mem0" } });
    expect(Date.parse(seventh.expiresAt) - Date.parse(seventh.createdAt)).toBe(3_600_000);

    const { duplicate: _, ...stored } = res.json.memories[3];
    expect((await call("GET", `/v1/memories/${stored.id}`)).json).toEqual(stored);
    expect(await env.ARCHIVE.get(memoryKey("alpha", stored.id), "json")).toEqual(stored);
    const found = await search(userId, "lanterns");
    expect(found.json.results).toHaveLength(100);
    const byAgent = await call("POST", "/v1/memories/search", {
      body: { agentId: "importer", query: "lanterns" },
    });
    expect(byAgent.json.results.map((r: any) => r.memory.id)).toEqual([seventh.id]);
    const listed = await call("GET", `/v1/memories?userId=${userId}&limit=100`);
    expect(listed.json.memories).toHaveLength(100);
  });

  it("leaves no push due: the batch indexed what it created, and each record knows", async () => {
    const id = freshId("imp");
    const res = await batch([{ id, text: "no alarm left behind", userId: freshId("user") }]);
    expect(res.status, res.text).toBe(201);
    expect(await dueOf(id)).toEqual({ due: [], synced: 1, alarm: null });
    const ttl = freshId("imp");
    await batch([{ id: ttl, text: "expiring", userId: freshId("user"), ttlSeconds: 120 }]);
    const withTtl = await dueOf(ttl);
    expect(withTtl.due).toEqual(["expire"]);
    expect(withTtl.alarm).toBeGreaterThan(Date.now() + 100_000);
  });

  it("keeps every guarantee of a memory: PATCH with If-Match, history, delete", async () => {
    const id = freshId("imp");
    const userId = freshId("user");
    const created = await batch([{ id, text: "likes tea", userId }]);
    const { duplicate: _, ...v1 } = created.json.memories[0];
    const stale = await call("PATCH", `/v1/memories/${id}`, {
      body: { text: "x" },
      headers: { "if-match": '"2"' },
    });
    expectProblem(stale, 412, "precondition_failed", ["If-Match"]);
    const v2 = await call("PATCH", `/v1/memories/${id}`, {
      body: { text: "likes green tea" },
      headers: { "if-match": "1" },
    });
    expect(v2.json.version).toBe(2);
    expect((await call("GET", `/v1/memories/${id}/history`)).json.versions).toEqual([v1, v2.json]);
    expect((await search(userId, "green")).json.results).toHaveLength(1);
    expect((await call("DELETE", `/v1/memories/${id}`)).status).toBe(204);
    expect((await call("GET", `/v1/memories/${id}`)).status).toBe(404);
    expect((await search(userId, "tea")).json.results).toEqual([]);
  });

  it("names every bad field with its item, and stores nothing", async () => {
    const userId = freshId("user");
    const good = { text: "fine", userId, id: freshId("imp") };
    const res = await batch([
      good,
      { userId },
      { text: "", userId },
      { text: "x", userId: "a/b" },
      { text: "x", userId, ttlSeconds: 59 },
      { text: "x", userId, color: 1 },
      { text: "x" },
      { text: "é".repeat(8 * 1024 + 1), userId },
      { text: "x", userId, metadata: { blob: "x".repeat(5000) } },
    ]);
    expectProblem(res, 400, "invalid_request", [
      "memories.1.text",
      "memories.2.text",
      "memories.3.userId",
      "memories.4.ttlSeconds",
      "memories.5.color",
    ]);
    // Rules past the schema are checked once the shape is right, with the same paths.
    const limits = await batch([
      good,
      { text: "x" },
      { text: "é".repeat(8 * 1024 + 1), userId },
      { text: "x", userId, metadata: { blob: "x".repeat(5000) } },
    ]);
    expectProblem(limits, 400, "invalid_request", [
      "memories.1.userId",
      "memories.1.agentId",
      "memories.1.conversationId",
      "memories.2.text",
      "memories.3.metadata",
    ]);
    expect((await call("GET", `/v1/memories/${good.id}`)).status).toBe(404);
    expect((await call("GET", `/v1/memories?userId=${userId}`)).json.memories).toEqual([]);
  });

  it("takes 1–100 items and an id once per batch", async () => {
    expectProblem(await batch([]), 400, "invalid_request", ["memories"]);
    const many = Array.from({ length: 101 }, () => ({ text: "x", userId: "u" }));
    expectProblem(await batch(many), 400, "invalid_request", ["memories"]);
    expectProblem(
      await call("POST", "/v1/memories/batch", { body: { memories: "x" } }),
      400,
      "invalid_request",
      ["memories"],
    );
    const id = freshId("imp");
    const twice = await batch([
      { id, text: "a", userId: "u" },
      { id, text: "a", userId: "u" },
    ]);
    expectProblem(twice, 400, "invalid_request", ["memories.1.id"]);
    expect((await call("GET", `/v1/memories/${id}`)).status).toBe(404);
  });

  it("is safe to retry: an id with the same content is a duplicate, returned as stored", async () => {
    const userId = freshId("user");
    const items = [
      { id: freshId("imp"), text: "first", userId, metadata: { a: 1, b: { c: [1, 2] } } },
      { id: freshId("imp"), text: "second", userId, ttlSeconds: 600 },
    ];
    const first = await batch(items);
    expect(first.status, first.text).toBe(201);
    await call("PATCH", `/v1/memories/${items[0]?.id}`, { body: { text: "first, revised" } });
    // Metadata keys in another order are the same content.
    const retried = await batch([
      { ...items[0], metadata: { b: { c: [1, 2] }, a: 1 } },
      items[1],
      { id: freshId("imp"), text: "third", userId },
    ]);
    expect(retried.status, retried.text).toBe(201);
    expect(retried.json.memories.map((m: any) => [m.text, m.version, m.duplicate])).toEqual([
      ["first, revised", 2, true],
      ["second", 1, true],
      ["third", 1, false],
    ]);
    expect(retried.json.memories[1]).toEqual({ ...first.json.memories[1], duplicate: true });
    const history = await call("GET", `/v1/memories/${items[0]?.id}/history`);
    expect(history.json.versions).toHaveLength(2);
    expect((await search(userId, "first second third")).json.results).toHaveLength(3);
  });

  it("is 409 naming each id that exists with other content, and keeps nothing of the batch", async () => {
    const userId = freshId("user");
    const taken = freshId("imp");
    const single = await call("POST", "/v1/memories", {
      body: { id: taken, text: "already here", userId },
    });
    expect(single.status).toBe(201);
    const replay = freshId("imp");
    await batch([{ id: replay, text: "replayed", userId }]);
    const fresh = [freshId("imp"), freshId("imp")];
    const res = await batch([
      { id: fresh[0], text: "new one", userId },
      { id: replay, text: "replayed", userId },
      { id: taken, text: "other text", userId },
      { id: fresh[1], text: "new two", userId },
      { id: replay.replace("imp", "x"), text: "no id clash", userId, agentId: "a" },
    ]);
    expectProblem(res, 409, "conflict", ["memories.2.id"]);
    expect(res.json.errors).toHaveLength(1);
    for (const id of [...fresh, replay.replace("imp", "x")]) {
      expect((await call("GET", `/v1/memories/${id}`)).status, id).toBe(404);
      expect(await env.ARCHIVE.get(memoryKey("alpha", id))).toBeNull();
    }
    expect((await call("GET", `/v1/memories/${taken}`)).json.text).toBe("already here");
    expect((await call("GET", `/v1/memories/${replay}`)).json.text).toBe("replayed");
    const found = await search(userId, "new one two replayed already clash");
    expect(found.json.results.map((r: any) => r.memory.id).sort()).toEqual([taken, replay].sort());
  });

  it("treats a memory created by POST /v1/memories with the same content as a duplicate", async () => {
    const id = freshId("imp");
    const userId = freshId("user");
    const single = await call("POST", "/v1/memories", { body: { id, text: "same", userId } });
    const res = await batch([{ id, text: "same", userId }]);
    expect(res.status, res.text).toBe(201);
    expect(res.json.memories[0]).toEqual({ ...single.json, duplicate: true });
  });

  it("creates an id once when batches race for it", async () => {
    const id = freshId("imp");
    const userId = freshId("user");
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) => batch([{ id, text: `racer ${i % 2}`, userId }])),
    );
    const created = results.filter((r) => r.status === 201);
    expect(results.every((r) => r.status === 201 || r.status === 409)).toBe(true);
    expect(created.filter((r) => !r.json.memories[0].duplicate)).toHaveLength(1);
    const winner = (await call("GET", `/v1/memories/${id}`)).json;
    for (const r of created) expect(r.json.memories[0].text).toBe(winner.text);
    expect((await search(userId, "racer")).json.results).toHaveLength(1);
  });
});

describe("POST /v1/memories/batch across tenants", () => {
  it("writes only the caller's tenant; the same ids in another tenant are other memories", async () => {
    const userId = freshId("user");
    const id = freshId("imp");
    expect((await batch([{ id, text: "alpha's secret", userId }])).status).toBe(201);
    const beta = await batch([{ id, text: "beta's note", userId }], BETA);
    expect(beta.status, beta.text).toBe(201);
    expect(beta.json.memories[0].duplicate).toBe(false);
    expect((await call("GET", `/v1/memories/${id}`)).json.text).toBe("alpha's secret");
    expect((await call("GET", `/v1/memories/${id}`, { key: BETA })).json.text).toBe("beta's note");
    expect((await search(userId, "secret", BETA)).json.results).toEqual([]);
    expect((await search(userId, "note")).json.results).toEqual([]);
  });
});
