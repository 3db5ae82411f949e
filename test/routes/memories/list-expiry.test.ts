import { env, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { memoryIndexStub, memoryRecordStub } from "../../../src/durable/memories/api";
import { memoryKey } from "../../../src/storage/memory-bodies";
import { call, freshId } from "../../helpers/http";
import { expectProblem } from "../../helpers/problems";

const create = (body: Record<string, unknown>) => call("POST", "/v1/memories", { body });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("GET /v1/memories", () => {
  it("lists a scope most recent first, page by page", async () => {
    const userId = freshId("lister");
    const made: string[] = [];
    for (let i = 0; i < 5; i++) {
      made.push((await create({ userId, text: `fact ${i}` })).json.id);
      await sleep(2);
    }
    await create({ userId: freshId("someone-else"), text: "not mine" });
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query = `userId=${userId}&limit=2${cursor ? `&cursor=${cursor}` : ""}`;
      const page = await call("GET", `/v1/memories?${query}`);
      expect(page.status, page.text).toBe(200);
      expect(page.json.memories.length).toBeLessThanOrEqual(2);
      seen.push(...page.json.memories.map((m: { id: string }) => m.id));
      cursor = page.json.nextCursor;
    } while (cursor);
    expect(seen).toEqual([...made].reverse());
    const all = await call("GET", `/v1/memories?userId=${userId}`);
    expect(all.json.nextCursor).toBeNull();
    expect(all.json.memories[0]).toMatchObject({ text: "fact 4", userId, version: 1 });
  });

  it("narrows to memories carrying every scope named", async () => {
    const userId = freshId("u");
    const agentId = freshId("a");
    const conversationId = freshId("c");
    const both = await create({ userId, agentId, text: "both" });
    await create({ userId, text: "user only" });
    const inConversation = await create({ conversationId, text: "conversation only" });
    const list = async (q: string) =>
      (await call("GET", `/v1/memories?${q}`)).json.memories.map((m: { id: string }) => m.id);
    expect(await list(`userId=${userId}&agentId=${agentId}`)).toEqual([both.json.id]);
    expect(await list(`agentId=${agentId}`)).toEqual([both.json.id]);
    expect(await list(`conversationId=${conversationId}`)).toEqual([inConversation.json.id]);
    expect(await list(`userId=${userId}`)).toHaveLength(2);
  });

  it("needs a scope; a foreign or broken cursor is 400 naming it", async () => {
    expectProblem(await call("GET", "/v1/memories"), 400, "invalid_request", [
      "userId",
      "agentId",
      "conversationId",
    ]);
    expectProblem(
      await call("GET", "/v1/memories?userId=u&cursor=%21%21"),
      400,
      "invalid_request",
      ["cursor"],
    );
    expectProblem(await call("GET", "/v1/memories?userId=u&limit=0"), 400, "invalid_request", [
      "limit",
    ]);
    expectProblem(await call("GET", "/v1/memories?userId=a%2Fb"), 400, "invalid_request", [
      "userId",
    ]);
    const userId = freshId("u");
    await create({ userId, text: "one" });
    await create({ userId, text: "two" });
    const page = await call("GET", `/v1/memories?userId=${userId}&limit=1`);
    const other = await call("GET", `/v1/memories?userId=other&cursor=${page.json.nextCursor}`);
    expectProblem(other, 400, "invalid_request", ["cursor"]);
  });
});

/** Moves a memory's expiry into the past everywhere it is held, as time passing would. */
async function age(id: string, scopes: { kind: "user" | "agent" | "conversation"; id: string }[]) {
  const past = Date.now() - 1000;
  const pastIso = new Date(past).toISOString();
  await runInDurableObject(
    memoryRecordStub(env, "alpha", id) as never,
    (_o, state: DurableObjectState) => {
      state.storage.sql.exec(
        "UPDATE versions SET body = json_set(body, '$.expiresAt', ?)",
        pastIso,
      );
      state.storage.sql.exec("UPDATE due_work SET due_at = ? WHERE kind = 'expire'", past);
    },
  );
  for (const scope of scopes) {
    await runInDurableObject(
      memoryIndexStub(env, "alpha", scope) as never,
      (_o, state: DurableObjectState) => {
        state.storage.sql.exec(
          "UPDATE memories SET expires_at = ?, body = json_set(body, '$.expiresAt', ?) WHERE id = ?",
          past,
          pastIso,
          id,
        );
      },
    );
  }
  // What KV's expirationTtl does on its own once the time has come.
  const current = await env.ARCHIVE.get(memoryKey("alpha", id), "json");
  if (current) {
    await env.ARCHIVE.put(
      memoryKey("alpha", id),
      JSON.stringify({ ...current, expiresAt: pastIso }),
    );
  }
}

