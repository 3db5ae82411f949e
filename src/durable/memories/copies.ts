import type { Env } from "../../env";
import type { Memory, Scope } from "../../memory/memories";
import { MemoryBodies } from "../../storage/memory-bodies";
import { memoryIndexStub } from "./api";
import type { RecordRow } from "./record-schema";
import { noteUserMemories } from "./user-listing";

/**
 * A memory's copies outside its record object: its bodies in KV (every version, and the
 * current one for reads) and an entry in the index of each of its scopes. The record is
 * the authority and writes them; each call is idempotent, so a retry after a failure or a
 * crash repeats it safely.
 */
export async function writeCopies(env: Env, row: RecordRow, versions: Memory[]): Promise<void> {
  const latest = versions.at(-1);
  if (!latest) return;
  const bodies = new MemoryBodies(env.ARCHIVE, row.tenant);
  for (const superseded of versions.slice(0, -1)) await bodies.putVersion(superseded);
  await bodies.putCurrent(latest, Date.now());
  for (const scope of scopesOfRecord(row)) {
    const held = await memoryIndexStub(env, row.tenant, scope).upsert(latest);
    // Only a creation changes how many memories the user has; an edit costs no extra call.
    if (latest.version === 1) await noteUserMemories(env, row.tenant, scope, held);
  }
}

/**
 * KV keys one erase step deletes at most: KV allows 1,000 operations per invocation (an
 * RPC call or an alarm), and a memory patched every turn has thousands of versions.
 */
export const ERASE_KEYS_PER_CALL = 500;

/**
 * One step of erasing a memory's copies: the next KV bodies — the current one first, then
 * versions after `row.erased_through` — at most `ERASE_KEYS_PER_CALL`, saving how far it
 * got; once every body is gone, its index entries. True when no copy is left.
 */
export async function removeCopiesStep(
  env: Env,
  sql: SqlStorage,
  row: RecordRow,
): Promise<boolean> {
  const through = await deleteBodiesStep(env, row);
  sql.exec("UPDATE record SET erased_through = ?", through);
  if (through < row.version) return false;
  await removeIndexEntries(env, row);
  return true;
}

async function deleteBodiesStep(env: Env, row: RecordRow): Promise<number> {
  const bodies = new MemoryBodies(env.ARCHIVE, row.tenant);
  let budget = ERASE_KEYS_PER_CALL;
  if (row.erased_through === 0) {
    await bodies.deleteCurrent(row.id);
    budget--;
  }
  const through = Math.min(row.version, row.erased_through + budget);
  await bodies.deleteVersions(row.id, row.erased_through + 1, through);
  return through;
}

/** Removes the memory's entry from the index of each of its scopes. */
async function removeIndexEntries(env: Env, row: RecordRow): Promise<void> {
  for (const scope of scopesOfRecord(row)) {
    const held = await memoryIndexStub(env, row.tenant, scope).remove([row.id]);
    await noteUserMemories(env, row.tenant, scope, held);
  }
}

const scopesOfRecord = (row: RecordRow): Scope[] => JSON.parse(row.scopes) as Scope[];
