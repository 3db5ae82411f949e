import type { Env } from "../../env";
import { isExpired, type Memory } from "../../memory/memories";
import { fail, ok, type Result } from "../../memory/result";
import { MemoryBodies } from "../../storage/memory-bodies";
import { memoryRecordStub } from "./api";

/**
 * Reads by id come from KV, the copy nearest the caller. KV may lag a write by up to
 * 60 s in other locations, so a miss is not trusted: it falls through to the
 * memory's record object, the authority. A hit may be that much stale (an earlier
 * version, or a memory deleted since); its own `expiresAt` is always honoured.
 */
export async function readMemory(env: Env, tenant: string, id: string): Promise<Result<Memory>> {
  const cached = await new MemoryBodies(env.ARCHIVE, tenant).current(id);
  if (cached) {
    return isExpired(cached, Date.now()) ? fail("not_found", "Memory not found") : ok(cached);
  }
  return memoryRecordStub(env, tenant, id).read();
}

/** Every version, oldest first: from KV when all are visible here, else from the record. */
export async function readHistory(env: Env, tenant: string, id: string): Promise<Result<Memory[]>> {
  const current = await readMemory(env, tenant, id);
  if (!current.ok) return current;
  const earlier = await new MemoryBodies(env.ARCHIVE, tenant).versions(
    id,
    current.value.version - 1,
  );
  if (earlier.every((memory) => memory !== null)) {
    return ok([...(earlier as Memory[]), current.value]);
  }
  return memoryRecordStub(env, tenant, id).history();
}