describe("TTL", () => {
  it("gives expiresAt; PATCH ttlSeconds restarts it, null clears it", async () => {
    const userId = freshId("ttl");
    const before = Date.now();
    const res = await create({ userId, text: "short-lived", ttlSeconds: 3600 });
    const expiresAt = Date.parse(res.json.expiresAt);
    expect(expiresAt).toBeGreaterThanOrEqual(before + 3_600_000);
    expect(expiresAt).toBeLessThan(Date.now() + 3_600_000 + 1000);
    const id = res.json.id;
    const longer = await call("PATCH", `/v1/memories/${id}`, { body: { ttlSeconds: 7200 } });
    expect(Date.parse(longer.json.expiresAt)).toBeGreaterThan(expiresAt);
    const cleared = await call("PATCH", `/v1/memories/${id}`, { body: { ttlSeconds: null } });
    expect(cleared.json.expiresAt).toBeNull();
    expectProblem(
      await call("PATCH", `/v1/memories/${id}`, { body: { ttlSeconds: 10 } }),
      400,
      "invalid_request",
      ["ttlSeconds"],
    );
  });

  it("an expired memory vanishes from get, history, list, search and patch; alarms clean up", async () => {
    const userId = freshId("ttl");
    const agentId = freshId("agent");
    const keep = await create({ userId, text: "durable banana fact" });
    const res = await create({ userId, agentId, text: "expiring banana fact", ttlSeconds: 60 });
    const id = res.json.id;
    await call("PATCH", `/v1/memories/${id}`, { body: { text: "expiring banana fact v2" } });
    const scopes = [
      { kind: "user" as const, id: userId },
      { kind: "agent" as const, id: agentId },
    ];
    await age(id, scopes);

    expectProblem(await call("GET", `/v1/memories/${id}`), 404, "not_found");
    expectProblem(await call("GET", `/v1/memories/${id}/history`), 404, "not_found");
    expectProblem(
      await call("PATCH", `/v1/memories/${id}`, { body: { text: "x" } }),
      404,
      "not_found",
    );
    const list = await call("GET", `/v1/memories?userId=${userId}`);
    expect(list.json.memories.map((m: { id: string }) => m.id)).toEqual([keep.json.id]);
    const search = await call("POST", "/v1/memories/search", { body: { userId, query: "banana" } });
    expect(search.json.results.map((r: { memory: { id: string } }) => r.memory.id)).toEqual([
      keep.json.id,
    ]);

    // The index objects' alarms drop the rows; running one twice is harmless.
    for (const scope of scopes) {
      const index = memoryIndexStub(env, "alpha", scope) as never;
      expect(await runDurableObjectAlarm(index)).toBe(true);
      await runDurableObjectAlarm(index);
      const ids = await memoryIndexStub(env, "alpha", scope).ids(10);
      expect(ids).not.toContain(id);
    }
    // The record's alarm removes its KV keys and itself.
    const record = memoryRecordStub(env, "alpha", id) as never;
    expect(await runDurableObjectAlarm(record)).toBe(true);
    expect(await runDurableObjectAlarm(record)).toBe(false);
    expect((await env.ARCHIVE.list({ prefix: memoryKey("alpha", id) })).keys).toEqual([]);
    await runInDurableObject(record, (_o, state: DurableObjectState) => {
      const tables = state.storage.sql
        .exec(
          "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '\\_cf%' ESCAPE '\\'",
        )
        .toArray();
      expect(tables).toEqual([]);
    });
    // The id is free again.
    expect((await create({ id, userId, text: "reborn" })).status).toBe(201);
  });
});
