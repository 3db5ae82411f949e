import { DurableObject } from "cloudflare:workers";
import type { Env } from "../../env";
import {
  expiryMs,
  isExpired,
  type Memory,
  type MemoryInput,
  type MemoryPatch,
  newMemory,
  patchMemory,
  sameCreation,
  scopesOf,
} from "../../memory/memories";
import { fail, ok, type Result } from "../../memory/result";
import { MemoryBodies } from "../../storage/memory-bodies";
import { DueWork } from "../sqlite/due-work";
import { applyMigrations, hasTable } from "../sqlite/migrations";
import type { ImportedMemory, MemoryRecordApi, MemoryRef } from "./api";
import { removeCopiesStep, writeCopies } from "./copies";
import {
  FIRST_RETRY_MS,
  RECORD_MIGRATIONS,
  type RecordRow,
  type RecordWork,
  SYNC_DELAY_MS,
  stillErasing,
  versionBody,
  versionsFrom,
} from "./record-schema";

/** How long a batch import has to index a memory itself before the record's alarm does. */
const HANDOFF_MS = 30_000;

/**
 * One per memory (`t/{tenant}/mem/{id}`): the authority on whether the memory
 * exists and which version is current. Duplicate ids (409), If-Match (412) and
 * versions are decided here, strongly consistent, never from a KV read. After each
 * change it pushes the new version to KV (bodies read at the edge) and to the
 * MemoryIndex of every scope; a failed push stays in `due_work` and the alarm retries
 * it. Changes run one at a time (`serially`), so pushes never overtake each other.
 * A batch import (`importMemory`) hands the index part of a new memory's push to its
 * caller, which writes many memories to an index at once; the push stays due until
 * the caller confirms it, so the alarm still does it if the caller never does.
 */
