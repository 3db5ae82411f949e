import { normalise, type RecallUnit } from "./passages";
import type { RecallCandidate } from "./recall";
import type { ExplainedCandidate, LeftOut } from "./types";

/**
 * Every candidate recall considered, best first, with whether it was packed and, if not,
 * why: already a pinned or recent turn, its text already in the context, past the `recall`
 * limit, or no room left in the budget.
 */
export function explainCandidates(
  candidates: readonly RecallCandidate[],
  chosen: readonly RecallUnit[],
  held: { context: ReadonlySet<number>; seen: ReadonlySet<string>; limit: number },
): ExplainedCandidate[] {
  const packed = new Set(chosen.filter((u) => u.hit).map((u) => u.key));
  const texts = new Set([...held.seen, ...chosen.map((u) => normalise(u.text))]);
  const hits = packed.size;
  return candidates.map((c) => {
    const key = c.kind === "message" && c.seq !== undefined ? `seq:${c.seq}` : `memory:${c.id}`;
    const isPacked = packed.has(key);
    let reason: LeftOut | null = null;
    if (!isPacked) {
      if (c.seq !== undefined && held.context.has(c.seq)) reason = "recent";
      else if (texts.has(normalise(c.text))) reason = "duplicate";
      else if (hits >= held.limit) reason = "cutoff";
      else reason = "budget";
    }
    return {
      kind: c.kind,
      id: c.id,
      ...(c.seq !== undefined ? { seq: c.seq } : {}),
      text: c.text,
      score: c.score,
      match: c.match ?? { lexical: null, semantic: null },
      packed: isPacked,
      reason,
    };
  });
}
