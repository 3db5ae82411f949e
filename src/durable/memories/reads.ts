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

/**
 * Versions a history page holds at most: one bulk KV read, and at most ~2 MiB at the
 * default limits (16 KiB of text and 4 KiB of metadata a version). A memory patched every
 * turn has thousands of versions; all at once could exceed an isolate's memory.
 */
export const HISTORY_PAGE = 100;

export interface HistoryPage {
  /** Oldest first. */
  versions: Memory[];
  /** The first version of the next page, or null on the last page. */
  next: number | null;
}

/**
 * Versions `from` … `from + HISTORY_PAGE - 1` (the current one included), oldest first:
 * from KV when all are visible here, else from the record. `from` past the current
 * version is `invalid` (naming `cursor`: only a cursor can say where a page starts).
 */
export async function readHistory(
  env: Env,
  tenant: string,
  id: string,
  from = 1,
): Promise<Result<HistoryPage>> {
  const current = await readMemory(env, tenant, id);
  if (!current.ok) return current;
  const last = current.value.version;
  if (from > last) return fail("invalid_request", "not a cursor of this history", "cursor");
  const through = Math.min(last, from + HISTORY_PAGE - 1);
  const next = through < last ? through + 1 : null;
  const earlier = await new MemoryBodies(env.ARCHIVE, tenant).versions(
    id,
    from,
    Math.min(through, last - 1),
  );
  if (earlier.every((memory) => memory !== null)) {
    const versions = through === last ? [...(earlier as Memory[]), current.value] : earlier;
    return ok({ versions: versions as Memory[], next });
  }
  const page = await memoryRecordStub(env, tenant, id).history(from, through - from + 1);
  return page.ok ? ok({ versions: page.value, next }) : page;
}
