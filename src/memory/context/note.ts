import { dateOf, noteSpeakerOf, type RecallUnit, unitLine, unitText } from "./passages";

export const SUMMARY_HEADING = "Summary of the conversation so far:";
export const RECALL_HEADING = "Earlier messages that may be relevant:";
export const MEMORY_HEADING = "Memories that may be relevant:";
/** The line that heads a day's turns: recalled passages here, recent turns with `dates`. */
export const dayHeading = (day: string) => `[${day}]`;
/** Between two passages of one day that are not next to each other. */
const GAP = "…";

/**
 * The content of the one system message carrying the summary and what recall packed:
 * archived turns in conversation order, grouped by day under one date line, a speaker
 * label only where the speaker changes within a passage; then memories, one per line.
 */
export function renderContextNote(summary: string | null, units: readonly RecallUnit[]): string {
  const parts: string[] = [];
  if (summary) parts.push(`${SUMMARY_HEADING}\n${summary}`);
  const turns = units.filter((u) => u.turn).sort((a, b) => (a.seq ?? 0) - (b.seq ?? 0));
  if (turns.length > 0) {
    const lines: string[] = [RECALL_HEADING];
    let date: string | null = null;
    let previousSeq = Number.NaN;
    let speaker: string | null = null;
    for (const unit of turns) {
      const day = dateOf(unit);
      if (day !== date) {
        lines.push(day ? dayHeading(day) : "[undated]");
        date = day;
        speaker = null;
      } else if (unit.seq !== previousSeq + 1) {
        lines.push(GAP);
        speaker = null;
      }
      const said = noteSpeakerOf(unit.turn as NonNullable<RecallUnit["turn"]>);
      lines.push(said === speaker ? unitText(unit) : unitLine(unit));
      speaker = said;
      previousSeq = unit.seq ?? Number.NaN;
    }
    parts.push(lines.join("\n"));
  }
  const memories = units.filter((u) => !u.turn);
  if (memories.length > 0) parts.push([MEMORY_HEADING, ...memories.map(unitLine)].join("\n"));
  return parts.join("\n\n");
}
