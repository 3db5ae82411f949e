/** How a search ranks: by words, by meaning, or both fused (API.md, Semantic search). */
export type SearchMode = "lexical" | "semantic" | "hybrid";
export const SEARCH_MODES = ["hybrid", "lexical", "semantic"] as const;

/** 1-based ranks of a hit in each ranking before fusion; null where that ranking missed it. */
export interface Match {
  lexical: number | null;
  semantic: number | null;
}

/**
 * Counts the places of a ranking, best first. Each call is the next hit: `place` is its
 * 1-based place in the list (its `match`), `scored` the rank it scores with, counting only
 * the hits before it that are not `apart` (working turns, mostly sent as recent turns, push
 * no older match down).
 */
export function placesApart(): (apart: boolean) => { place: number; scored: number } {
  let place = 0;
  let counted = 0;
  return (apart) => {
    place++;
    const scored = counted + 1;
    if (!apart) counted++;
    return { place, scored };
  };
}
