import { stemmer } from "stemmer";
import { queryTerms } from "../memory/search-query";

export interface SeqHit {
  seq: number;
  /** BM25 relevance; higher is better. */
  score: number;
}

/**
 * A word in more messages than this says little about any of them, and BM25 scores
 * every message a query word is in: such words are left out while rarer ones remain.
 */
export const COMMON_DOCS = 2_000;
/** When every word of a query is that common, only this many latest messages are ranked. */
export const COMMON_WINDOW = 5_000;

/**
 * The seqs of the messages that best match free text, by BM25 over the conversation's
 * contentless full-text index (FTS5's bm25() is lower-is-better; scores are negated).
 * The query is built like the memory index's: any word may match, stopwords only count
 * when nothing else is left, CJK matches by character pairs. The cost is bounded by
 * COMMON_DOCS per word, not by the length of the history.
 */
export function matchingSeqs(sql: SqlStorage, text: string, limit: number): SeqHit[] {
  const terms = queryTerms(text).map((term) => ({ term, docs: documentsWith(sql, term) }));
  if (terms.length === 0) return [];
  const selective = terms.filter((t) => t.docs <= COMMON_DOCS);
  let match: string;
  let after = 0;
  if (selective.length > 0) {
    match = selective.map((t) => t.term).join(" OR ");
  } else {
    const rarest = terms.reduce((a, b) => (b.docs < a.docs ? b : a));
    match = rarest.term;
    const { next } = sql.exec<{ next: number }>("SELECT next_seq AS next FROM conversation").one();
    after = Math.max(0, next - 1 - COMMON_WINDOW);
  }
  return sql
    .exec<{ seq: number; rank: number }>(
      `SELECT rowid AS seq, bm25(message_fts) AS rank FROM message_fts
        WHERE message_fts MATCH ? AND rowid > ? ORDER BY rank LIMIT ?`,
      match,
      after,
      limit,
    )
    .toArray()
    .map((hit) => ({ seq: hit.seq, score: Math.round(-hit.rank * 10_000) / 10_000 }));
}

/**
 * How many messages contain a one-word term, as the index stores it (diacritics folded,
 * Porter-stemmed). Phrases (CJK pairs) and words the stemmer spells differently count as
 * rare: at worst a common word is kept, never a rare one dropped.
 */
function documentsWith(sql: SqlStorage, term: string): number {
  const word = term.slice(1, -1);
  if (word.includes(" ") || !/^[a-z0-9]+$/.test(word.normalize("NFD").replace(/\p{M}/gu, ""))) {
    return 0;
  }
  const stem = stemmer(word.normalize("NFD").replace(/\p{M}/gu, ""));
  const row = sql
    .exec<{ doc: number }>("SELECT doc FROM message_vocab WHERE term = ?", stem)
    .toArray()[0];
  return row?.doc ?? 0;
}