export class MemoryRecord extends DurableObject<Env> implements MemoryRecordApi {
  private readonly sql: SqlStorage;
  private readonly due: DueWork<RecordWork>;
  private schemaReady = false;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    this.due = new DueWork(this.sql, FIRST_RETRY_MS);
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
      if (held && !(await this.finishErase(held))) return stillErasing();
      const memory = await this.insertFirst(ref, input);
      // The alarm is set before the push: if the object dies during it, the alarm pushes.
      await this.reschedule();
      await this.push();
      return ok(memory);
    });
  }

  /**
   * Creation for a batch import. An id held by a live memory created from the same
   * input is a replay (a retried batch): that memory comes back as a `duplicate`, its
   * push finished if it was still due; other content is a conflict. A new memory is
   * stored and its KV body written, and with `indexPending` its index push is left to
   * the caller, which writes a whole batch to each scope's index in one call and then
   * reports it (`confirmIndexed`). Until then the push stays due: if no report comes
   * by `HANDOFF_MS`, the alarm pushes it as after any change.
   */
  async importMemory(ref: MemoryRef, input: MemoryInput): Promise<Result<ImportedMemory>> {
    return this.serially(async () => {
      const held = this.row();
      const live = held?.state === "live" ? this.current(held, Date.now()) : null;
      if (held && live) {
        if (!sameCreation(versionBody(this.sql, 1), input)) {
          return fail("conflict", "A memory with this id exists, with other content", "id");
        }
        // A replay of a batch that died before its push was done: finish it now.
        if (held.synced_version < held.version) await this.push();
        return ok({ memory: live, duplicate: true, indexPending: false });
      }
      if (held && !(await this.finishErase(held))) return stillErasing();
      const memory = await this.insertFirst(ref, input, HANDOFF_MS);
      try {
        await new MemoryBodies(this.env.ARCHIVE, ref.tenant).putCurrent(memory, Date.now());
      } catch (error) {
        // Stored here already: the alarm pushes body and index entries as after any change.
        console.error(JSON.stringify({ event: "memory_push_failed", error: String(error) }));
        this.due.retry("sync", Date.now());
        await this.reschedule();
        return ok({ memory, duplicate: false, indexPending: false });
      }
      await this.reschedule();
      return ok({ memory, duplicate: false, indexPending: true });
    });
  }

  /**
   * The caller of `importMemory` wrote `version` to every index of the memory, so its
   * push is done. `current` is false when that memory (this `createdAt`) is gone
   * meanwhile: the caller then takes its entries out of the indexes again.
   */
  async confirmIndexed(version: number, createdAt: string): Promise<{ current: boolean }> {
    return this.serially(async () => {
      const row = this.row();
      if (row?.state !== "live" || versionBody(this.sql, 1).createdAt !== createdAt) {
        return { current: false };
      }
      if (row.version === version && row.synced_version < version) {
        this.sql.exec("UPDATE record SET synced_version = ?", version);
        this.due.complete("sync");
        await this.reschedule();
      }
      return { current: true };
    });
  }

  async read(): Promise<Result<Memory>> {
    const row = this.row();
    const memory = row?.state === "live" ? this.current(row, Date.now()) : null;
    return memory ? ok(memory) : fail("not_found", "Memory not found");
  }

  /** Up to `limit` versions from `from` on, the current one included, oldest first. */
  async history(from: number, limit: number): Promise<Result<Memory[]>> {
    const current = await this.read();
    if (!current.ok) return current;
    return ok(versionsFrom(this.sql, from, limit));
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
      await this.reschedule(); // as in `create`: a push cut short is retried by the alarm
      await this.push();
      return ok(next);
    });
  }

  /**
   * One bounded step of removing the memory from KV, every index and this object (see
   * `finishErase`); `eraseMemory` repeats it until `done`. Idempotent: erasing twice, or
   * an absent memory, is fine. `erased` is true when this call took a live memory away.
   */
  async erase(): Promise<{ erased: boolean; done: boolean }> {
    return this.serially(async () => {
      const row = this.row();
      if (!row) return { erased: false, done: true };
      const erased = row.state === "live" && this.current(row, Date.now()) !== null;
      return { erased, done: await this.finishErase(row) };
    });
  }

  override async alarm(): Promise<void> {
    await this.serially(async () => {
      const row = this.row();
      if (!row) return;
      const now = Date.now();
      const due = this.due.dueKinds(now);
      if (due.includes("erase") || (due.includes("expire") && !this.current(row, now))) {
        if (!(await this.finishErase(row))) await this.reschedule();
      } else if (due.includes("sync")) {
        await this.push();
      } else {
        await this.reschedule();
      }
    });
  }

  /** Version 1 of a new memory (an erased or expired predecessor of the id is gone). */
  private async insertFirst(
    ref: MemoryRef,
    input: MemoryInput,
    syncDelayMs = SYNC_DELAY_MS,
  ): Promise<Memory> {
    this.ensureSchema();
    const memory = newMemory({ ...input, id: ref.id }, Date.now());
    this.ctx.storage.transactionSync(() => {
      this.sql.exec(
        "INSERT INTO record (singleton, tenant, id, state, version, scopes) VALUES (1, ?, ?, 'live', 1, ?)",
        ref.tenant,
        ref.id,
        JSON.stringify(scopesOf(memory)),
      );
      this.saveVersion(memory, syncDelayMs);
    });
    return memory;
  }

  private serially<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work);
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** The current version, or null once it has expired. */
  private current(row: RecordRow, now: number): Memory | null {
    const memory = versionBody(this.sql, row.version);
    return isExpired(memory, now) ? null : memory;
  }

  private saveVersion(memory: Memory, syncDelayMs = SYNC_DELAY_MS): void {
    this.sql.exec(
      "INSERT INTO versions (version, body) VALUES (?, ?)",
      memory.version,
      JSON.stringify(memory),
    );
    this.due.scheduleAt("sync", Date.now() + syncDelayMs);
    const expiry = expiryMs(memory);
    if (expiry === null) this.due.complete("expire");
    else this.due.scheduleAt("expire", expiry);
  }

  /** Writes every version not yet pushed to KV, then the current one to each index. */
  private async push(): Promise<void> {
    const row = this.row();
    if (row?.state !== "live") return;
    const versions = versionsFrom(this.sql, Math.max(1, row.synced_version));
    const latest = versions.at(-1) as Memory;
    try {
      await writeCopies(this.env, row, versions);
      this.sql.exec("UPDATE record SET synced_version = ?", latest.version);
      this.due.complete("sync");
    } catch (error) {
      // The change is stored here already; the alarm pushes it again.
      console.error(JSON.stringify({ event: "memory_push_failed", error: String(error) }));
      this.due.retry("sync", Date.now());
    }
    await this.reschedule();
  }

  /** Marks the memory erasing (a crash resumes from the alarm), then one bounded step. */
  private async finishErase(row: RecordRow): Promise<boolean> {
    if (row.state !== "erasing") {
      this.sql.exec("UPDATE record SET state = 'erasing'");
      this.due.scheduleAt("erase", Date.now() + SYNC_DELAY_MS);
      await this.reschedule();
    }
    try {
      if (!(await removeCopiesStep(this.env, this.sql, row))) return false;
    } catch (error) {
      this.due.retry("erase", Date.now());
      await this.reschedule();
      throw error;
    }
    await this.ctx.storage.deleteAlarm();
    await this.ctx.storage.deleteAll();
    this.schemaReady = false;
    return true;
  }

  private async reschedule(): Promise<void> {
    const next = this.due.next();
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
