import { describe, expect, it } from "vitest";
import { call, freshId } from "../../helpers/http";

const create = (body: Record<string, unknown>) => call("POST", "/v1/memories", { body });
const listOf = async (userId: string) =>
  (await call("GET", `/v1/memories?userId=${userId}&limit=100`)).json.memories;

describe("POST /v1/memories without an id: the same text is stored once", () => {
  it("answers 200 with the live memory of the same scopes whose text equals after normalising", async () => {
    const userId = freshId("user");
    const first = await create({ text: "Prefers a window seat.", userId });
    expect(first.status, first.text).toBe(201);
    const again = await create({
      text: "  prefers a   WINDOW\nseat. ",
      userId,
      metadata: { x: 1 },
    });
    expect(again.status, again.text).toBe(200);
    expect(again.json).toEqual(first.json);
    expect(again.headers.get("etag")).toBe('"1"');
    expect(await listOf(userId)).toHaveLength(1);
    const history = await call("GET", `/v1/memories/${first.json.id}/history`);
    expect(history.json.versions).toHaveLength(1);
  });

  it("stores the same text again in other scopes, or with another text", async () => {
    const userId = freshId("user");
    await create({ text: "Likes tea", userId });
    expect((await create({ text: "Likes tea", userId, agentId: "bot" })).status).toBe(201);
    expect((await create({ text: "Likes tea", userId: freshId("user") })).status).toBe(201);
    expect((await create({ text: "Likes green tea", userId })).status).toBe(201);
    expect((await listOf(userId)).map((m: any) => m.text).sort()).toEqual([
      "Likes green tea",
      "Likes tea",
      "Likes tea",
    ]);
  });

  it("finds a memory stored under a client id, or patched to the text", async () => {
    const userId = freshId("user");
    const named = await create({ id: freshId("mem"), text: "Allergic to peanuts", userId });
    expect((await create({ text: "allergic to peanuts", userId })).json.id).toBe(named.json.id);
    const other = await create({ text: "Vegetarian since 2019", userId });
    await call("PATCH", `/v1/memories/${other.json.id}`, { body: { text: "Vegan since 2021" } });
    const patched = await create({ text: "vegan since 2021", userId });
    expect(patched.status).toBe(200);
    expect(patched.json).toMatchObject({ id: other.json.id, version: 2 });
    // The old text is free again.
    expect((await create({ text: "Vegetarian since 2019", userId })).status).toBe(201);
  });

  it("stores once when the same text is posted twice at once", async () => {
    const userId = freshId("user");
    const both = await Promise.all([
      create({ text: "Lives in Porto", userId }),
      create({ text: "Lives in Porto", userId }),
    ]);
    expect(both.map((r) => r.status).sort()).toEqual([200, 201]);
    expect(both[0]?.json.id).toBe(both[1]?.json.id);
    expect(await listOf(userId)).toHaveLength(1);
  });

  it("stores the text again once the memory is deleted", async () => {
    const userId = freshId("user");
    const first = await create({ text: "Works at ACME", userId });
    await call("DELETE", `/v1/memories/${first.json.id}`);
    const again = await create({ text: "Works at ACME", userId });
    expect(again.status).toBe(201);
    expect(again.json.version).toBe(1);
    expect(await listOf(userId)).toHaveLength(1);
  });
});
