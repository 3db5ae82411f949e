import { DurableObject } from "cloudflare:workers";
import type { Env } from "../env";
import {
  expiryMs,
  isExpired,
  type Memory,
  type MemoryInput,
  type MemoryPatch,
  newMemory,
  patchMemory,
  type Scope,
  scopesOf,
} from "../memory/memories";
import { fail, ok, type Result } from "../memory/result";
import { MemoryBodies } from "../storage/memory-bodies";
import { applyMigrations, hasTable, type Migration } from "./migrations";
import { memoryIndexStub } from "./stubs";

const RECORD_MIGRATIONS: readonly Migration[] = [
  {
    id: 1,
    description: "one memory: its versions and its due work",
    sql: `
      CREATE TABLE record (
        singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
        tenant TEXT NOT NULL,
        id TEXT NOT NULL,
        state TEXT NOT NULL,
        version INTEGER NOT NULL,
        synced_version INTEGER NOT NULL DEFAULT 0,
        scopes TEXT NOT NULL
      );
      CREATE TABLE versions (version INTEGER PRIMARY KEY, body TEXT NOT NULL);
      CREATE TABLE due (kind TEXT PRIMARY KEY, at INTEGER NOT NULL, attempts INTEGER NOT NULL DEFAULT 0);
    `,
  },
];

type RecordRow = {
  tenant: string;
  id: string;
  /** `live`, or `erasing` while its KV keys and index entries are being removed. */
  state: "live" | "erasing";
  version: number;
  /** The version last written to KV and every index (0: none yet). */
  synced_version: number;
  scopes: string;
};

/** Kinds of due work: push versions to KV and indexes, expire, finish an erase. */
type DueKind = "sync" | "expire" | "erase";

export interface MemoryRef {
  tenant: string;
  id: string;
}

/** Retry delays of failed pushes, capped. */
const RETRY_MS = (attempts: number) => Math.min(300_000, 5_000 * 2 ** attempts);

/**
 * One per memory (`t/{tenant}/mem/{id}`): the authority on whether the memory
 * exists and which version is current. Duplicate ids (409), If-Match (412) and
 * versions are decided here, strongly consistent, never from a KV read. After each
 * change it pushes the new version to KV (bodies read at the edge) and to the
 * MemoryIndex of every scope; a failed push stays in `due` and the alarm retries
 * it. Changes run one at a time (`serially`), so pushes never overtake each other.
 */
