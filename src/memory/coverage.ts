import { contentTerms } from "./text";

/** How much a query word says: its weight in `wordCoverage` (e.g. its idf in the index). */
export type TermWeight = (term: string) => number;

export const EVERY_WORD_ALIKE: TermWeight = () => 1;

/**
 * The share of the query's content words a text holds, each word counted by its weight
 * (1 when the query has no content word, 0 when none of its words has any weight): how strong a word match is. BM25 ranks say
 * which hit is better, not whether it is good. Weighted by idf, "Budapest" is most of
 * "When did Mateo return from the Budapest trip?" in a chat where Mateo speaks every day.
 */
export function wordCoverage(
  query: string,
  text: string,
  weight: TermWeight = EVERY_WORD_ALIKE,
): number {
  const wanted = new Set(contentTerms(query));
  const held = new Set(contentTerms(text));
  let total = 0;
  let shared = 0;
  for (const term of wanted) {
    const w = weight(term);
    total += w;
    if (held.has(term)) shared += w;
  }
  if (wanted.size === 0) return 1;
  return total > 0 ? shared / total : 0;
}
