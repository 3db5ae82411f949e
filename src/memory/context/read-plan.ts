import { PASSAGE_WINDOW } from "./passages";

/** A message found by the conversation's search: its seq and BM25 score (higher is better). */
export interface RankedSeq {
  seq: number;
  score: number;
}

/** What one context call reads besides working memory. */
export interface ContextReads {
  /** Archived seqs, newest first, that may extend the recent turns past working memory. */
  reach: number[];
  /** The recall hits whose bodies will be read, in rank order. */
  hits: RankedSeq[];
  /** Every seq to read from storage (none in working memory), newest first: the reach,
   * the hits and the turns around them (PASSAGE_WINDOW). */
  toRead: number[];
  /** Older messages exist than the recent turns can reach. */
  olderTurns: boolean;
}

/** How far recent turns may reach back past working memory, in messages (one bulk read). */
export const ARCHIVED_RECENT_REACH = 200;

/**
 * Plans the reads of one context call so its cost follows the budget and `recall`, not
 * the history: recent turns reach into the archive only when the budget exceeds working
 * memory, and of the hits whose bodies are only in KV just the best `recall` are read,
 * since whole segments come back for each. Bodies still in the object cost nothing.
 */
export function planContextReads(input: {
  /** Working messages, newest first. */
  working: readonly { seq: number; pinned: boolean; tokens: number }[];
  nextSeq: number;
  maxTokens: number;
  /** Search hits, best first. */
  ranked: readonly RankedSeq[];
  /** Seqs whose bodies are still rows of the object (working, outbox, grace period). */
  inObject: ReadonlySet<number>;
  recall: number;
}): ContextReads {
  const recent = input.working.filter((m) => !m.pinned);
  const pinned = new Set(input.working.filter((m) => m.pinned).map((m) => m.seq));
  const recentTokens = recent.reduce((sum, m) => sum + m.tokens + 4, 0);
  const reachFrom = (recent.at(-1)?.seq ?? input.nextSeq) - 1;
  const reach: number[] = [];
  let lowest = reachFrom + 1; // the oldest seq the recent turns can reach
  if (recentTokens < input.maxTokens) {
    lowest = Math.max(1, reachFrom - ARCHIVED_RECENT_REACH + 1);
    for (let seq = reachFrom; seq >= lowest; seq--) if (!pinned.has(seq)) reach.push(seq);
  }
  let olderTurns = false;
  for (let seq = lowest - 1; seq >= 1 && !olderTurns; seq--) olderTurns = !pinned.has(seq);
  const reachSet = new Set(reach);
  const ranked = input.ranked.filter((h) => !pinned.has(h.seq));
  const fromArchive = new Set(
    ranked
      .filter((h) => !input.inObject.has(h.seq) && !reachSet.has(h.seq))
      .slice(0, input.recall)
      .map((h) => h.seq),
  );
  const hits = ranked.filter(
    (h) => input.inObject.has(h.seq) || reachSet.has(h.seq) || fromArchive.has(h.seq),
  );
  const around = hits.flatMap((h) => {
    const seqs: number[] = [];
    for (let d = -PASSAGE_WINDOW; d <= PASSAGE_WINDOW; d++) {
      const seq = h.seq + d;
      if (seq >= 1 && seq < input.nextSeq && !pinned.has(seq)) seqs.push(seq);
    }
    return seqs;
  });
  const working = new Set(input.working.map((m) => m.seq));
  const toRead = [...new Set([...reach, ...around])]
    .filter((seq) => !working.has(seq))
    .sort((a, b) => b - a);
  return { reach, hits, toRead, olderTurns };
}
