import { EVERY_WORD_ALIKE } from "../coverage";
import { fail, ok, type Result } from "../result";
import type { CountTokens } from "../tokens";
import { chooseUnits } from "./choose-units";
import { excerpter } from "./excerpt";
import { explainCandidates } from "./explain";
import { dayHeading, MEMORY_HEADING, RECALL_HEADING, renderContextNote } from "./note";
import { normalise, type RecallUnit, recallUnits } from "./passages";
import { recalledItems } from "./recalled-items";
import { RecentTurns } from "./recent-turns";
import { newestLinesWithin, summaryWithout } from "./summary";
import {
  type ContextMessage,
  hasName,
  MESSAGE_OVERHEAD,
  type PackedContext,
  type PackInput,
  type PinnedMessage,
  type RecentTurn,
  turnCost,
} from "./types";

/**
 * The default recall share of the budget left after pinned messages and the summary:
 * a quarter for a chat that continues, growing linearly with `recallStrength` up to a
 * half for a question that matches old material strongly. What recall leaves unused
 * goes to recent turns; when the recent turns run out first, their leftover goes back
 * to recall.
 */
export const RECALL_SHARE = { base: 0.25, max: 0.5 } as const;
/**
 * The running summary may take at most this share of the budget after pinned messages,
 * halved as `recallStrength` grows: an explicit question about old material is better
 * served by the turns that answer it than by a digest of everything. A longer summary
 * keeps its newest lines.
 */
export const SUMMARY_SHARE = 0.3;

/**
 * Packs pinned messages, the summary, recalled passages and recent turns into `maxTokens`,
 * sending no text twice.
 *
 * 1. Pinned messages all go in; if they alone exceed the budget: `invalid_request` on
 *    `maxTokens`.
 * 2. The newest recent turn — usually the question being answered — is reserved first.
 * 3. The summary is given at most SUMMARY_SHARE of what is left (less for a strong
 *    match), recall a cap R: `recallTokens`, else the share policy (RECALL_SHARE).
 * 4. Recent turns, newest first, fill the rest (pass A); a tool exchange too large for
 *    any pass is passed over (`RecentTurns`). If that takes every turn to the first
 *    message, nothing is summarised or recalled that is not verbatim already: the
 *    summary is left out and its room goes to the turns.
 * 5. Recall packs by value per token (`chooseUnits`): hits and the turns around them,
 *    memories, never a pinned or recent turn or a text already in the context.
 * 6. Recent turns continue into whatever recall left (pass B), stopping at a turn recall
 *    quotes whole, so they stay a contiguous newest suffix; a turn recall quotes in part
 *    they take whole, and recall lets go of its part. Without `recallTokens`, once every
 *    recent turn is in, recall may use the rest.
 * 7. The summary loses the sentences the context quotes verbatim, and is left out when
 *    every message it covers is in the context; what that frees goes to recent turns.
 *
 * Accounting is exact: the note (summary + recall) is rendered and counted whole, and a
 * unit is dropped (lowest value per token first) until the total fits. `usage.summary`
 * is what the note would cost with the summary alone (overhead included), `usage.recalled`
 * the rest of its cost. `truncated` is true when a message is missing from the context.
 */
