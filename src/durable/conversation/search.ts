import type { RankedSeq } from "../../memory/context/read-plan";
import { queryTerms } from "../../memory/search-query";
import { DocumentCounts, rankedQuery } from "../sqlite/term-counts";

export { COMMON_DOCS, COMMON_WINDOW, MAX_RANKED_TERMS } from "../sqlite/term-counts";

export type SeqHit = RankedSeq;

/**
 * The seqs of the messages that best match free text, by BM25 over the conversation's
 * contentless full-text index (FTS5's bm25() is lower-is-better; scores are negated).
 * The query is built like the memory index's: any word may match, stopwords only count
 * when nothing else is left, CJK matches by character pairs. The cost is bounded by
 * document counts (`rankedQuery`), not by the length of the history.
 */
export function matchingSeqs(sql: SqlStorage, text: string, limit: number): SeqHit[] {
  const terms = queryTerms(text);
  if (terms.length === 0) return [];
  const { next, created } = sql
    .exec<{ next: number; created: string }>(
      "SELECT next_seq AS next, created_at AS created FROM conversation",
    )
    .one();
  const ranked = rankedQuery(terms, messageCounts(sql, created, next));
  if (!ranked) return [];
  return sql
    .exec<{ seq: number; rank: number }>(
      `SELECT seq, rank FROM (
         SELECT rowid AS seq, bm25(message_fts) AS rank FROM message_fts
          WHERE message_fts MATCH ? ORDER BY rowid DESC LIMIT ?
       ) ORDER BY rank LIMIT ?`,
      ranked.match,
      ranked.latest,
      limit,
    )
    .toArray()
    .map((hit) => ({ seq: hit.seq, score: Math.round(-hit.rank * 10_000) / 10_000 }));
}

/**
 * One set of counts per object, kept beside its storage handle (objects are
 * single-threaded). `next_seq` counts the messages added; only a rewind removes some, and
 * it forgets the counts (`forgetMessageCounts`). A conversation erased and started again is
 * another one: its counts start afresh.
 */
const countsByStorage = new WeakMap<SqlStorage, { createdAt: string; counts: DocumentCounts }>();

function messageCounts(sql: SqlStorage, createdAt: string, nextSeq: number): DocumentCounts {
  let held = countsByStorage.get(sql);
  if (!held || held.createdAt !== createdAt || nextSeq < held.counts.added) {
    held = { createdAt, counts: new DocumentCounts(sql, "message_vocab", "message_fts") };
    countsByStorage.set(sql, held);
  }
  held.counts.added = nextSeq;
  return held.counts;
}

/** After a rewind removed documents from the index: the next search reads counts afresh. */
export function forgetMessageCounts(sql: SqlStorage): void {
  countsByStorage.delete(sql);
}
