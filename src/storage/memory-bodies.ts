import { expiryMs, type Memory } from "../memory/memories";

/**
 * KV layout of memory bodies (binding ARCHIVE), documented in docs/storage-schema.md:
 *
 *   t/{tenant}/mem/{id}         the current version (JSON Memory), expiring with it
 *   t/{tenant}/mem/{id}/v/{n}   every superseded version n (JSON Memory), no TTL:
 *                               the memory's record object deletes them with it
 *
 * Only the memory's record Durable Object writes these keys. Readers treat them as
 * a cache that may lag by KV's propagation delay (up to 60 s in other locations).
 */
export const memoryKey = (tenant: string, id: string) => `t/${tenant}/mem/${id}`;
export const versionKey = (tenant: string, id: string, version: number) =>
  `${memoryKey(tenant, id)}/v/${version}`;

/** KV's smallest expirationTtl. */
const MIN_TTL_SECONDS = 60;
/** KV's largest bulk get. */
const BULK_GET = 100;
/** Keys per list page when scanning for owners: one bulk get reads the page's bodies. */
const OWNERS_PAGE = 100;

/** The owners of one page of current memories, and where the next page starts (null: done). */
export interface OwnersPage {
  /** userId → the latest `updatedAt` among that user's memories on the page. */
  owners: Map<string, string>;
  cursor: string | null;
}

export class MemoryBodies {
  constructor(
    private readonly kv: KVNamespace,
    private readonly tenant: string,
  ) {}

  /** The current version, or null when absent (not written yet here, deleted, or expired). */
  async current(id: string): Promise<Memory | null> {
    return this.kv.get<Memory>(memoryKey(this.tenant, id), "json");
  }

  /** Versions `from`..`through`; a version not (yet) visible in this location is null. */
  async versions(id: string, from: number, through: number): Promise<(Memory | null)[]> {
    const count = Math.max(0, through - from + 1);
    const keys = Array.from({ length: count }, (_, i) => versionKey(this.tenant, id, from + i));
    const found: (Memory | null)[] = [];
    for (let i = 0; i < keys.length; i += BULK_GET) {
      const chunk = keys.slice(i, i + BULK_GET);
      const bodies = await this.kv.get<Memory>(chunk, "json");
      for (const key of chunk) found.push(bodies.get(key) ?? null);
    }
    return found;
  }

  /**
   * Who owns the tenant's memories, a page of keys at a time (one list and one bulk get):
   * the only enumeration of a tenant's memories, for the directory's one-time backfill of
   * users. Superseded versions are skipped; a body KV has not propagated yet is missed.
   */
  async ownersPage(cursor: string | null): Promise<OwnersPage> {
    const prefix = `t/${this.tenant}/mem/`;
    const page = await this.kv.list({ prefix, limit: OWNERS_PAGE, cursor });
    const current = page.keys
      .map((key) => key.name)
      .filter((name) => !name.slice(prefix.length).includes("/"));
    const owners = new Map<string, string>();
    if (current.length > 0) {
      for (const body of (await this.kv.get<Memory>(current, "json")).values()) {
        if (!body?.userId) continue;
        const seen = owners.get(body.userId);
        if (!seen || body.updatedAt > seen) owners.set(body.userId, body.updatedAt);
      }
    }
    return { owners, cursor: page.list_complete ? null : page.cursor };
  }

  /** Writes the current version; KV drops it by itself once it expires. */
  async putCurrent(memory: Memory, now: number): Promise<void> {
    const at = expiryMs(memory);
    if (at !== null && at <= now) return;
    const options =
      at === null ? {} : { expirationTtl: Math.max(MIN_TTL_SECONDS, Math.ceil((at - now) / 1000)) };
    await this.kv.put(memoryKey(this.tenant, memory.id), JSON.stringify(memory), options);
  }

  async putVersion(memory: Memory): Promise<void> {
    await this.kv.put(versionKey(this.tenant, memory.id, memory.version), JSON.stringify(memory));
  }

  async deleteCurrent(id: string): Promise<void> {
    await this.kv.delete(memoryKey(this.tenant, id));
  }

  /** Deletes versions from..to (an empty range when to < from); deleting an absent key is fine. */
  async deleteVersions(id: string, from: number, to: number): Promise<void> {
    const keys: string[] = [];
    for (let v = from; v <= to; v++) keys.push(versionKey(this.tenant, id, v));
    for (let i = 0; i < keys.length; i += 50) {
      await Promise.all(keys.slice(i, i + 50).map((key) => this.kv.delete(key)));
    }
  }
}
