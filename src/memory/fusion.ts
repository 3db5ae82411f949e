import type { RecallCandidate } from "./context/recall";
import { EVERY_WORD_ALIKE, type TermWeight, wordCoverage } from "./coverage";
import { type Match, placesApart } from "./match";

export type { Match, SearchMode } from "./match";

/** The constant of reciprocal-rank fusion (Cormack et al., 2009). */
export const HYBRID_K = 60;
/** A word hit counts at least this much, however few of the query's words it holds. */
export const MIN_LEXICAL_STRENGTH = 0.25;
/**
 * How much the vector ranking counts against the word ranking: half, measured on the
 * dialogue benchmark with the small local model (bench:quality), where vectors help most
 * as a second opinion and where words have nothing to offer.
 */
export const SEMANTIC_WEIGHT = 0.5;

/**
 * Vector hits whose strength (see `similarityScale`) is under this are left out: they do
 * not stand out from the crowd of nearest neighbours that every query has.
 */
export const SEMANTIC_CUTOFF = 0.5;

/**
 * The scale of a vector ranking's similarities: from the median of the list (what any
 * text scores against this query: nearest neighbours always exist) to the best one. Cosine
 * levels differ from model to model; a hit's place between the two does not. Lists of
 * fewer than 4 hits measure from 0.
 */
export function similarityScale(similarities: readonly number[]): { top: number; floor: number } {
  const top = Math.max(0, similarities[0] ?? 0);
  if (similarities.length < 4) return { top, floor: 0 };
  const sorted = [...similarities].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)] ?? 0;
  return { top, floor: Math.max(0, Math.min(median, top)) };
}

/**
 * Reciprocal-rank fusion weighted by how strong each hit is in its ranking:
 * score = Σ strength / (k + rank). A word hit's strength is its word coverage (at least
 * MIN_LEXICAL_STRENGTH); a vector hit's is where its similarity lies between the list's
 * median and its best (`similarityScale`), and hits under SEMANTIC_CUTOFF are dropped. So
 * a dozen hits on one common word of the query do not outrank the one paraphrase the
 * vectors found — plain RRF would let them (DESIGN.md, Vectors). Hits marked `apart` keep
 * their place in `match`, but a hit scores with its rank among the hits not apart, and
 * apart hits do not measure the scale (above its top they count as 1). Lists are best
 * first; a key seen twice in one list keeps its first (best) rank. Ties: better best rank,
 * then the lexical list first.
 */
export function fuseHybrid<K>(
  /** `apart`: a working turn (see `fuseRecall`), which pushes no other hit down. */
  lexical: readonly { key: K; strength: number; apart?: boolean }[],
  /** `apart`: a working turn, which pushes no hit down and does not measure the scale. */
  semantic: readonly { key: K; similarity: number; apart?: boolean }[],
  limit: number,
): { key: K; score: number; match: Match }[] {
  type Entry = { key: K; score: number; match: Match; best: number; order: number };
  const entries = new Map<K, Entry>();
  const entry = (key: K) => {
    let found = entries.get(key);
    if (!found) {
      found = {
        key,
        score: 0,
        match: { lexical: null, semantic: null },
        best: 1e9,
        order: entries.size,
      };
      entries.set(key, found);
    }
    return found;
  };
  // A hit's place in its list is its `match`; it scores with `scored`, its rank among the
  // hits not `apart`.
  const lexicalPlace = placesApart();
  for (const hit of lexical) {
    const e = entry(hit.key);
    if (e.match.lexical !== null) continue;
    const { place, scored } = lexicalPlace(hit.apart === true);
    e.match.lexical = place;
    e.best = Math.min(e.best, place);
    e.score += Math.max(MIN_LEXICAL_STRENGTH, Math.min(1, hit.strength)) / (HYBRID_K + scored);
  }
  const measured = semantic.filter((h) => !h.apart);
  const { top, floor } = similarityScale(
    (measured.length > 0 ? measured : semantic).map((h) => h.similarity),
  );
  const semanticPlace = placesApart();
  for (const hit of semantic) {
    const strength = top > floor ? Math.min(1, (hit.similarity - floor) / (top - floor)) : 0;
    if (strength < SEMANTIC_CUTOFF) break;
    const e = entry(hit.key);
    if (e.match.semantic !== null) continue;
    const { place, scored } = semanticPlace(hit.apart === true);
    e.match.semantic = place;
    e.best = Math.min(e.best, place);
    e.score += (SEMANTIC_WEIGHT * strength) / (HYBRID_K + scored);
  }
  return [...entries.values()]
    .sort((a, b) => b.score - a.score || a.best - b.best || a.order - b.order)
    .slice(0, limit)
    .map(({ key, score, match }) => ({ key, score: Math.round(score * 1e6) / 1e6, match }));
}

/**
 * Context recall with vectors: the lexical recall ranking (`fuseRankings` of the archive
 * and the memory index) fused with the semantic one (both objects' vector hits, merged by
 * similarity: one model, one scale). Without semantic hits the lexical ranking is
 * returned as it is. `semantic` candidates carry their similarity as `score`.
 *
 * Hits among the working turns (`working`) are mostly sent as recent turns: they push no
 * older hit down either ranking and do not measure the vector scale, so a conversation
 * whose newest turns are all about the question still has its older matches stand out.
 */
export function fuseRecall(
  query: string,
  lexical: readonly RecallCandidate[],
  semantic: readonly RecallCandidate[],
  limit: number,
  weight: TermWeight = EVERY_WORD_ALIKE,
  working: (candidate: RecallCandidate) => boolean = () => false,
): RecallCandidate[] {
  if (semantic.length === 0) return [...lexical];
  const keyOf = (c: RecallCandidate) => `${c.kind}:${c.id}`;
  const byKey = new Map<string, RecallCandidate>();
  for (const c of [...semantic, ...lexical]) byKey.set(keyOf(c), c);
  const coverage = wordCoverage(query, weight);
  const fused = fuseHybrid(
    lexical.map((c) => ({
      key: keyOf(c),
      strength: coverage(c.text),
      apart: working(c),
    })),
    [...semantic]
      .sort((a, b) => b.score - a.score)
      .map((c) => ({ key: keyOf(c), similarity: c.score, apart: working(c) })),
    limit,
  );
  return fused.map(({ key, score, match }) => ({
    ...(byKey.get(key) as RecallCandidate),
    score,
    match,
  }));
}
