import type { RankedSeq } from "../../memory/context/read-plan";
import type { SearchHit } from "../../memory/conversation";
import { wordCoverage } from "../../memory/coverage";
import type { Embedder } from "../../memory/embedders/embedder";
import { fuseHybrid, type SearchMode } from "../../memory/fusion";
import { ok, type Result } from "../../memory/result";
import { queryTerms } from "../../memory/search-query";
import type { ArchiveStore } from "../../storage/archive";
import { DocumentCounts, idfWeight, rankedQuery } from "../sqlite/term-counts";
import { embedQuery } from "../vectors/embedder";
import { nearestMessages } from "../vectors/messages";
import { orUnavailable, readBySeqs, withinReadBudget } from "./archive";

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
  const ranked = rankedQuery(terms, currentCounts(sql));
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
 * How much each query word says in this conversation (`idfWeight`), for `wordCoverage`:
 * from the counts `matchingSeqs` keeps, as its search of this request left them (the row is
 * read only when no search ran since the object woke). A count a few appends stale is
 * still a fair weight, and `DocumentCounts` re-reads what its ranking needs exactly.
 */
export function messageTermWeight(sql: SqlStorage): (term: string) => number {
  const counts = countsByStorage.get(sql)?.counts ?? currentCounts(sql);
  return idfWeight(counts, counts.added);
}

/**
 * One set of counts per object, kept beside its storage handle (objects are
 * single-threaded). `next_seq` counts the messages added; only a rewind removes some, and
 * it forgets the counts (`forgetMessageCounts`). A conversation erased and started again is
 * another one: its counts start afresh.
 */
const countsByStorage = new WeakMap<SqlStorage, { createdAt: string; counts: DocumentCounts }>();

/** The object's counts, brought up to the conversation row's `next_seq`. */
function currentCounts(sql: SqlStorage): DocumentCounts {
  const { next, created } = sql
    .exec<{ next: number; created: string }>(
      "SELECT next_seq AS next, created_at AS created FROM conversation",
    )
    .one();
  let held = countsByStorage.get(sql);
  if (!held || held.createdAt !== created || next < held.counts.added) {
    held = { createdAt: created, counts: new DocumentCounts(sql, "message_vocab", "message_fts") };
    countsByStorage.set(sql, held);
  }
  held.counts.added = next;
  return held.counts;
}

/** After a rewind removed documents from the index: the next search reads counts afresh. */
export function forgetMessageCounts(sql: SqlStorage): void {
  countsByStorage.delete(sql);
}

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
