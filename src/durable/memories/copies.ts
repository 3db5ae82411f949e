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

/** Removes every copy: all KV bodies up to `row.version` and the entry in each index. */
export async function removeCopies(env: Env, row: RecordRow): Promise<void> {
  await new MemoryBodies(env.ARCHIVE, row.tenant).deleteAll(row.id, row.version);
  for (const scope of scopesOfRecord(row)) {
    const held = await memoryIndexStub(env, row.tenant, scope).remove([row.id]);
    await noteUserMemories(env, row.tenant, scope, held);
  }
}

const scopesOfRecord = (row: RecordRow): Scope[] => JSON.parse(row.scopes) as Scope[];
