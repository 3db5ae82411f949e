import { DurableObject } from "cloudflare:workers";
import type { Env } from "../../env";
import type { SearchMode } from "../../memory/match";
import { expiryMs, type Memory, type ScopeFields } from "../../memory/memories";
import { indexTerms } from "../../memory/search-query";
import {
  afterPosition,
  keysetPage,
  type PagePosition,
  positionParams,
} from "../sqlite/keyset-page";
import { migratedOnStart } from "../sqlite/migrations";
import { DocumentCounts } from "../sqlite/term-counts";
import { embedderFor, type QueryVector } from "../vectors/embedder";
import { deleteVectors } from "../vectors/store";
import type { MemoryHit, MemoryIndexApi, MemoryPage, MemoryRecall } from "./api";
import { IndexEmbedding } from "./index-embedding";
import { MEMORY_INDEX_MIGRATIONS } from "./index-schema";
import {
  lexicalRows,
  type MemoryQuery,
  scopeClause,
  scopeParams,
  searchMemoryIndex,
  semanticRows,
} from "./index-search";

const EXPIRED_BATCH = 500;

/**
 * One per scope (`t/{tenant}/memidx/{user|agent|conversation}/{id}`): the memories
 * of that scope, for listing (most recent first), full-text search (BM25) and
 * metadata filters. Written only by each memory's MemoryRecord object, which pushes
 * every version here; a memory with several scopes is in several indexes.
 */
