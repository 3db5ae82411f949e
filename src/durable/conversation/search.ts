import type { RankedSeq } from "../../memory/context/read-plan";
import type { SearchHit } from "../../memory/conversation";
import { wordCoverage } from "../../memory/coverage";
import type { Embedder } from "../../memory/embedders/embedder";
import { fuseHybrid, type SearchMode } from "../../memory/fusion";
import { ok, type Result } from "../../memory/result";
import {
  firstIndexTerms,
  firstQueryTerms,
  indexTerms,
  queryTerms,
} from "../../memory/search-query";
import type { ArchiveStore } from "../../storage/archive";
import {
  DocumentCounts,
  idfWeight,
  type RankedQuery,
  rankedQuery,
  UNCOUNTED,
} from "../sqlite/term-counts";
import { embedQuery } from "../vectors/embedder";
import { nearestMessages } from "../vectors/messages";
import { orUnavailable, readBySeqs, withinReadBudget } from "./archive";

export { COMMON_DOCS, COMMON_WINDOW, MAX_RANKED_TERMS } from "../sqlite/term-counts";

/**
 * Conversation search (`POST …/search`): BM25 hits, vector hits, or both fused
 * (`fuseHybrid`), each with its `match`. Without a query vector (no embedder, or it
 * failed) every mode ranks by words. Only the hits whose segments fit the read budget
 * are read (`withinReadBudget`), best first.
 */
export async function searchMessages(
  sql: SqlStorage,
  archive: ArchiveStore,
  embedder: Embedder | null,
  query: { text: string; limit: number; mode?: SearchMode },
): Promise<Result<SearchHit[]>> {
  const mode = query.mode ?? (embedder ? "hybrid" : "lexical");
  const vector = mode === "lexical" ? null : await embedQuery(embedder, query.text);
  const semantic = vector ? nearestMessages(sql, vector, query.limit * 2, "turn") : [];
  const byWords = mode !== "semantic" || !vector;
  const lexical = byWords ? matchingSeqs(sql, query.text, query.limit * (vector ? 2 : 1)) : [];
  const seqs = [...new Set([...lexical.map((h) => h.seq), ...semantic.map((h) => h.id)])];
  const readable = withinReadBudget(sql, seqs);
  return orUnavailable(async () => {
    const messages = new Map((await readBySeqs(sql, archive, readable)).map((m) => [m.seq, m]));
    if (!vector) {
      // Words alone: BM25's order and scores, as without an embedder.
      const hits = lexical.filter((h) => messages.has(h.seq)).slice(0, query.limit);
      return ok(
        hits.map((h, i) => ({
          score: h.score,
          message: messages.get(h.seq) as SearchHit["message"],
          match: { lexical: i + 1, semantic: null },
        })),
      );
    }
    const coverage = wordCoverage(query.text, messageTermWeight(sql));
    const fused = fuseHybrid(
      lexical.flatMap((h) => {
        const message = messages.get(h.seq);
        return message ? [{ key: h.seq, strength: coverage(message.content) }] : [];
      }),
      semantic
        .filter((h) => messages.has(h.id))
        .map((h) => ({ key: h.id, similarity: h.similarity })),
      query.limit,
    );
    // Scores: similarity in semantic mode, else the fused score.
    const similarity = new Map(semantic.map((h) => [h.id, h.similarity]));
    return ok(
      fused.map(({ key, score, match }) => ({
        score: mode === "semantic" ? (similarity.get(key) ?? 0) : score,
        message: messages.get(key) as SearchHit["message"],
        match,
      })),
    );
  });
}

/**
 * The full-text indexes of a conversation's messages, rowid = seq. `message_words`
 * (migration 10) keeps words whole in every script (`WORD_TOKENIZER`, `indexTerms`).
 * Messages appended before it are in the first index, `message_fts`, whose tokenizer
 * split words at their combining marks, until background work moves them over, newest
 * first (`indexWordsStep`; their bodies may be in KV). `words_from_seq` is the first seq of
 * the word index: every seq below it is in the first. A conversation begun since has only
 * the word index; while both hold messages, a search asks both and merges by score.
 */
