/** The fraction of the budget a spill brings working memory down to. */
export const LOW_WATERMARK = 0.75;

export interface WorkingEntry {
  seq: number;
  tokens: number;
}

/**
 * Which working messages leave working memory. Nothing moves until the working set
 * exceeds its budget; then the oldest unpinned messages go until it is back under the
 * low watermark. The hysteresis makes spills come in batches, not one per append.
 *
 * `unpinnedOldestFirst` is consumed lazily, so the caller can stream rows from storage.
 */
export function planSpill(
  workingTokens: number,
  budget: number,
  unpinnedOldestFirst: Iterable<WorkingEntry>,
  lowWatermark = LOW_WATERMARK,
): { seqs: number[]; tokens: number } {
  if (workingTokens <= budget) return { seqs: [], tokens: 0 };
  const target = Math.floor(budget * lowWatermark);
  const seqs: number[] = [];
  let remaining = workingTokens;
  let tokens = 0;
  for (const entry of unpinnedOldestFirst) {
    if (remaining <= target) break;
    seqs.push(entry.seq);
    remaining -= entry.tokens;
    tokens += entry.tokens;
  }
  return { seqs, tokens };
}
