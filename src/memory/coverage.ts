import { contentTerms } from "./text";

/** How much a query word says: its weight in `wordCoverage` (e.g. its idf in the index). */
export type TermWeight = (term: string) => number;

export const EVERY_WORD_ALIKE: TermWeight = () => 1;

/**
 * The share of the query's content words a text holds, each word counted by its weight
 * (1 when the query has no content word, 0 when none of its words has any weight): how
 * strong a word match is. BM25 ranks say which hit is better, not whether it is good.
 * Weighted by idf, "Budapest" is most of "When did Mateo return from the Budapest trip?"
 * in a chat where Mateo speaks every day. Given the query once, for many texts: its words
 * and weights are found once (a long query, such as a pasted message recall defaults to,
 * is most of the work).
 */
export function wordCoverage(
  /** The query, or its `contentTerms` when the caller has them already. */
  query: string | readonly string[],
  weight: TermWeight = EVERY_WORD_ALIKE,
): (text: string) => number {
  const terms = typeof query === "string" ? contentTerms(query) : query;
  const wanted = [...new Set(terms)].map((term) => [term, weight(term)] as const);
  const total = wanted.reduce((sum, [, w]) => sum + w, 0);
  return (text) => {
    if (wanted.length === 0) return 1;
    if (total <= 0) return 0;
    const held = new Set(contentTerms(text));
    let shared = 0;
    for (const [term, w] of wanted) if (held.has(term)) shared += w;
    return shared / total;
  };
}
