import type { CodeIndex } from "./code-index";
import { binaryCode, dot, normalize, type QuantizedVector } from "./quantize";

export interface VectorHit {
  id: number;
  /** Cosine similarity with the query (from the int8 vector), higher is better. */
  similarity: number;
}

/** Candidates the prefilter passes on for every result asked for, and at least this many. */
export const CANDIDATES_PER_RESULT = 20;
export const MIN_CANDIDATES = 400;

/**
 * The `k` stored vectors most similar to `query`: the Hamming prefilter picks the
 * candidates, `load` reads their int8 vectors (from storage), and exact dot products
 * rescore them. A candidate `load` no longer has (deleted meanwhile) is skipped.
 */
export function searchVectors(
  index: CodeIndex,
  query: ArrayLike<number>,
  k: number,
  load: (ids: number[]) => Map<number, QuantizedVector>,
  candidates = Math.max(MIN_CANDIDATES, k * CANDIDATES_PER_RESULT),
  /** Ids to leave out (the prefilter never passes them on). */
  skip?: (id: number) => boolean,
): VectorHit[] {
  if (k <= 0 || index.size === 0 || query.length !== index.dims) return [];
  const unit = normalize(query);
  const ids = index.nearest(binaryCode(unit), candidates, skip);
  return rescore(unit, load(ids), k);
}

/** Exact top-k of `vectors` by dot product with a unit query; ties by smaller id. */
export function rescore(
  unit: Float32Array,
  vectors: Map<number, QuantizedVector>,
  k: number,
): VectorHit[] {
  const hits: VectorHit[] = [];
  for (const [id, vector] of vectors) hits.push({ id, similarity: dot(vector, unit) });
  hits.sort((a, b) => b.similarity - a.similarity || a.id - b.id);
  return hits.slice(0, k);
}
