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

/** At most this many query words are ranked: the rarest, which carry most of BM25's weight. */
export const MAX_RANKED_TERMS = 8;

/**
 * The seqs of the messages that best match free text, by BM25 over the conversation's
 * contentless full-text index (FTS5's bm25() is lower-is-better; scores are negated).
 * The query is built like the memory index's: any word may match, stopwords only count
 * when nothing else is left, CJK matches by character pairs. The cost is bounded by
 * COMMON_DOCS per word and MAX_RANKED_TERMS words, not by the length of the history.
 */
export function matchingSeqs(sql: SqlStorage, text: string, limit: number): SeqHit[] {
  const words = queryTerms(text);
  if (words.length === 0) return [];
  const { next, created } = sql
    .exec<{ next: number; created: string }>(
      "SELECT next_seq AS next, created_at AS created FROM conversation",
    )
    .one();
  const frequencies = documentFrequencies(sql, created, next);
  const terms = words
    .map((term) => ({ term, docs: frequencies.docsWith(term) }))
    .sort((a, b) => a.docs - b.docs);
  const selective = terms.filter((t) => t.docs <= COMMON_DOCS).slice(0, MAX_RANKED_TERMS);
  let match: string;
  let after = 0;
  if (selective.length > 0) {
    match = selective.map((t) => t.term).join(" OR ");
  } else {
    match = (terms[0] as { term: string }).term; // the rarest
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

/** Words whose count is remembered per object; past this the memory starts afresh. */
const REMEMBERED_WORDS = 4_096;

/**
 * How many messages contain each query word, remembered by the object between requests:
 * fts5vocab counts a word by walking its whole posting list, which at 100,000 messages
 * costs more than the search itself. A count only grows, by at most the messages appended
 * since it was read, so a remembered count is re-read only when that growth could carry
 * it across COMMON_DOCS: which words are left out is exactly what a fresh read would say.
 * A conversation erased and started again is another conversation: all is forgotten.
 */
class DocumentFrequencies {
  private readonly known = new Map<string, { docs: number; atSeq: number }>();
  nextSeq = 0;

  constructor(
    private readonly sql: SqlStorage,
    readonly conversationCreatedAt: string,
  ) {}

  docsWith(term: string): number {
    const known = this.known.get(term);
    if (known) {
      const mostNow = known.docs + (this.nextSeq - known.atSeq);
      if (known.docs > COMMON_DOCS || mostNow <= COMMON_DOCS) return known.docs;
      this.known.delete(term);
    }
    if (this.known.size >= REMEMBERED_WORDS) this.known.clear();
    const docs = documentsWith(this.sql, term);
    this.known.set(term, { docs, atSeq: this.nextSeq });
    return docs;
  }
}

/** One per object, kept beside its storage handle (objects are single-threaded). */
const frequenciesByStorage = new WeakMap<SqlStorage, DocumentFrequencies>();

function documentFrequencies(
  sql: SqlStorage,
  createdAt: string,
  nextSeq: number,
): DocumentFrequencies {
  let frequencies = frequenciesByStorage.get(sql);
  if (
    !frequencies ||
    frequencies.conversationCreatedAt !== createdAt ||
    nextSeq < frequencies.nextSeq
  ) {
    frequencies = new DocumentFrequencies(sql, createdAt);
    frequenciesByStorage.set(sql, frequencies);
  }
  frequencies.nextSeq = nextSeq;
  return frequencies;
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
