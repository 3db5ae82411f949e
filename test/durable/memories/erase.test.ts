import { env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { memoryRecordStub } from "../../../src/durable/memories/api";
import { memoryKey, versionKey } from "../../../src/storage/memory-bodies";
import { kvKeys } from "../../helpers/conversation-object";
import { call, freshId } from "../../helpers/http";
import { expectProblem } from "../../helpers/problems";
import { kvLimitReport } from "../../helpers/production-limits";

/**
 * A memory patched `versions - 1` times (a memory updated every turn), its versions written
 * straight into its record object and KV, since thousands of PATCH requests take minutes.
 */
async function memoryWithVersions(versions: number, userId?: string) {
  const res = await call("POST", "/v1/memories", {
    body: { text: "a preference that changes every turn", userId: userId ?? freshId("u") },
  });
  expect(res.status, res.text).toBe(201);
  const memory = res.json;
  const keys: string[] = [];
  for (let v = 1; v < versions; v++) keys.push(versionKey("alpha", memory.id, v));
  for (let i = 0; i < keys.length; i += 100) {
    await Promise.all(keys.slice(i, i + 100).map((key) => env.ARCHIVE.put(key, "{}")));
  }
  await runInDurableObject(
    memoryRecordStub(env, "alpha", memory.id) as never,
    (_o, state: DurableObjectState) => {
      state.storage.transactionSync(() => {
        for (let v = 2; v <= versions; v++) {
          state.storage.sql.exec(
            "INSERT INTO versions (version, body) VALUES (?, ?)",
            v,
            JSON.stringify({ ...memory, text: `version ${v}`, version: v }),
          );
        }
        state.storage.sql.exec(
          "UPDATE record SET version = ?, synced_version = ?",
          versions,
          versions,
        );
      });
    },
  );
  return memory.id as string;
}

describe("erasing a memory with thousands of versions under production's KV limits", () => {
  it("DELETE /v1/memories/{id} removes every version key, never over 1,000 KV operations in one invocation", async () => {
    const id = await memoryWithVersions(1300);
    expect((await kvKeys(memoryKey("alpha", id))).length).toBe(1300);
    const res = await call("DELETE", `/v1/memories/${id}`);
    expect(res.status, res.text).toBe(204);
    expect(kvLimitReport().maxOperations).toBeLessThanOrEqual(1000);
    expect(await kvKeys(memoryKey("alpha", id))).toEqual([]);
    expectProblem(await call("GET", `/v1/memories/${id}`), 404, "not_found");
  });

  it("DELETE /v1/users/{u} gets past such a memory", async () => {
    const user = freshId("erase-user");
    const big = await memoryWithVersions(1100, user);
    const small = (await call("POST", "/v1/memories", { body: { userId: user, text: "small" } }))
      .json.id as string;
    const res = await call("DELETE", `/v1/users/${user}`);
    expect(res.status, res.text).toBe(200);
    expect(res.json.deleted.memories).toBe(2);
    expect(await kvKeys(memoryKey("alpha", big))).toEqual([]);
    expectProblem(await call("GET", `/v1/memories/${small}`), 404, "not_found");
  });
});
