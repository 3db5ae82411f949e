import type { Env } from "../../env";
import type { Scope } from "../../memory/memories";
import { eraseMemory, memoryIndexStub } from "./api";
import { noteUserMemories } from "./user-listing";

const BATCH = 100;
const PARALLEL = 20;

/**
 * Erases the memories of a scope (a user, or a conversation being deleted) from their
 * record objects, KV and every index they are in, at most `maxBatches` batches of 100;
 * answers how many live memories went and whether none is left. Safe to run again after
 * an interruption: each step is idempotent, and ids leave this scope's index only after
 * their record is gone.
 */
export async function eraseScopeMemories(
  env: Env,
  tenant: string,
  scope: Scope,
  maxBatches = Number.POSITIVE_INFINITY,
): Promise<{ erased: number; done: boolean }> {
  const index = memoryIndexStub(env, tenant, scope);
  let erased = 0;
  for (let batch = 0; batch < maxBatches; batch++) {
    const ids = await index.ids(BATCH);
    if (ids.length === 0) {
      await noteUserMemories(env, tenant, scope, 0);
      return { erased, done: true };
    }
    for (let i = 0; i < ids.length; i += PARALLEL) {
      const receipts = await Promise.all(
        ids.slice(i, i + PARALLEL).map((id) => eraseMemory(env, tenant, id)),
      );
      erased += receipts.filter((r) => r.erased).length;
    }
    // Normally gone already; this also clears an entry whose record no longer exists.
    await index.remove(ids);
  }
  return { erased, done: (await index.ids(1)).length === 0 };
}
