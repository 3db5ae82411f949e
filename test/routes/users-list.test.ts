import { describe, expect, it } from "vitest";
import { BETA, call, freshId } from "../helpers/http";
import { expectProblem } from "../helpers/problems";

const remember = async (body: Record<string, unknown>) => {
  const res = await call("POST", "/v1/memories", { body });
  expect(res.status, res.text).toBe(201);
  return res.json.id as string;
};
const listUsers = async (query = "") => {
  const res = await call("GET", `/v1/users${query}`);
  expect(res.status, res.text).toBe(200);
  return res.json as {
    users: { id: string; conversations: number; memories: number; lastActiveAt: string }[];
    nextCursor: string | null;
  };
};
const tick = () => new Promise((r) => setTimeout(r, 5));

describe("GET /v1/users", () => {
  it("lists owners of conversations and of memories, most recently active first, with counts", async () => {
    const owner = freshId("owner");
    const keeper = freshId("keeper");
    const c1 = freshId("conv");
    const c2 = freshId("conv");
    await call("PUT", `/v1/conversations/${c1}`, { body: { userId: owner } });
    await call("PUT", `/v1/conversations/${c2}`, { body: { userId: owner } });
    await call("PUT", `/v1/conversations/${freshId("conv")}`, { body: {} });
    await tick();
    await remember({ userId: keeper, text: "Likes green tea." });
    await remember({ userId: keeper, text: "Lives in Porto." });
    await remember({ agentId: "agent-x", text: "Not a user's memory." });

    const { users, nextCursor } = await listUsers();
    expect(nextCursor).toBeNull();
    const mine = users.filter((u) => u.id === owner || u.id === keeper);
    expect(mine.map((u) => u.id)).toEqual([keeper, owner]);
    expect(mine[0]).toMatchObject({ conversations: 0, memories: 2 });
    expect(mine[1]).toMatchObject({ conversations: 2, memories: 0 });
    expect(Date.parse(mine[0]?.lastActiveAt ?? "")).toBeGreaterThan(Date.now() - 60_000);
    expect(users.some((u) => u.id === "agent-x")).toBe(false);
  });

  it("follows deletes: a user with no conversation and no memory left is no longer listed", async () => {
    const user = freshId("leaving");
    const conversation = freshId("conv");
    await call("PUT", `/v1/conversations/${conversation}`, { body: { userId: user } });
    const memory = await remember({ userId: user, text: "Temporary fact." });
    expect((await listUsers()).users.find((u) => u.id === user)).toMatchObject({
      conversations: 1,
      memories: 1,
    });
    expect((await call("DELETE", `/v1/memories/${memory}`)).status).toBe(204);
    expect((await listUsers()).users.find((u) => u.id === user)).toMatchObject({
      conversations: 1,
      memories: 0,
    });
    expect((await call("DELETE", `/v1/conversations/${conversation}`)).status).toBe(200);
    expect((await listUsers()).users.some((u) => u.id === user)).toBe(false);

    const erased = freshId("erased");
    await remember({ userId: erased, text: "Gone soon." });
    await call("PUT", `/v1/conversations/${freshId("conv")}`, { body: { userId: erased } });
    expect((await call("DELETE", `/v1/users/${erased}`)).status).toBe(200);
    expect((await listUsers()).users.some((u) => u.id === erased)).toBe(false);
  });

  it("pages with nextCursor: every user once, newest first", async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const id = freshId(`paged${i}`);
      ids.push(id);
      await remember({ userId: id, text: `Fact number ${i}.` });
      await tick();
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await listUsers(`?limit=2${cursor ? `&cursor=${cursor}` : ""}`);
      expect(page.users.length).toBeLessThanOrEqual(2);
      seen.push(...page.users.map((u) => u.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.filter((id) => ids.includes(id))).toEqual([...ids].reverse());
  });

  it("keeps tenants apart and rejects foreign cursors and bad limits", async () => {
    const user = freshId("alpha-only");
    await remember({ userId: user, text: "Alpha's user." });
    const beta = await call("GET", "/v1/users", { key: BETA });
    expect(beta.status).toBe(200);
    expect(beta.json.users.some((u: { id: string }) => u.id === user)).toBe(false);

    const conversations = await call("GET", "/v1/conversations?limit=1");
    const foreign = conversations.json.nextCursor ?? "eyJjIjoieCIsImkiOiJ5In0";
    expectProblem(await call("GET", `/v1/users?cursor=${foreign}`), 400, "invalid_request", [
      "cursor",
    ]);
    expectProblem(await call("GET", "/v1/users?limit=0"), 400, "invalid_request", ["limit"]);
    expectProblem(await call("GET", "/v1/users", { key: null }), 401, "unauthorized");
  });
});
