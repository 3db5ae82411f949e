import { beforeAll, describe, expect, it } from "vitest";
import { call, freshId } from "../../helpers/http";
import { expectProblem } from "../../helpers/problems";

const userId = freshId("searcher");
const otherUser = freshId("other");
const agentId = freshId("agent");

/** A small fixed corpus with known answers. */
const CORPUS: Record<string, { text: string; metadata?: Record<string, unknown> }> = {
  run: { text: "She runs every morning before work" },
  shoes: { text: "Her running shoes are size 39" },
  peanuts: { text: "Allergic to peanuts and shellfish" },
  seat: { text: "Prefers a window seat on long flights", metadata: { topic: "travel" } },
  lisbon: {
    text: "Booked a flight to Lisbon for the conference",
    metadata: { topic: "travel", year: 2026, confirmed: true },
  },
  cafe: { text: "Favourite café is Café Noir near the station", metadata: { topic: "food" } },
  tokyo: { text: "東京タワーの近くに住んでいる" },
  seoul: { text: "서울에서 일해요 and commutes by subway" },
};
const ids: Record<string, string> = {};

const search = (body: Record<string, unknown>, key?: string) =>
  call("POST", "/v1/memories/search", { body, key });
const found = async (body: Record<string, unknown>) => {
  const res = await search({ userId, ...body });
  expect(res.status, res.text).toBe(200);
  return (res.json.results as { score: number; memory: { id: string } }[]).map((r) => r.memory.id);
};

beforeAll(async () => {
  for (const [name, item] of Object.entries(CORPUS)) {
    ids[name] = `${userId}-${name}`;
    const res = await call("POST", "/v1/memories", {
      body: { id: ids[name], userId, ...item },
    });
    expect(res.status, res.text).toBe(201);
  }
  await call("POST", "/v1/memories", {
    body: { userId: otherUser, text: "He runs marathons and likes peanuts" },
  });
  await call("POST", "/v1/memories", {
    body: { id: `${agentId}-only`, agentId, text: "The agent runs on weekends" },
  });
  await call("POST", "/v1/memories", {
    body: { id: `${agentId}-both`, agentId, userId, text: "User asked the agent about running" },
  });
});

describe("POST /v1/memories/search", () => {
  it("stems English words: 'running' finds 'runs' and 'running', not unrelated text", async () => {
    const results = await found({ query: "running" });
    expect(results).toEqual(expect.arrayContaining([ids.run, ids.shoes, `${agentId}-both`]));
    expect(results).not.toContain(ids.peanuts);
    expect(await found({ query: "flights" })).toEqual(
      expect.arrayContaining([ids.seat, ids.lisbon]),
    );
  });

  it("does not promise irregular forms: 'ran' does not find 'runs'", async () => {
    expect(await found({ query: "ran" })).toEqual([]);
  });

  it("any word may match; the best match ranks first, scores higher-is-better", async () => {
    const res = await search({ userId, query: "window seat for my trip" });
    const results = res.json.results as { score: number; memory: { id: string } }[];
    expect(results[0]?.memory.id).toBe(ids.seat);
    const scores = results.map((r) => r.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    expect(scores.every((s) => s > 0)).toBe(true);
    expect((await found({ query: "peanut allergy" }))[0]).toBe(ids.peanuts);
  });

  it("folds diacritics: 'cafe' finds 'Café'", async () => {
    expect(await found({ query: "cafe" })).toEqual([ids.cafe]);
  });

  it("finds Chinese/Japanese words inside unspaced text, and Korean words", async () => {
    expect(await found({ query: "東京" })).toEqual([ids.tokyo]);
    expect(await found({ query: "タワー" })).toEqual([ids.tokyo]);
    expect(await found({ query: "京都" })).toEqual([]);
    expect(await found({ query: "서울에서" })).toEqual([ids.seoul]);
  });

  it("filters on metadata equality (strings, numbers, booleans)", async () => {
    expect(
      await found({ query: "flight seat", filter: { metadata: { topic: "travel" } } }),
    ).toEqual(expect.arrayContaining([ids.seat, ids.lisbon]));
    expect(await found({ query: "flight seat", filter: { metadata: { year: 2026 } } })).toEqual([
      ids.lisbon,
    ]);
    expect(
      await found({ query: "flight seat", filter: { metadata: { confirmed: true } } }),
    ).toEqual([ids.lisbon]);
    expect(await found({ query: "flight", filter: { metadata: { year: "2026" } } })).toEqual([]);
    expect(await found({ query: "flight", filter: { metadata: { topic: "food" } } })).toEqual([]);
  });

  it("honours limit", async () => {
    expect(await found({ query: "runs flights peanuts", limit: 2 })).toHaveLength(2);
    expectProblem(await search({ userId, query: "x", limit: 101 }), 400, "invalid_request", [
      "limit",
    ]);
  });

  it("breaks ties by recency, most recently updated first", async () => {
    const tieUser = freshId("tie");
    const first = await call("POST", "/v1/memories", {
      body: { userId: tieUser, text: "likes jazz", id: freshId("jazz") },
    });
    await new Promise((r) => setTimeout(r, 5));
    // Client ids: the same text without an id would be the same memory (dedupe).
    const second = await call("POST", "/v1/memories", {
      body: { userId: tieUser, text: "likes jazz", id: freshId("jazz") },
    });
    const order = async () =>
      (await search({ userId: tieUser, query: "jazz" })).json.results.map(
        (r: { memory: { id: string } }) => r.memory.id,
      );
    expect(await order()).toEqual([second.json.id, first.json.id]);
    await new Promise((r) => setTimeout(r, 5));
    await call("PATCH", `/v1/memories/${first.json.id}`, { body: { text: "likes jazz" } });
    expect(await order()).toEqual([first.json.id, second.json.id]);
  });

  it("keeps scopes and tenants apart", async () => {
    expect(await found({ query: "marathons" })).toEqual([]);
    const agent = await search({ agentId, query: "runs running" });
    expect(agent.json.results.map((r: { memory: { id: string } }) => r.memory.id).sort()).toEqual(
      [`${agentId}-both`, `${agentId}-only`].sort(),
    );
    const both = await search({ agentId, userId, query: "runs running" });
    expect(both.json.results.map((r: { memory: { id: string } }) => r.memory.id)).toEqual([
      `${agentId}-both`,
    ]);
    const beta = await search({ userId, query: "runs" }, "test-key-beta");
    expect(beta.json.results).toEqual([]);
  });

  it("reads no query syntax from user text", async () => {
    for (const query of [
      '"peanuts" OR NEAR(',
      "peanuts*",
      "text:peanuts",
      "AND OR NOT",
      "-peanuts",
    ]) {
      const res = await search({ userId, query });
      expect(res.status, `${query}: ${res.text}`).toBe(200);
    }
    expect(await found({ query: "?!  ..." })).toEqual([]);
  });

  it("needs a scope and names bad fields", async () => {
    expectProblem(await search({ query: "x" }), 400, "invalid_request", [
      "userId",
      "agentId",
      "conversationId",
    ]);
    expectProblem(await search({ userId }), 400, "invalid_request", ["query"]);
    expectProblem(await search({ userId, query: "" }), 400, "invalid_request", ["query"]);
    expectProblem(
      await search({ userId, query: "x", filter: { metadata: { a: { b: 1 } } } }),
      400,
      "invalid_request",
      ["filter.metadata.a"],
    );
    expectProblem(
      await search({ userId, query: "x", filter: { tags: [] } }),
      400,
      "invalid_request",
      ["filter.tags"],
    );
  });
});
