import { env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { directoryObjectName } from "../../../src/durable/directory/api";
import { call, freshId } from "../../helpers/http";

const directory = () => env.DIRECTORY.get(env.DIRECTORY.idFromName(directoryObjectName("alpha")));

/**
 * The directory as a deployment from before migration 3 leaves it: users only from
 * conversations (what migration 3 backfills), none from memories, the scan not begun.
 */
async function asBeforeUsersWereKept(): Promise<void> {
  await runInDurableObject(directory(), (_instance, state) => {
    const sql = state.storage.sql;
    sql.exec("DELETE FROM users");
    sql.exec(
      `INSERT INTO users (id, active_at) SELECT user_id, MAX(created_at) FROM conversations
       WHERE user_id IS NOT NULL GROUP BY user_id`,
    );
    sql.exec("UPDATE user_backfill SET cursor = NULL, done = 0");
    sql.exec("DELETE FROM user_backfill_counted");
  });
}

const backfillState = () =>
  runInDurableObject(directory(), (_instance, state) =>
    state.storage.sql.exec("SELECT cursor, done FROM user_backfill").one(),
  );

async function listUsers() {
  const res = await call("GET", "/v1/users?limit=100");
  expect(res.status, res.text).toBe(200);
  return res.json.users as { id: string; conversations: number; memories: number }[];
}

async function importMemories(userId: string, count: number): Promise<void> {
  for (let from = 0; from < count; from += 100) {
    const memories = Array.from({ length: Math.min(100, count - from) }, (_, i) => ({
      userId,
      text: `Fact number ${from + i} about ${userId}.`,
    }));
    const res = await call("POST", "/v1/memories/batch", { body: { memories } });
    expect(res.status, res.text).toBe(201);
  }
}

describe("GET /v1/users lists users who had memories before users were kept", () => {
  it("finds them from the memory bodies, counted by their index, once", async () => {
    const keeper = freshId("keeper");
    const owner = freshId("owner");
    const bulk = freshId("bulk");
    for (const text of ["Likes green tea.", "Lives in Porto."]) {
      const res = await call("POST", "/v1/memories", { body: { userId: keeper, text } });
      expect(res.status, res.text).toBe(201);
    }
    // An edited memory has a superseded version in KV too: still one memory.
    const edited = await call("POST", "/v1/memories", { body: { userId: owner, text: "Cat." } });
    await call("PATCH", `/v1/memories/${edited.json.id}`, { body: { text: "Two cats." } });
    await call("PUT", `/v1/conversations/${freshId("conv")}`, { body: { userId: owner } });
    // More memories than one page of the scan holds.
    await importMemories(bulk, 130);

    await asBeforeUsersWereKept();
    const before = await runInDurableObject(directory(), (_instance, state) =>
      state.storage.sql.exec("SELECT id, memories FROM users").toArray(),
    );
    expect(before.map((u) => u.id)).toEqual([owner]);

    const users = await listUsers();
    const byId = new Map(users.map((u) => [u.id, u]));
    expect(byId.get(keeper)).toMatchObject({ conversations: 0, memories: 2 });
    expect(byId.get(owner)).toMatchObject({ conversations: 1, memories: 1 });
    expect(byId.get(bulk)).toMatchObject({ conversations: 0, memories: 130 });
    expect(await backfillState()).toEqual({ cursor: null, done: 1 });

    // Done once: later counts come from memory writes, as before.
    await call("DELETE", `/v1/memories/${edited.json.id}`);
    const after = new Map((await listUsers()).map((u) => [u.id, u]));
    expect(after.get(owner)).toMatchObject({ conversations: 1, memories: 0 });
  });
});
