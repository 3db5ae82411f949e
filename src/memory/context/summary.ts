import { joinSentences, oneLine, splitSentences } from "../text";

const LINE_PREFIX = /^([^:\n]{1,60}): (.+)$/;

/**
 * The running summary as a context can carry it: without the sentences the context
 * already quotes verbatim (a recent turn, a recalled line) or the summary says twice,
 * so no text is sent twice.
 * `quoted` is every other text of the context; sentences are compared with whitespace
 * folded. Null when nothing is left.
 */
export function summaryWithout(summary: string, quoted: readonly string[]): string | null {
  const haystack = quoted.map(fold).join("\u0000");
  const said = new Set<string>();
  const lines: string[] = [];
  for (const line of summary.split("\n")) {
    const match = LINE_PREFIX.exec(line.trim());
    const body = match?.[2] ?? line;
    const kept = splitSentences(body).filter((s) => {
      const sentence = fold(s);
      if (said.has(sentence) || haystack.includes(sentence)) return false;
      said.add(sentence);
      return true;
    });
    if (kept.length === 0) continue;
    lines.push(match ? `${match[1]}: ${joinSentences(kept)}` : joinSentences(kept));
  }
  return lines.length > 0 ? lines.join("\n") : null;
}

/**
 * The newest lines of `summary` whose cost (`costOf`, which counts the whole rendered
 * message) stays within `cap`: a summary reads oldest first, and what happened last is
 * what the next turn most likely builds on. Null when not even one line fits.
 */
export function newestLinesWithin(
  summary: string,
  cap: number,
  costOf: (text: string) => number,
): string | null {
  const lines = summary.split("\n");
  for (let from = 0; from < lines.length; from++) {
    const text = lines.slice(from).join("\n");
    if (costOf(text) <= cap) return text;
  }
  return null;
}

const fold = oneLine;