export function packContext(input: PackInput): Result<PackedContext> {
  const { count, maxTokens } = input;
  const pinnedCost = input.pinned.reduce((sum, m) => sum + turnCost(m), 0);
  if (pinnedCost > maxTokens) {
    return fail(
      "invalid_request",
      `maxTokens ${maxTokens} is smaller than the pinned messages, which take ${pinnedCost} tokens.`,
      "maxTokens",
    );
  }

  const recent = new RecentTurns(
    input.recentNewestFirst,
    input.dates ? (day) => count(dayHeading(day)) + MESSAGE_OVERHEAD : undefined,
    maxTokens - pinnedCost,
  );
  try {
    const afterPinned = maxTokens - pinnedCost;
    const newestCost = recent.peekCost();
    const reserved = newestCost <= afterPinned ? newestCost : 0;
    const strength = clamp01(input.recallStrength ?? 0);

    const noteCost = (summary: string | null, units: readonly RecallUnit[]) =>
      summary || units.length > 0 ? count(renderContextNote(summary, units)) + MESSAGE_OVERHEAD : 0;
    const summaryText = input.summary?.trim() || null;
    // The caller's `recallTokens` is recall's, whole; the summary takes its share of the rest.
    const asked = Math.min(input.recallTokens ?? 0, afterPinned - reserved);
    const summaryCap = Math.max(
      0,
      Math.min(
        Math.floor((afterPinned - reserved) * SUMMARY_SHARE * (1 - strength / 2)),
        afterPinned - reserved - asked,
      ),
    );
    const summaryEstimate = summaryText ? Math.min(noteCost(summaryText, []), summaryCap) : 0;
    const room = afterPinned - summaryEstimate;
    const share = RECALL_SHARE.base + (RECALL_SHARE.max - RECALL_SHARE.base) * strength;
    const recallCap = Math.max(
      0,
      Math.min(input.recallTokens ?? Math.floor(room * share), room - reserved),
    );

    recent.take(room - recallCap, () => false); // pass A
    const everyTurnIn = recent.allTaken() && !input.olderTurns;
    const summaryRoom = everyTurnIn ? 0 : summaryEstimate;

    const pinnedSeqs = input.pinned.flatMap((m) => (m.seq === undefined ? [] : [m.seq]));
    const units = recallUnits(
      input.recalled,
      input.recallTurns ?? new Map(),
      new Set([...pinnedSeqs, ...recent.seqs]),
    );
    const seen = new Set([...input.pinned, ...recent.turns].map((m) => normalise(m.content)));
    const limit = input.recallLimit ?? Number.POSITIVE_INFINITY;
    const headings = {
      turns: count(`\n\n${RECALL_HEADING}\n`),
      memories: count(`\n\n${MEMORY_HEADING}\n`),
    };
    // Without a summary, recall pays for the note's message overhead.
    const unitsCap = (cap: number) => cap - (summaryRoom > 0 ? 0 : MESSAGE_OVERHEAD);
    const weight = input.weight ?? EVERY_WORD_ALIKE;
    const excerpt = excerpter(input.query ?? null, weight, count);
    let chosen = chooseUnits(units, {
      cap: unitsCap(recallCap),
      limit,
      count,
      seen,
      headings,
      excerpt,
    });
    /** The turns recall quotes whole (an excerpt or an edge leaves part of its turn out). */
    const quotedWhole = () =>
      new Set(chosen.flatMap((u) => (u.seq === undefined || u.whole !== undefined ? [] : [u.seq])));
    // Recent turns stop at a turn recall quotes whole, by seq or by text (a memory quoting
    // it). A turn recall quotes in part (an excerpt, an edge) they take whole, and recall
    // lets go of its part (`takeRecent`).
    const heldByRecall = () => {
      const seqs = quotedWhole();
      const texts = new Set(
        chosen.filter((u) => u.whole === undefined).map((u) => normalise(u.text)),
      );
      return (turn: RecentTurn) => seqs.has(turn.seq) || texts.has(normalise(turn.content));
    };
    const takeRecent = (budget: number) => {
      recent.take(budget, heldByRecall());
      chosen = chosen.filter((u) => u.seq === undefined || !recent.seqs.has(u.seq));
    };
    const estimate = () => (chosen.length > 0 ? noteCost(null, chosen) : 0);

    const fill = afterPinned - summaryRoom;
    takeRecent(fill - estimate()); // pass B
    if (input.recallTokens === undefined && recent.exhausted()) {
      const cap = unitsCap(fill - recent.cost);
      chosen = chooseUnits(units, {
        cap,
        limit,
        count,
        seen,
        chosen,
        spent: estimate(),
        headings,
        excerpt,
      });
    }

    // The summary, without what the context quotes, within its room.
    const summaryFor = (units: readonly RecallUnit[]): string | null => {
      if (!summaryText || summaryRoom === 0) return null;
      // An excerpt leaves part of its message out: it covers nothing.
      const covered = new Set([...pinnedSeqs, ...recent.seqs, ...quotedWhole()]);
      if (coversOnly(input.summaryThrough ?? 0, covered)) return null;
      const quoted = [...input.pinned, ...recent.turns].map((m) => m.content);
      for (const u of units) quoted.push(u.text);
      const left = summaryWithout(summaryText, quoted);
      if (!left) return null;
      const room = maxTokens - pinnedCost - recent.cost - (noteCost(null, units) || 0);
      const cap = Math.min(summaryCap, room);
      return newestLinesWithin(left, cap, (text) => noteCost(text, []));
    };
    let summary = summaryFor(chosen);
    let note = noteCost(summary, chosen);
    const recallCost = () => note - (summary ? noteCost(summary, []) : 0);
    // Choices were made on estimates (BPE is not additive across lines): drop units, least
    // value per token first, until the exact count fits the budget and `recallTokens`.
    while (
      chosen.length > 0 &&
      (pinnedCost + note + recent.cost > maxTokens ||
        recallCost() > (input.recallTokens ?? Number.POSITIVE_INFINITY))
    ) {
      chosen = withoutWeakest(chosen, count);
      summary = summaryFor(chosen);
      note = noteCost(summary, chosen);
    }
    if (pinnedCost + note + recent.cost > maxTokens) {
      summary = null;
      note = 0;
    }
    // What the summary no longer needs goes to recent turns (pass C); the summary then
    // drops what they quote (it only shrinks, so the total still fits).
    const before = recent.turns.length;
    takeRecent(maxTokens - pinnedCost - note);
    if (recent.turns.length > before) {
      summary = summary && summaryFor(chosen);
      note = noteCost(summary, chosen);
    }

    const messages: ContextMessage[] = input.pinned.map(toContextMessage);
    if (summary || chosen.length > 0) {
      messages.push({ role: "system", content: renderContextNote(summary, chosen) });
    }
    for (const item of recent.withDayLines()) {
      messages.push(
        "day" in item ? { role: "system", content: dayHeading(item.day) } : toContextMessage(item),
      );
    }
    const summaryCost = summary ? noteCost(summary, []) : 0;
    const explained = input.explain
      ? {
          explain: {
            candidates: explainCandidates(input.recalled, chosen, {
              context: new Set([...pinnedSeqs, ...recent.seqs]),
              seen: new Set([...input.pinned, ...recent.turns].map((m) => normalise(m.content))),
              limit,
            }),
          },
        }
      : {};
    return ok({
      ...explained,
      messages,
      summary,
      recalled: recalledItems(chosen),
      usage: {
        budget: maxTokens,
        pinned: pinnedCost,
        summary: summaryCost,
        recalled: note - summaryCost,
        recent: recent.cost,
        total: pinnedCost + note + recent.cost,
      },
      truncated: recent.missing(quotedWhole()) || Boolean(input.olderTurns),
    });
  } finally {
    recent.close();
  }
}

