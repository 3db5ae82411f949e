import { matchExpression } from "../memory/search-query";

export interface SeqHit {
  seq: number;
  /** BM25 relevance; higher is better. */
  score: number;
}

/**
 * The seqs of the messages that best match free text, by BM25 over the conversation's
 * contentless full-text index (FTS5's bm25() is lower-is-better; scores are negated).
 * The query is built like the memory index's: any word may match, stopwords only count
 * when nothing else is left, CJK matches by character pairs.
 */
export function matchingSeqs(sql: SqlStorage, text: string, limit: number): SeqHit[] {
  const match = matchExpression(text);
  if (!match) return [];
  return sql
    .exec<{ seq: number; rank: number }>(
      "SELECT rowid AS seq, bm25(message_fts) AS rank FROM message_fts WHERE message_fts MATCH ? ORDER BY rank LIMIT ?",
      match,
      limit,
    )
    .toArray()
    .map((hit) => ({ seq: hit.seq, score: Math.round(-hit.rank * 10_000) / 10_000 }));
}
