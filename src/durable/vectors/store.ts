import { CodeIndex } from "../../memory/vectors/code-index";
import {
  binaryCode,
  normalize,
  type QuantizedVector,
  quantize,
  vectorBytes,
  vectorFromBytes,
} from "../../memory/vectors/quantize";
import { rescore, searchVectors, type VectorHit } from "../../memory/vectors/search";

/**
 * An object's vectors in its own SQLite: `vectors (id, scale, q, code)` — int8 components
 * (`q`) with their scale, and the binary code the in-memory prefilter scans — and
 * `vector_state`, the one model they were made by. Vectors of another model are never
 * kept: a model change clears them and the backlog embeds everything again. Created by
 * each object's migrations (conversation: message seqs; memory index: memory seqs).
 */

/**
 * The tables of an object's vector index, the same in every object that keeps one (the
 * conversation's migration 9, the memory index's migration 3). Released migrations run
 * this text as it was: a change of these tables is a new migration, not an edit here.
 */
export const VECTOR_TABLES_SQL = `
  CREATE TABLE vectors (
    id INTEGER PRIMARY KEY,
    scale REAL NOT NULL,
    q BLOB NOT NULL,
    code BLOB NOT NULL
  );
  CREATE TABLE vector_state (
    singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
    model TEXT NOT NULL,
    dims INTEGER,
    through INTEGER NOT NULL DEFAULT 0
  );
`;

export interface VectorState {
  model: string;
  /** Set by the first vectors stored; every later one must match. */
  dims: number | null;
  /** Conversations: every message up to this seq is embedded (or has no text). */
  through: number;
}

/** The in-memory prefilter of each object, built on first search and kept in step with writes. */
const indexes = new WeakMap<SqlStorage, { model: string; index: CodeIndex }>();

export function vectorState(sql: SqlStorage): VectorState | null {
  return (
    sql
      .exec<{ model: string; dims: number | null; through: number }>(
        "SELECT model, dims, through FROM vector_state",
      )
      .toArray()[0] ?? null
  );
}

/**
 * The state for `model`: when the stored vectors are another model's (or there are none
 * yet), they are dropped and the state starts over, so everything is embedded again.
 */
export function stateFor(sql: SqlStorage, model: string): VectorState {
  const state = vectorState(sql);
  if (state?.model === model) return state;
  sql.exec("DELETE FROM vectors");
  sql.exec("DELETE FROM vector_state");
  sql.exec(
    "INSERT INTO vector_state (singleton, model, dims, through) VALUES (1, ?, NULL, 0)",
    model,
  );
  indexes.delete(sql);
  return { model, dims: null, through: 0 };
}

export function advanceThrough(sql: SqlStorage, through: number): void {
  sql.exec("UPDATE vector_state SET through = MAX(through, ?)", through);
}

/** Stores vectors of the state's model (replacing any of the same id); dims must agree. */
export function putVectors(
  sql: SqlStorage,
  state: VectorState,
  entries: { id: number; vector: number[] }[],
): void {
  if (entries.length === 0) return;
  const dims = state.dims ?? (entries[0] as { vector: number[] }).vector.length;
  if (state.dims === null) {
    sql.exec("UPDATE vector_state SET dims = ?", dims);
    state.dims = dims;
  }
  const cached = indexes.get(sql);
  for (const { id, vector } of entries) {
    if (vector.length !== dims)
      throw new Error(`vector of ${vector.length} dimensions, not ${dims}`);
    const stored = quantize(normalize(vector));
    const code = binaryCode(stored.q);
    sql.exec(
      "INSERT OR REPLACE INTO vectors (id, scale, q, code) VALUES (?, ?, ?, ?)",
      id,
      stored.scale,
      vectorBytes(stored),
      code.buffer.slice(0) as ArrayBuffer,
    );
    if (cached?.model === state.model) cached.index.add(id, code);
  }
}

export function deleteVectors(sql: SqlStorage, ids: number[]): void {
  const cached = indexes.get(sql);
  for (const id of ids) {
    sql.exec("DELETE FROM vectors WHERE id = ?", id);
    cached?.index.remove(id);
  }
}

/**
 * Removes the vectors of ids above `id` (a rewind) and moves the backlog back to it. A
 * message's second vector has the negated id (`messageDocuments`): those below −`id` go too.
 */
export function deleteVectorsAfter(sql: SqlStorage, id: number): void {
  const gone = sql
    .exec<{ id: number }>("DELETE FROM vectors WHERE id > ? OR id < -? RETURNING id", id, id)
    .toArray()
    .map((r) => r.id);
  const cached = indexes.get(sql);
  for (const removed of gone) cached?.index.remove(removed);
  sql.exec("UPDATE vector_state SET through = MIN(through, ?)", id);
}

/** After the object's storage was deleted: the next search builds its prefilter afresh. */
export function forgetVectorIndex(sql: SqlStorage): void {
  indexes.delete(sql);
}

/**
 * The `k` stored vectors most similar to `query`, when they are `model`'s and of the
 * query's dimension; otherwise none (words answer alone). `skip` leaves ids out.
 */
export function nearestVectors(
  sql: SqlStorage,
  model: string,
  query: number[],
  k: number,
  /** How many the prefilter passes on to be rescored (default: `searchVectors`'). */
  candidates?: number,
  skip?: (id: number) => boolean,
): VectorHit[] {
  const state = usableState(sql, model, query);
  if (!state) return [];
  let cached = indexes.get(sql);
  if (!cached || cached.model !== model) {
    cached = { model, index: buildIndex(sql, state.dims) };
    indexes.set(sql, cached);
  }
  const load = (ids: number[]) => loadVectors(sql, ids);
  return searchVectors(cached.index, query, k, load, candidates, skip);
}

/** The similarity to `query` of each of `ids` that has a vector (`model`'s), best first. */
export function vectorsOf(
  sql: SqlStorage,
  model: string,
  query: number[],
  ids: readonly number[],
): VectorHit[] {
  if (!usableState(sql, model, query) || ids.length === 0) return [];
  return rescore(normalize(query), loadVectors(sql, [...ids]), ids.length);
}

/** The index's state when its vectors are `model`'s and of the query's dimension. */
function usableState(
  sql: SqlStorage,
  model: string,
  query: readonly number[],
): (VectorState & { dims: number }) | null {
  const state = vectorState(sql);
  return state && state.model === model && state.dims === query.length
    ? { ...state, dims: state.dims }
    : null;
}

function buildIndex(sql: SqlStorage, dims: number): CodeIndex {
  const count = sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM vectors").one().n;
  const index = new CodeIndex(dims, count);
  for (const row of sql.exec<{ id: number; code: ArrayBuffer }>("SELECT id, code FROM vectors")) {
    index.add(row.id, new Uint32Array(row.code.slice(0)));
  }
  return index;
}

/** The int8 vectors of the candidates, in one statement (ids as one JSON parameter). */
function loadVectors(sql: SqlStorage, ids: number[]): Map<number, QuantizedVector> {
  const rows = sql.exec<{ id: number; scale: number; q: ArrayBuffer }>(
    "SELECT id, scale, q FROM vectors WHERE id IN (SELECT value FROM json_each(?))",
    JSON.stringify(ids),
  );
  const found = new Map<number, QuantizedVector>();
  for (const row of rows) found.set(row.id, vectorFromBytes(row.q, row.scale));
  return found;
}