/** True when every message up to `through` is in `covered` (a summary of them says nothing new). */
function coversOnly(through: number, covered: ReadonlySet<number>): boolean {
  if (through <= 0 || through > covered.size + 1_000) return false;
  for (let seq = 1; seq <= through; seq++) if (!covered.has(seq)) return false;
  return true;
}

/** The choice without its unit of least value per token. */
function withoutWeakest(chosen: readonly RecallUnit[], count: CountTokens): RecallUnit[] {
  let weakest: RecallUnit | undefined;
  for (const unit of chosen) {
    const density = unit.value / (count(unit.text) + 1);
    if (!weakest || density < weakest.value / (count(weakest.text) + 1)) weakest = unit;
  }
  return chosen.filter((u) => u !== weakest);
}

function clamp01(x: number): number {
  return Number.isFinite(x) ? Math.min(1, Math.max(0, x)) : 0;
}

/** A message as chat-completions takes it: content and tool fields as the app sent them. */
function toContextMessage(m: PinnedMessage): ContextMessage {
  if (m.item) return m.item;
  return {
    role: m.role,
    content: m.sentContent === undefined ? m.content : m.sentContent,
    ...(hasName(m) && m.role !== "tool" ? { name: m.name } : {}),
    ...(m.tool_calls ? { tool_calls: m.tool_calls } : {}),
    ...(m.tool_call_id ? { tool_call_id: m.tool_call_id } : {}),
  };
}
