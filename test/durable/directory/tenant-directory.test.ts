import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { directoryStub } from "../../../src/durable/directory/api";
import { runDueWork, sqlOf } from "../../helpers/conversation-object";
import { call, freshId } from "../../helpers/http";

/**
 * Makes every listing in a tenant directory fail while `work` runs, as a failed RPC does
 * for its caller, and answers how many failed. The binding is what fails: the object
 * itself throws nothing, so workerd logs no uncaught exception for an injected error.
 */
async function withFailingDirectory(work: () => Promise<void>): Promise<number> {
  const bindings = env as unknown as { DIRECTORY: DurableObjectNamespace };
  const original = bindings.DIRECTORY;
  let failed = 0;
  bindings.DIRECTORY = new Proxy(original, {
    get(target, name) {
      if (name !== "get") return Reflect.get(target, name).bind(target);
      return () => ({
        remember: () => {
          failed++;
          return Promise.reject(new Error("injected: directory unavailable"));
        },
      });
    },
  });
  try {
    await work();
    return failed;
  } finally {
    bindings.DIRECTORY = original;
  }
}

describe("the tenant directory stays in step with its conversations", () => {
  it("a failed listing is retried by the alarm, so the user's erase finds the conversation", async () => {
    const userId = freshId("dir-user");
    const id = freshId("dir");
    const failed = await withFailingDirectory(async () => {
      const res = await call("PUT", `/v1/conversations/${id}`, { body: { userId } });
      expect(res.status).toBe(201); // the write itself is acknowledged
    });
    expect(failed).toBeGreaterThan(0); // its listing was tried, and failed
    // No other write comes; the alarm must list it.
    await runDueWork(id);
    const listed = await call("GET", `/v1/conversations?userId=${userId}`);
    expect(listed.json.conversations.map((c: { id: string }) => c.id)).toEqual([id]);
    const erased = await call("DELETE", `/v1/users/${userId}`);
    expect(erased.json.deleted.conversations).toBe(1);
    expect((await call("GET", `/v1/conversations/${id}`)).status).toBe(404);
  });

  it("an older listing that arrives late does not undo a newer one", async () => {
    const directory = directoryStub(env, "alpha");
    const id = freshId("dir-order");
    const createdAt = new Date().toISOString();
    const held = await directory.remember({ id, userId: "owner", createdAt, version: 3 });
    expect(held.userId).toBe("owner");
    const late = await directory.remember({ id, userId: null, createdAt, version: 1 });
    expect(late.userId).toBe("owner"); // answers what it holds, not what was sent
    const page = await directory.list({ userId: "owner", limit: 10 });
    expect(page.ids).toContain(id);
  });

  it("records what the directory holds, and retries until it holds the conversation's owner", async () => {
    const userId = freshId("dir-held");
    const id = freshId("dir-held");
    await call("PUT", `/v1/conversations/${id}`, { body: {} });
    // A stale, newer-looking entry in the directory (as a lost race would leave).
    await directoryStub(env, "alpha").remember({
      id,
      userId: null,
      createdAt: "2999-01-01T00:00:00.000Z",
      version: 99,
    });
    await call("PUT", `/v1/conversations/${id}`, { body: { userId } });
    const [row] = await sqlOf<{ listed_user_id: string | null }>(
      id,
      "SELECT listed_user_id FROM conversation",
    );
    expect(row?.listed_user_id).toBeNull();
    const due = await sqlOf<{ kind: string }>(id, "SELECT kind FROM due_work");
    expect(due.map((d) => d.kind)).toContain("sync_directory");
  });
});