export class MemoryIndex extends DurableObject<Env> implements MemoryIndexApi {
  private readonly sql: SqlStorage;
  /** Document counts of query words, so words in most memories are left out of BM25. */
  private readonly counts: DocumentCounts;
  /** Embeds memories off the request path (the alarm), with backoff when the embedder fails. */
  private readonly embedding: IndexEmbedding;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = migratedOnStart(ctx, MEMORY_INDEX_MIGRATIONS);
    this.counts = new DocumentCounts(this.sql, "memory_vocab", "memory_terms");
    this.embedding = new IndexEmbedding(env, ctx.storage);
  }

  /** Stores a version of a memory (see `upsertMany`). */
  async upsert(memory: Memory): Promise<number> {
    return this.upsertMany([memory]);
  }

  /**
   * Stores versions of memories in one transaction (a batch import writes up to 100
   * at once). Retries and late arrivals are ignored: a version older than the one
   * held, or any version of an earlier memory of the same id (older `createdAt`).
   */
  async upsertMany(memories: Memory[]): Promise<number> {
    this.ctx.storage.transactionSync(() => {
      for (const memory of memories) this.store(memory);
    });
    this.embedding.schedule();
    await this.armAlarm();
    return this.held();
  }

  /**
   * Removes exactly these memories (id and `createdAt`), leaving alone a memory
   * created since under the same id: a batch import takes back what it indexed for a
   * memory erased while it ran.
   */
  async removeCreated(memories: { id: string; createdAt: string }[]): Promise<number> {
    this.ctx.storage.transactionSync(() => {
      for (const { id, createdAt } of memories) {
        const row = this.sql
          .exec<{ seq: number }>(
            "SELECT seq FROM memories WHERE id = ? AND created_at = ?",
            id,
            createdAt,
          )
          .toArray()[0];
        if (row) this.removeRow(row.seq);
      }
    });
    return this.held();
  }

  async remove(ids: string[]): Promise<number> {
    this.ctx.storage.transactionSync(() => {
      for (const id of ids) {
        const row = this.sql
          .exec<{ seq: number }>("SELECT seq FROM memories WHERE id = ?", id)
          .toArray()[0];
        if (row) this.removeRow(row.seq);
      }
    });
    return this.held();
  }

  /** How many memories the index holds (what the tenant's user listing shows). */
  async count(): Promise<number> {
    return this.held();
  }
  private held(): number {
    return this.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM memories").one().n;
  }

  /** Ids of every memory held, expired or not, oldest first (for erasing the scope). */
  async ids(limit: number): Promise<string[]> {
    return this.sql
      .exec<{ id: string }>("SELECT id FROM memories ORDER BY seq LIMIT ?", limit)
      .toArray()
      .map((r) => r.id);
  }

  /** Live memories, most recently created first; `scope` narrows to memories of every scope named. */
  async list(query: {
    scope: ScopeFields;
    limit: number;
    after?: PagePosition;
  }): Promise<MemoryPage> {
    const rows = this.sql
      .exec<{ body: string }>(
        `SELECT body FROM memories
         WHERE (expires_at IS NULL OR expires_at > ?1) AND ${scopeClause(2)}
           AND ${afterPosition(5)}
         ORDER BY created_at DESC, id DESC LIMIT ?7`,
        Date.now(),
        ...scopeParams(query.scope),
        ...positionParams(query.after),
        query.limit + 1,
      )
      .toArray();
    const memories = rows.map((r) => JSON.parse(r.body) as Memory);
    const { page, next } = keysetPage(memories, query.limit, (m) => ({
      createdAt: m.createdAt,
      id: m.id,
    }));
    return { memories: page, next };
  }

  /** Memory search by words, meaning or both (`searchMemoryIndex`), best first. */
  async find(query: MemoryQuery & { mode?: SearchMode }): Promise<MemoryHit[]> {
    if (this.embedding.backfill()) await this.armAlarm();
    return searchMemoryIndex(this.sql, this.counts, embedderFor(this.env), query);
  }

  /**
   * Context recall, for the conversation object: the `limit` (1–100) memories of this
   * scope that best match `query` by words (BM25) and, given the query's vector, by
   * meaning (cosine similarity as `score`), as two rankings the caller fuses.
   */
  async search(request: {
    query: string;
    limit: number;
    vector?: QueryVector | null;
    lexical?: boolean;
  }): Promise<MemoryRecall> {
    if (this.embedding.backfill()) await this.armAlarm();
    const query = {
      query: request.query,
      scope: {},
      limit: Math.min(100, Math.max(1, request.limit)),
    };
    const recalled = (rows: { memory: Memory; score: number }[]) =>
      rows.map(({ score, memory }) => ({
        id: memory.id,
        text: memory.text,
        score,
        createdAt: memory.createdAt,
      }));
    return {
      lexical:
        request.lexical === false
          ? []
          : recalled(lexicalRows(this.sql, this.counts, query, query.limit)),
      semantic: request.vector
        ? recalled(semanticRows(this.sql, request.vector, query, query.limit))
        : [],
    };
  }

  /**
   * Removes expired rows and embeds a batch of memories not embedded yet (idempotent:
   * alarms are retried), then waits for the next expiry or embedding work.
   */
  override async alarm(): Promise<void> {
    const now = Date.now();
    for (;;) {
      const due = this.sql
        .exec<{ seq: number }>(
          "SELECT seq FROM memories WHERE expires_at <= ? LIMIT ?",
          now,
          EXPIRED_BATCH,
        )
        .toArray();
      this.ctx.storage.transactionSync(() => {
        for (const row of due) this.removeRow(row.seq);
      });
      if (due.length < EXPIRED_BATCH) break;
    }
    await this.embedding.runDue(now);
    await this.armAlarm();
  }

  private store(memory: Memory): void {
    const held = this.sql
      .exec<{ seq: number; version: number; created_at: string }>(
        "SELECT seq, version, created_at FROM memories WHERE id = ?",
        memory.id,
      )
      .toArray()[0];
    if (held) {
      const newer =
        held.created_at > memory.createdAt ||
        (held.created_at === memory.createdAt && held.version > memory.version);
      if (newer) return;
      this.removeRow(held.seq);
    }
    this.sql.exec(
      `INSERT INTO memories (id, user_id, agent_id, conversation_id, metadata, created_at,
         updated_at, expires_at, version, body)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      memory.id,
      memory.userId,
      memory.agentId,
      memory.conversationId,
      JSON.stringify(memory.metadata),
      memory.createdAt,
      memory.updatedAt,
      expiryMs(memory),
      memory.version,
      JSON.stringify(memory),
    );
    const seq = this.sql.exec<{ seq: number }>("SELECT last_insert_rowid() AS seq").one().seq;
    this.sql.exec(
      "INSERT INTO memory_terms (rowid, terms) VALUES (?, ?)",
      seq,
      indexTerms(memory.text),
    );
    this.counts.added++;
  }

  private removeRow(seq: number): void {
    deleteVectors(this.sql, [seq]);
    this.sql.exec("DELETE FROM memory_terms WHERE rowid = ?", seq);
    this.sql.exec("DELETE FROM memories WHERE seq = ?", seq);
    this.counts.removed++;
  }

  /** Sets the alarm to the earliest expiry or due work, or clears it when there is none. */
  private async armAlarm(): Promise<void> {
    const expiry = this.sql
      .exec<{ at: number | null }>(
        "SELECT MIN(expires_at) AS at FROM memories WHERE expires_at IS NOT NULL",
      )
      .one().at;
    const work = this.embedding.next();
    const next = expiry === null ? work : work === null ? expiry : Math.min(expiry, work);
    if (next === null) {
      await this.ctx.storage.deleteAlarm();
      return;
    }
    const set = await this.ctx.storage.getAlarm();
    if (set === null || set > next || set < Date.now()) {
      await this.ctx.storage.setAlarm(Math.max(next, Date.now()));
    }
  }
}
