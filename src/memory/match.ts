/** How a search ranks: by words, by meaning, or both fused (API.md, Semantic search). */
export type SearchMode = "lexical" | "semantic" | "hybrid";
export const SEARCH_MODES = ["hybrid", "lexical", "semantic"] as const;

/** 1-based ranks of a hit in each ranking before fusion; null where that ranking missed it. */
export interface Match {
  lexical: number | null;
  semantic: number | null;
}