const WORDS = { table: "message_words", vocab: "message_words_vocab" } as const;
const FIRST = { table: "message_fts", vocab: "message_vocab" } as const;

/** Adds a message to the index (inside the append's transaction). */
export function indexMessage(sql: SqlStorage, seq: number, text: string): void {
  sql.exec(`INSERT INTO ${WORDS.table} (rowid, content) VALUES (?, ?)`, seq, indexTerms(text));
}

/**
 * Removes the messages a rewind takes (every seq after `afterSeq`) from the index each was
 * added to. The word index forgets a row by its seq (`contentless_delete`): its terms come
 * from the runtime's word breaker, which a runtime update may change. The first index
 * forgets a document only given exactly the terms it was indexed with, in its own form
 * (`firstIndexTerms`). The seqs after `afterSeq` are appended again, to the word index, so
 * it starts there at the latest.
 */
export function unindexAfter(
  sql: SqlStorage,
  afterSeq: number,
  removed: readonly { seq: number; content: string }[],
): void {
  const wordsFrom = wordsFromSeq(sql);
  for (const { seq, content } of removed) {
    if (seq >= wordsFrom) sql.exec(`DELETE FROM ${WORDS.table} WHERE rowid = ?`, seq);
    else forgetInFirstIndex(sql, seq, content);
  }
  if (wordsFrom > afterSeq + 1)
    sql.exec("UPDATE conversation SET words_from_seq = ?", afterSeq + 1);
}

/** The first index forgets a document given exactly the terms it was indexed with. */
function forgetInFirstIndex(sql: SqlStorage, seq: number, content: string): void {
  sql.exec(
    `INSERT INTO ${FIRST.table} (${FIRST.table}, rowid, content) VALUES ('delete', ?, ?)`,
    seq,
    firstIndexTerms(content),
  );
}

/** Messages a step moves into the word index, at most (and what the read budget lets in). */
export const INDEX_AGAIN_PER_STEP = 100;

/**
 * One step of moving the first index's messages into the word index (migration 10 leaves
 * this work due, `index_words`): the newest seqs below `words_from_seq` are read (from the
 * object, or their KV segments), forgotten by the first index and added to the word index,
 * and `words_from_seq` comes down past them — so every seq is in exactly one index at any
 * time. True while messages are left.
 */
export async function indexWordsStep(
  storage: DurableObjectStorage,
  archive: ArchiveStore,
  current: () => boolean,
): Promise<boolean> {
  const sql = storage.sql;
  const from = wordsFromSeq(sql);
  if (from <= 1) return false;
  const seqs = sql
    .exec<{ seq: number }>(
      "SELECT seq FROM message_ids WHERE seq < ? ORDER BY seq DESC LIMIT ?",
      from,
      INDEX_AGAIN_PER_STEP,
    )
    .toArray()
    .map((row) => row.seq);
  const readable = withinReadBudget(sql, seqs);
  const messages = await readBySeqs(sql, archive, readable);
  // An erase began, or a rewind moved the start meanwhile: the next step reads afresh.
  if (!current() || wordsFromSeq(sql) !== from) return current();
  storage.transactionSync(() => {
    for (const { seq, content } of messages) {
      forgetInFirstIndex(sql, seq, content);
      indexMessage(sql, seq, content);
    }
    // Down past what was read; a step that finds nothing below leaves only the word index.
    sql.exec("UPDATE conversation SET words_from_seq = ?", readable.at(-1) ?? 1);
  });
  forgetMessageCounts(sql);
  return wordsFromSeq(sql) > 1;
}

/**
 * The seqs of the messages that best match free text, by BM25 over the conversation's
 * contentless full-text indexes (FTS5's bm25() is lower-is-better; scores are negated).
 * The query is built like the memory index's: any word may match, stopwords only count
 * when nothing else is left, CJK matches by character pairs. The cost is bounded by
 * document counts (`rankedQuery`), not by the length of the history.
 */
