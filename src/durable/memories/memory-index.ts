import { DurableObject } from "cloudflare:workers";
import type { Env } from "../../env";
import {
  expiryMs,
  type Memory,
  type MetadataFilter,
  type ScopeFields,
} from "../../memory/memories";
import { indexTerms, queryTerms } from "../../memory/search-query";
import {
  afterPosition,
  keysetPage,
  type PagePosition,
  positionParams,
} from "../sqlite/keyset-page";
import { migratedOnStart } from "../sqlite/migrations";
import { DocumentCounts, rankedQuery } from "../sqlite/term-counts";
import type { MemoryHit, MemoryIndexApi, MemoryPage, RecalledMemory } from "./api";
import { MEMORY_INDEX_MIGRATIONS } from "./index-schema";

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

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = migratedOnStart(ctx, MEMORY_INDEX_MIGRATIONS);
    this.counts = new DocumentCounts(this.sql, "memory_vocab", "memory_terms");
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
    await this.scheduleExpiry();
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

  /**
   * BM25 over stemmed words, any word may match; best first, ties by most recently updated.
   * Words in more than COMMON_DOCS memories are left out while rarer ones remain; a query of
   * only such words ranks the latest COMMON_WINDOW memories holding the rarest (`rankedQuery`).
   */
  async find(query: {
    query: string;
    scope: ScopeFields;
    metadata?: MetadataFilter;
    limit: number;
  }): Promise<MemoryHit[]> {
    const ranked = rankedQuery(queryTerms(query.query), this.counts);
    if (!ranked) return [];
    const params: unknown[] = [ranked.match, Date.now(), ...scopeParams(query.scope)];
    params.push(ranked.latest);
    const candidates = `SELECT rowid AS seq, bm25(memory_terms) AS rank FROM memory_terms
      WHERE memory_terms MATCH ?1 ORDER BY rowid DESC LIMIT ?${params.length}`;
    const filters = Object.entries(query.metadata ?? {}).map(([key, value]) => {
      params.push(key);
      const keyParam = `?${params.length}`;
      if (value === null) return metadataClause(keyParam, "type = 'null'");
      if (typeof value === "boolean") return metadataClause(keyParam, `type = '${value}'`);
      params.push(value);
      const valueParam = `?${params.length}`;
      const types = typeof value === "number" ? "('integer', 'real')" : "('text')";
      return metadataClause(keyParam, `type IN ${types} AND value = ${valueParam}`);
    });
    params.push(query.limit);
    // Ranked by seq first; only the bodies of the best `limit` are read.
    const hits = this.sql
      .exec<{ seq: number; rank: number }>(
        `SELECT m.seq AS seq, c.rank AS rank
         FROM (${candidates}) c JOIN memories m ON m.seq = c.seq
         WHERE (m.expires_at IS NULL OR m.expires_at > ?2) AND ${scopeClause(3, "m.")}
           ${filters.map((f) => `AND ${f}`).join(" ")}
         ORDER BY c.rank, m.updated_at DESC, m.id DESC LIMIT ?${params.length}`,
        ...params,
      )
      .toArray();
    if (hits.length === 0) return [];
    const bodies = new Map(
      this.sql
        .exec<{ seq: number; body: string }>(
          `SELECT seq, body FROM memories WHERE seq IN (${hits.map(() => "?").join(",")})`,
          ...hits.map((h) => h.seq),
        )
        .toArray()
        .map((r) => [r.seq, r.body]),
    );
    // bm25() is lower-is-better; the API's scores are higher-is-better.
    return hits.map((h) => ({
      score: -h.rank,
      memory: JSON.parse(bodies.get(h.seq) as string) as Memory,
    }));
  }

  /**
   * Context recall, for the conversation object: the `limit` (1–100) memories of
   * this scope that best match `query` (any word; BM25, higher score is better).
   * An empty list when nothing matches or the query has no words.
   */
  async search(request: { query: string; limit: number }): Promise<RecalledMemory[]> {
    const hits = await this.find({
      query: request.query,
      scope: {},
      limit: Math.min(100, Math.max(1, request.limit)),
    });
    return hits.map(({ score, memory }) => ({
      id: memory.id,
      text: memory.text,
      score,
      createdAt: memory.createdAt,
    }));
  }

  /** Removes expired rows (idempotent: alarms are retried) and waits for the next expiry. */
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
    await this.scheduleExpiry();
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
    this.sql.exec("DELETE FROM memory_terms WHERE rowid = ?", seq);
    this.sql.exec("DELETE FROM memories WHERE seq = ?", seq);
    this.counts.removed++;
  }

  private async scheduleExpiry(): Promise<void> {
    const next = this.sql
      .exec<{ at: number | null }>(
        "SELECT MIN(expires_at) AS at FROM memories WHERE expires_at IS NOT NULL",
      )
      .one().at;
    if (next === null) {
      await this.ctx.storage.deleteAlarm();
      return;
    }
    const set = await this.ctx.storage.getAlarm();
    if (set === null || set > next) await this.ctx.storage.setAlarm(next);
  }
}

/** A memory must carry every scope named; the three parameters start at `?first`. */
const scopeClause = (first: number, table = "") =>
  [`${table}user_id`, `${table}agent_id`, `${table}conversation_id`]
    .map((column, i) => `(?${first + i} IS NULL OR ${column} = ?${first + i})`)
    .join(" AND ");

const scopeParams = (scope: ScopeFields) => [
  scope.userId ?? null,
  scope.agentId ?? null,
  scope.conversationId ?? null,
];

const metadataClause = (keyParam: string, condition: string) =>
  `EXISTS (SELECT 1 FROM json_each(m.metadata) WHERE key = ${keyParam} AND ${condition})`;
