import { PASSAGE_WINDOW, type RecallUnit } from "./passages";
import type { RecalledItem } from "./types";

const bySeq = (a: RecallUnit, b: RecallUnit) =>
  (a.seq ?? Number.POSITIVE_INFINITY) - (b.seq ?? Number.POSITIVE_INFINITY);

/**
 * The recalled items as the response lists them: the hits (at most `recall`), in the
 * note's order; a message hit says which turns came with it (`passage`, seqs inclusive).
 */
export function recalledItems(chosen: readonly RecallUnit[]): RecalledItem[] {
  const seqs = new Set(chosen.flatMap((u) => (u.seq === undefined ? [] : [u.seq])));
  return [...chosen]
    .filter((u) => u.hit)
    .sort(bySeq)
    .map(({ kind, id, seq, text, score, whole }) => {
      if (kind !== "message" || seq === undefined) return { kind, id, text, score };
      const part = whole !== undefined ? { excerpt: true as const } : {};
      let from = seq;
      let to = seq;
      while (seqs.has(from - 1) && seq - (from - 1) <= PASSAGE_WINDOW) from--;
      while (seqs.has(to + 1) && to + 1 - seq <= PASSAGE_WINDOW) to++;
      return { kind, id, seq, text, score, ...part, passage: { fromSeq: from, toSeq: to } };
    });
}
