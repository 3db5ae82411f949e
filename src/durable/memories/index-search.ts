import { wordCoverage } from "../../memory/coverage";
import type { Embedder } from "../../memory/embedders/embedder";
import { fuseHybrid, type SearchMode } from "../../memory/fusion";
import type { Memory, MetadataFilter, ScopeFields } from "../../memory/memories";
import { queryTerms } from "../../memory/search-query";
import { type DocumentCounts, idfWeight, rankedQuery } from "../sqlite/term-counts";
import { embedQuery, type QueryVector } from "../vectors/embedder";
import { nearestVectors } from "../vectors/store";
import type { MemoryHit } from "./api";

export interface MemoryQuery {
  query: string;
  scope: ScopeFields;
  metadata?: MetadataFilter;
  limit: number;
}

/** A memory row a ranking found: its seq, body and the ranking's own score. */
interface RankedRow {
  seq: number;
  memory: Memory;
  score: number;
}

/**
 * Memory search by words, meaning or both (`mode`; default hybrid with an embedder).
 * Without a query vector (no embedder, it failed, or no memory embedded yet by its model)
 * words rank alone, with BM25's order and scores.
 */
export async function searchMemoryIndex(
  sql: SqlStorage,
  counts: DocumentCounts,
  embedder: Embedder | null,
  query: MemoryQuery & { mode?: SearchMode },
): Promise<MemoryHit[]> {
  const mode = query.mode ?? (embedder ? "hybrid" : "lexical");
  const vector = mode === "lexical" ? null : await embedQuery(embedder, query.query);
  const semantic = vector ? semanticRows(sql, vector, query, query.limit * 2) : [];
  const byWords = mode !== "semantic" || semantic.length === 0;
  const lexical = byWords ? lexicalRows(sql, counts, query, query.limit * (vector ? 2 : 1)) : [];
  if (semantic.length === 0) {
    return lexical.slice(0, query.limit).map((row, i) => ({
      score: row.score,
      memory: row.memory,
      match: { lexical: i + 1, semantic: null },
    }));
  }
  const rows = new Map([...semantic, ...lexical].map((r) => [r.seq, r]));
  const memories = () => sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM memories").one().n;
  const coverage = wordCoverage(query.query, idfWeight(counts, counts.total(memories)));
  const fused = fuseHybrid(
    lexical.map((r) => ({
      key: r.seq,
      strength: coverage(r.memory.text),
    })),
    semantic.map((r) => ({ key: r.seq, similarity: r.score })),
    query.limit,
  );
  const similarity = new Map(semantic.map((r) => [r.seq, r.score]));
  return fused.map(({ key, score, match }) => ({
    score: mode === "semantic" ? (similarity.get(key) ?? 0) : score,
    memory: (rows.get(key) as RankedRow).memory,
    match,
  }));
}

/**
 * The memories nearest to `vector` that pass the query's scope, metadata and expiry:
 * the vector index is searched for more than `limit` (filters drop some), then filtered.
 */
export function semanticRows(
  sql: SqlStorage,
  vector: QueryVector,
  query: Omit<MemoryQuery, "query">,
  limit: number,
): RankedRow[] {
  const filtered = Object.keys(query.metadata ?? {}).length > 0;
  const hits = nearestVectors(sql, vector.model, vector.values, limit * (filtered ? 8 : 2));
  if (hits.length === 0) return [];
  const params: unknown[] = [
    JSON.stringify(hits.map((h) => h.id)),
    Date.now(),
    ...scopeParams(query.scope),
  ];
  const filters = metadataFilters(query.metadata, params);
  const passing = new Map(
    sql
      .exec<{ seq: number; body: string }>(
        `SELECT m.seq AS seq, m.body AS body FROM memories m
         WHERE m.seq IN (SELECT value FROM json_each(?1))
           AND (m.expires_at IS NULL OR m.expires_at > ?2) AND ${scopeClause(3, "m.")}
           ${filters.map((f) => `AND ${f}`).join(" ")}`,
        ...params,
      )
      .toArray()
      .map((r) => [r.seq, r.body]),
  );
  return hits
    .flatMap((h) => {
      const body = passing.get(h.id);
      return body ? [{ seq: h.id, memory: JSON.parse(body) as Memory, score: h.similarity }] : [];
    })
    .slice(0, limit);
}

/**
 * BM25 over stemmed words, any word may match; best first, ties by most recently updated.
 * Words in more than COMMON_DOCS memories are left out while rarer ones remain; a query of
 * only such words ranks the latest COMMON_WINDOW memories holding the rarest (`rankedQuery`).
 */
export function lexicalRows(
  sql: SqlStorage,
  counts: DocumentCounts,
  query: MemoryQuery,
  limit: number,
): RankedRow[] {
  const ranked = rankedQuery(queryTerms(query.query), counts);
  if (!ranked) return [];
  const params: unknown[] = [ranked.match, Date.now(), ...scopeParams(query.scope)];
  params.push(ranked.latest);
  const candidates = `SELECT rowid AS seq, bm25(memory_terms) AS rank FROM memory_terms
    WHERE memory_terms MATCH ?1 ORDER BY rowid DESC LIMIT ?${params.length}`;
  const filters = metadataFilters(query.metadata, params);
  params.push(limit);
  // Ranked by seq first; only the bodies of the best `limit` are read.
  const hits = sql
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
    sql
      .exec<{ seq: number; body: string }>(
        `SELECT seq, body FROM memories WHERE seq IN (${hits.map(() => "?").join(",")})`,
        ...hits.map((h) => h.seq),
      )
      .toArray()
      .map((r) => [r.seq, r.body]),
  );
  // bm25() is lower-is-better; the API's scores are higher-is-better.
  return hits.map((h) => ({
    seq: h.seq,
    score: -h.rank,
    memory: JSON.parse(bodies.get(h.seq) as string) as Memory,
  }));
}

/** Metadata equality clauses on `m`, their parameters appended to `params`. */
function metadataFilters(metadata: MetadataFilter | undefined, params: unknown[]): string[] {
  return Object.entries(metadata ?? {}).map(([key, value]) => {
    params.push(key);
    const keyParam = `?${params.length}`;
    if (value === null) return metadataClause(keyParam, "type = 'null'");
    if (typeof value === "boolean") return metadataClause(keyParam, `type = '${value}'`);
    params.push(value);
    const valueParam = `?${params.length}`;
    const types = typeof value === "number" ? "('integer', 'real')" : "('text')";
    return metadataClause(keyParam, `type IN ${types} AND value = ${valueParam}`);
  });
}

/** A memory must carry every scope named; the three parameters start at `?first`. */
export const scopeClause = (first: number, table = "") =>
  [`${table}user_id`, `${table}agent_id`, `${table}conversation_id`]
    .map((column, i) => `(?${first + i} IS NULL OR ${column} = ?${first + i})`)
    .join(" AND ");

export const scopeParams = (scope: ScopeFields) => [
  scope.userId ?? null,
  scope.agentId ?? null,
  scope.conversationId ?? null,
];

const metadataClause = (keyParam: string, condition: string) =>
  `EXISTS (SELECT 1 FROM json_each(m.metadata) WHERE key = ${keyParam} AND ${condition})`;
