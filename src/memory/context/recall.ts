import type { Role } from "../conversation";
import { EVERY_WORD_ALIKE, type TermWeight, wordCoverage } from "../coverage";
import { placesApart } from "../match";
import { contentTerms, oneLine } from "../text";

/** A long-term item a search found: an archived message of the conversation or a memory. */
export interface RecallCandidate {
  kind: "message" | "memory";
  id: string;
  /** The message's seq (messages only): how recall avoids repeating a recent turn. */
  seq?: number;
  text: string;
  /** Higher is better. After fusion: the fused score. */
  score: number;
  /** 1-based ranks in each ranking before fusion (set by `fuseRankings`). */
  match?: { lexical: number | null; semantic: number | null };
  /** Who said it (messages), for the context line. */
  role?: Role;
  name?: string | null;
  createdAt?: string;
}

/**
 * The usual constant of reciprocal-rank fusion (Cormack et al., 2009): large enough that
 * rank 1 does not drown everything else, so both lists contribute their best items.
 */
export const RRF_K = 60;

/**
 * Merges the archive's and the memory index's rankings by reciprocal-rank fusion:
 * score = Σ 1 / (k + rank) over the lists an item appears in. Ranks are used instead of
 * raw scores because BM25 scores of two different indexes are not on one scale.
 *
 * - Each list must be best first. Within a list an id seen twice keeps its better rank.
 * - Items are the same when kind and id match, or when their texts are equal after
 *   whitespace and case folding (a memory extracted verbatim from a message); the
 *   duplicates' contributions add up and the better-ranked copy is kept.
 * - Ties are stable: fused score, then better single-list rank, then archived messages
 *   before memories, then the order in which the item first appeared.
 * - `working`: hits among the working turns (mostly sent as recent turns, never recalled)
 *   keep their place in `match` but push nothing down: an item scores with its rank among
 *   the items outside working memory, so an older match counts as much whether or not the
 *   newest turns match better.
 */
export function fuseRankings(
  archived: readonly RecallCandidate[],
  memories: readonly RecallCandidate[],
  options: { k?: number; working?: (item: RecallCandidate) => boolean } = {},
): RecallCandidate[] {
  const k = options.k ?? RRF_K;
  const working = options.working ?? (() => false);
  type Entry = {
    item: RecallCandidate;
    fused: number;
    /** Best place in a list (`match`), and best rank scored with (ties). */
    bestRank: number;
    bestScored: number;
    listIndex: number;
  };
  const entries: Entry[] = [];
  const byKey = new Map<string, Entry>();

  [archived, memories].forEach((list, listIndex) => {
    const seenInList = new Set<Entry>();
    // The rank an item scores with counts only the items outside working memory before it.
    const placeOf = placesApart();
    for (const item of list) {
      const { place: rank, scored } = placeOf(working(item));
      const idKey = `${item.kind}:${item.id}`;
      const textKey = `text:${oneLine(item.text).toLowerCase()}`;
      const existing = byKey.get(idKey) ?? byKey.get(textKey);
      if (existing) {
        // One item gets one vote per list, at its best rank there.
        if (!seenInList.has(existing)) existing.fused += 1 / (k + scored);
        seenInList.add(existing);
        existing.bestRank = Math.min(existing.bestRank, rank);
        existing.bestScored = Math.min(existing.bestScored, scored);
        byKey.set(idKey, existing);
        byKey.set(textKey, existing);
        continue;
      }
      const entry: Entry = {
        item,
        fused: 1 / (k + scored),
        bestRank: rank,
        bestScored: scored,
        listIndex,
      };
      seenInList.add(entry);
      entries.push(entry);
      byKey.set(idKey, entry);
      byKey.set(textKey, entry);
    }
  });

  const order = new Map(entries.map((e, i) => [e, i]));
  const ranked = [...entries].sort(
    (a, b) =>
      b.fused - a.fused ||
      a.bestScored - b.bestScored ||
      a.listIndex - b.listIndex ||
      (order.get(a) ?? 0) - (order.get(b) ?? 0),
  );
  // Both lists rank by words (the archive's BM25, the memory index's BM25).
  return ranked.map((e) => ({
    ...e.item,
    score: e.fused,
    match: { lexical: e.bestRank, semantic: null },
  }));
}

/**
 * A recall ranking cut after its `count`-th hit outside working memory, with at most
 * `count` hits among the working turns ranked before it. Those are mostly sent as recent
 * turns, never recalled: they take none of the older matches' places, so however many of
 * them match best, older matches still get `count`. Without a hit outside working memory
 * this is the ranking's first `count`, as without the split.
 */
export function beyondWorking<T>(
  ranking: readonly T[],
  count: number,
  isWorking: (hit: T) => boolean,
): T[] {
  const out: T[] = [];
  let older = 0;
  let working = 0;
  for (const hit of ranking) {
    if (older >= count) break;
    if (isWorking(hit)) {
      if (working >= count) continue;
      working++;
    } else older++;
    out.push(hit);
  }
  return out;
}

/** The query recall uses when the caller gives none: the latest user message. */
export function defaultRecallQuery(
  turnsNewestFirst: Iterable<{ role: Role; content: string }>,
): string | null {
  for (const turn of turnsNewestFirst) {
    if (turn.role === "user" && turn.content.trim() !== "") return turn.content;
  }
  return null;
}

/** Coverage at or below this is a weak match (a stray shared word). */
export const WEAK_COVERAGE = 0.3;
/** Coverage at or above this is a strong match (the item answers the query's words). */
export const STRONG_COVERAGE = 0.8;

/**
 * How strongly the query matches long-term material, from 0 (weakly) to 1 (strongly):
 * the best share of the query's content words that one of the top `top` candidates
 * contains, mapped linearly from WEAK_COVERAGE → 0 to STRONG_COVERAGE → 1.
 *
 * Word coverage, not the fused score, because fused scores only say how items rank
 * against each other, never whether the best of them is any good. `packContext` uses
 * this to give recall a larger share of the budget for questions about the past.
 */
export function recallStrength(
  query: string | null,
  candidates: readonly RecallCandidate[],
  weight: TermWeight = EVERY_WORD_ALIKE,
  top = 3,
): number {
  const terms = contentTerms(query ?? "");
  if (terms.length === 0) return 0;
  const coverage = wordCoverage(terms, weight);
  let best = 0;
  for (const candidate of candidates.slice(0, top)) best = Math.max(best, coverage(candidate.text));
  const strength = (best - WEAK_COVERAGE) / (STRONG_COVERAGE - WEAK_COVERAGE);
  return Math.min(1, Math.max(0, strength));
}