export class MemoryRecord extends DurableObject<Env> {
  private readonly sql: SqlStorage;
  private schemaReady = false;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    ctx.blockConcurrencyWhile(async () => {
      if (hasTable(this.sql, "_migrations")) this.ensureSchema();
    });
  }

  async create(ref: MemoryRef, input: MemoryInput): Promise<Result<Memory>> {
    return this.serially(async () => {
      const held = this.row();
      if (held && held.state === "live" && this.current(held, Date.now())) {
        return fail("conflict", "A memory with this id exists", "id");
      }
      // An erased or expired predecessor of the same id must be gone before we reuse it.
      if (held) await this.finishErase(held);
      this.ensureSchema();
      const memory = newMemory({ ...input, id: ref.id }, Date.now());
      this.ctx.storage.transactionSync(() => {
        this.sql.exec(
          "INSERT INTO record (singleton, tenant, id, state, version, scopes) VALUES (1, ?, ?, 'live', 1, ?)",
          ref.tenant,
          ref.id,
          JSON.stringify(scopesOf(memory)),
        );
        this.saveVersion(memory);
      });
      await this.push();
      return ok(memory);
    });
  }

  async read(): Promise<Result<Memory>> {
    const row = this.row();
    const memory = row?.state === "live" ? this.current(row, Date.now()) : null;
    return memory ? ok(memory) : fail("not_found", "Memory not found");
  }

  /** Every version, the current one included, oldest first. */
  async history(): Promise<Result<Memory[]>> {
    const current = await this.read();
    if (!current.ok) return current;
    const versions = this.sql
      .exec<{ body: string }>("SELECT body FROM versions ORDER BY version")
      .toArray()
      .map((r) => JSON.parse(r.body) as Memory);
    return ok(versions);
  }

  async update(patch: MemoryPatch, ifMatch?: number): Promise<Result<Memory>> {
    return this.serially(async () => {
      const row = this.row();
      const now = Date.now();
      const memory = row?.state === "live" ? this.current(row, now) : null;
      if (!memory) return fail("not_found", "Memory not found");
      if (ifMatch !== undefined && ifMatch !== memory.version) {
        return fail(
          "precondition_failed",
          `If-Match names version ${ifMatch}; the current version is ${memory.version}`,
          "If-Match",
        );
      }
      const next = patchMemory(memory, patch, now);
      this.ctx.storage.transactionSync(() => {
        this.sql.exec("UPDATE record SET version = ?", next.version);
        this.saveVersion(next);
      });
      await this.push();
      return ok(next);
    });
  }

  /**
   * Removes the memory from KV, every index and this object. Idempotent: erasing
   * twice, or an absent memory, is fine. `erased` is true when a live memory went.
   */
  async erase(): Promise<{ erased: boolean }> {
    return this.serially(async () => {
      const row = this.row();
      if (!row) return { erased: false };
      const erased = row.state === "live" && this.current(row, Date.now()) !== null;
      await this.finishErase(row);
      return { erased };
    });
  }

  override async alarm(): Promise<void> {
    await this.serially(async () => {
      const row = this.row();
      if (!row) return;
      const now = Date.now();
      const due = this.sql
        .exec<{ kind: DueKind }>("SELECT kind FROM due WHERE at <= ?", now)
        .toArray()
        .map((r) => r.kind);
      if (due.includes("erase") || (due.includes("expire") && !this.current(row, now))) {
        await this.finishErase(row);
      } else if (due.includes("sync")) {
        await this.push();
      } else {
        await this.reschedule();
      }
    });
  }

  private serially<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work);
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** The current version, or null once it has expired. */
  private current(row: RecordRow, now: number): Memory | null {
    const body = this.sql
      .exec<{ body: string }>("SELECT body FROM versions WHERE version = ?", row.version)
      .one().body;
    const memory = JSON.parse(body) as Memory;
    return isExpired(memory, now) ? null : memory;
  }

  private saveVersion(memory: Memory): void {
    this.sql.exec(
      "INSERT INTO versions (version, body) VALUES (?, ?)",
      memory.version,
      JSON.stringify(memory),
    );
    this.setDue("sync", Date.now() + RETRY_MS(0));
    const expiry = expiryMs(memory);
    if (expiry === null) this.sql.exec("DELETE FROM due WHERE kind = 'expire'");
    else this.setDue("expire", expiry);
  }

  /** Writes every version not yet pushed to KV, then the current one to each index. */
  private async push(): Promise<void> {
    const row = this.row();
    if (row?.state !== "live") return;
    const bodies = new MemoryBodies(this.env.ARCHIVE, row.tenant);
    const versions = this.sql
      .exec<{ body: string }>(
        "SELECT body FROM versions WHERE version >= ? ORDER BY version",
        Math.max(1, row.synced_version),
      )
      .toArray()
      .map((r) => JSON.parse(r.body) as Memory);
    const latest = versions.at(-1) as Memory;
    try {
      for (const superseded of versions.slice(0, -1)) await bodies.putVersion(superseded);
      await bodies.putCurrent(latest, Date.now());
      for (const scope of this.scopes(row)) {
        await memoryIndexStub(this.env, row.tenant, scope).upsert(latest);
      }
      this.sql.exec("UPDATE record SET synced_version = ?", latest.version);
      this.sql.exec("DELETE FROM due WHERE kind = 'sync'");
    } catch (error) {
      // The change is stored here already; the alarm pushes it again.
      console.error(JSON.stringify({ event: "memory_push_failed", error: String(error) }));
      this.retryLater("sync");
    }
    await this.reschedule();
  }

  /** Marks the memory erasing (so a crash resumes from the alarm), then removes every trace. */
  private async finishErase(row: RecordRow): Promise<void> {
    if (row.state !== "erasing") {
      this.sql.exec("UPDATE record SET state = 'erasing'");
      this.setDue("erase", Date.now() + RETRY_MS(0));
      await this.reschedule();
    }
    try {
      await new MemoryBodies(this.env.ARCHIVE, row.tenant).deleteAll(row.id, row.version);
      for (const scope of this.scopes(row)) {
        await memoryIndexStub(this.env, row.tenant, scope).remove([row.id]);
      }
    } catch (error) {
      this.retryLater("erase");
      await this.reschedule();
      throw error;
    }
    await this.ctx.storage.deleteAlarm();
    await this.ctx.storage.deleteAll();
    this.schemaReady = false;
  }

  private scopes(row: RecordRow): Scope[] {
    return JSON.parse(row.scopes) as Scope[];
  }

  private setDue(kind: DueKind, at: number): void {
    this.sql.exec(
      "INSERT INTO due (kind, at) VALUES (?, ?) ON CONFLICT (kind) DO UPDATE SET at = excluded.at, attempts = 0",
      kind,
      at,
    );
  }

  private retryLater(kind: DueKind): void {
    const attempts =
      this.sql
        .exec<{ attempts: number }>("SELECT attempts FROM due WHERE kind = ?", kind)
        .toArray()[0]?.attempts ?? 0;
    this.sql.exec(
      "UPDATE due SET attempts = ?, at = ? WHERE kind = ?",
      attempts + 1,
      Date.now() + RETRY_MS(attempts + 1),
      kind,
    );
  }

  private async reschedule(): Promise<void> {
    const next = this.sql.exec<{ at: number | null }>("SELECT MIN(at) AS at FROM due").one().at;
    if (next === null) await this.ctx.storage.deleteAlarm();
    else await this.ctx.storage.setAlarm(next);
  }

  private ensureSchema(): void {
    if (this.schemaReady) return;
    applyMigrations(this.sql, RECORD_MIGRATIONS);
    this.schemaReady = true;
  }

  private row(): RecordRow | undefined {
    if (!this.schemaReady) return undefined;
    return this.sql.exec<RecordRow>("SELECT * FROM record").toArray()[0];
  }
}
