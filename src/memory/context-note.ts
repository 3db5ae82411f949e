import type { RecallCandidate } from "./recall";
import { oneLine } from "./text";
import type { CountTokens } from "./tokens";

export const SUMMARY_HEADING = "Summary of the conversation so far:";
export const RECALL_HEADING = "Earlier messages and memories that may be relevant:";

/** One line per recalled item, with who said it and when: `[2026-11-20 user] …`. */
export function formatRecalledItem(item: RecallCandidate): string {
  const date = /^\d{4}-\d{2}-\d{2}/.exec(item.createdAt ?? "")?.[0];
  const who = item.kind === "memory" ? "memory" : (item.role ?? "message");
  return `[${date ? `${date} ` : ""}${who}] ${oneLine(item.text)}`;
}

/** The content of the one system message carrying the summary and the recalled items. */
export function renderContextNote(summary: string | null, items: readonly RecallCandidate[]) {
  const parts: string[] = [];
  if (summary) parts.push(`${SUMMARY_HEADING}\n${summary}`);
  if (items.length > 0)
    parts.push(`${RECALL_HEADING}\n${items.map(formatRecalledItem).join("\n")}`);
  return parts.join("\n\n");
}

/**
 * The tokens of the note (summary + recalled items) for a selection of items, and of one
 * item's line, exact either way: with a tokenizer that is additive at "[" lines
 * (every item line starts with "[") each line is counted once and a selection costs a sum;
 * otherwise every selection's note is counted whole.
 */
export function noteCounter(
  count: CountTokens,
  summary: string | null,
  items: readonly RecallCandidate[],
): { tokens: (indices: readonly number[]) => number; lineTokens: (index: number) => number } {
  const lines = new Map<number, { alone: number; withBreak: number }>();
  const line = (index: number) => {
    let known = lines.get(index);
    if (!known) {
      const text = formatRecalledItem(items[index] as RecallCandidate);
      known = { alone: count(text), withBreak: 0 };
      if (count.additiveAtBracketLines) known.withBreak = count(`${text}\n`);
      lines.set(index, known);
    }
    return known;
  };
  const lineTokens = (index: number) => line(index).alone;
  if (!count.additiveAtBracketLines) {
    return {
      tokens: (indices) => count(renderContextNote(summary, pick(items, indices))),
      lineTokens,
    };
  }
  // renderContextNote with items: the head below, then the lines joined by "\n".
  const head = count(`${summary ? `${SUMMARY_HEADING}\n${summary}\n\n` : ""}${RECALL_HEADING}\n`);
  return {
    tokens: (indices) => {
      if (indices.length === 0) return count(renderContextNote(summary, []));
      let total = head;
      indices.forEach((index, k) => {
        total += k === indices.length - 1 ? line(index).alone : line(index).withBreak;
      });
      return total;
    },
    lineTokens,
  };
}

export function pick<T>(list: readonly T[], indices: readonly number[]): T[] {
  return indices.flatMap((i) => (list[i] === undefined ? [] : [list[i] as T]));
}
