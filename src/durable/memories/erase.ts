import type { Env } from "../../env";
import type { Scope } from "../../memory/memories";
import { memoryIndexStub, memoryRecordStub } from "./api";
import { noteUserMemories } from "./user-listing";

const BATCH = 100;
const PARALLEL = 20;

/**
 * Erases every memory of a scope (a user, or a conversation being deleted) from its
 * record object, KV and every index it is in; returns how many live memories went.
 * Safe to run again after an interruption: each step is idempotent, and ids leave
 * this scope's index only after their record is gone.
 */
export async function eraseScopeMemories(env: Env, tenant: string, scope: Scope): Promise<number> {
  const index = memoryIndexStub(env, tenant, scope);
  let erased = 0;
  for (;;) {
    const ids = await index.ids(BATCH);
    if (ids.length === 0) {
      await noteUserMemories(env, tenant, scope, 0);
      return erased;
    }
    for (let i = 0; i < ids.length; i += PARALLEL) {
      const receipts = await Promise.all(
        ids.slice(i, i + PARALLEL).map((id) => memoryRecordStub(env, tenant, id).erase()),
      );
      erased += receipts.filter((r) => r.erased).length;
    }
    // Normally gone already; this also clears an entry whose record no longer exists.
    await index.remove(ids);
  }
}