export function matchingSeqs(sql: SqlStorage, text: string, limit: number): RankedSeq[] {
  const terms = queryTerms(text);
  if (terms.length === 0) return [];
  const { words, first } = currentIndexes(sql);
  const hits = rankedSeqs(sql, WORDS.table, rankedQuery(terms, words), limit);
  if (!first) return hits;
  const asFirst = rankedQuery(firstQueryTerms(text), first, false);
  return [...hits, ...rankedSeqs(sql, FIRST.table, asFirst, limit)]
    .sort((a, b) => b.score - a.score)
    .slice(0, limit);
}

function rankedSeqs(
  sql: SqlStorage,
  table: string,
  ranked: RankedQuery | null,
  limit: number,
): RankedSeq[] {
  if (!ranked) return [];
  return sql
    .exec<{ seq: number; rank: number }>(
      `SELECT seq, rank FROM (
         SELECT rowid AS seq, bm25(${table}) AS rank FROM ${table}
          WHERE ${table} MATCH ? ORDER BY rowid DESC LIMIT ?
       ) ORDER BY rank LIMIT ?`,
      ranked.match,
      ranked.latest,
      limit,
    )
    .toArray()
    .map((hit) => ({ seq: hit.seq, score: Math.round(-hit.rank * 10_000) / 10_000 }));
}

/**
 * How much each query word says in this conversation (`idfWeight`), for `wordCoverage`:
 * from the counts `matchingSeqs` keeps, as its search of this request left them (the row is
 * read only when no search ran since the object woke). A count a few appends stale is
 * still a fair weight, and `DocumentCounts` re-reads what its ranking needs exactly.
 */
export function messageTermWeight(sql: SqlStorage): (term: string) => number {
  const { words, first, next } = indexesByStorage.get(sql) ?? currentIndexes(sql);
  if (!first) return idfWeight(words, next);
  const both = (term: string) => {
    const a = words.docsWith(term);
    const b = first.docsWith(term);
    return a === UNCOUNTED || b === UNCOUNTED ? UNCOUNTED : a + b;
  };
  return idfWeight({ docsWith: both }, next);
}

/**
 * One set of counts per index and object, kept beside its storage handle (objects are
 * single-threaded). `next_seq` counts the messages added; only a rewind removes some, and
 * it forgets the counts (`forgetMessageCounts`). A conversation erased and started again is
 * another one: its counts start afresh.
 */
interface HeldIndexes {
  createdAt: string;
  next: number;
  words: DocumentCounts;
  /** The first index's counts, when it holds messages (`words_from_seq` > 1). */
  first: DocumentCounts | null;
}
const indexesByStorage = new WeakMap<SqlStorage, HeldIndexes>();

/** The object's indexes, their counts brought up to the conversation row's `next_seq`. */
function currentIndexes(sql: SqlStorage): HeldIndexes {
  const { next, created, wordsFrom } = sql
    .exec<{ next: number; created: string; wordsFrom: number }>(
      `SELECT next_seq AS next, created_at AS created, words_from_seq AS wordsFrom
         FROM conversation`,
    )
    .one();
  let held = indexesByStorage.get(sql);
  if (!held || held.createdAt !== created || next < held.next) {
    const words = new DocumentCounts(sql, WORDS.vocab, WORDS.table);
    const first = wordsFrom > 1 ? new DocumentCounts(sql, FIRST.vocab, FIRST.table) : null;
    held = { createdAt: created, next, words, first };
    indexesByStorage.set(sql, held);
  }
  held.next = next;
  held.words.added = next;
  return held;
}

function wordsFromSeq(sql: SqlStorage): number {
  return sql.exec<{ from: number }>("SELECT words_from_seq AS 'from' FROM conversation").one().from;
}

/** After documents left an index (a rewind, a step of the move): counts are read afresh. */
export function forgetMessageCounts(sql: SqlStorage): void {
  indexesByStorage.delete(sql);
}
