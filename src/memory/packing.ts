import { noteCounter, pick, renderContextNote } from "./context-note";
import type { Role } from "./conversation";
import type { RecallCandidate } from "./recall";
import { fail, ok, type Result } from "./result";
import type { CountTokens, TokenizerName } from "./tokens";

/** A message as stored: `tokens` counts its content with the conversation's tokenizer. */
export interface PinnedMessage {
  role: Role;
  content: string;
  name?: string | null;
  tokens: number;
  /** When given, recall never repeats this message either. */
  seq?: number;
}

/** An unpinned working-memory message, a candidate for the recent turns. */
export interface RecentTurn extends PinnedMessage {
  seq: number;
}

/** One entry of the returned `messages`, ready for a chat-completions call. */
export interface ContextMessage {
  role: Role;
  content: string;
  name?: string;
}

/** A recalled item as the response lists it (API.md: `recalled[]`). */
export interface RecalledItem {
  kind: "message" | "memory";
  id: string;
  seq?: number;
  text: string;
  score: number;
}

/** `usage` without `tokenizer`, which the caller knows and adds. */
export interface ContextUsage {
  budget: number;
  pinned: number;
  summary: number;
  recalled: number;
  recent: number;
  total: number;
}

export interface PackInput {
  pinned: readonly PinnedMessage[];
  summary: string | null;
  /** Best first (see `fuseRankings`). More than `recallLimit` may be given: some drop out. */
  recalled: readonly RecallCandidate[];
  /** Newest first, read lazily: only as far as the budget reaches, then closed. */
  recentNewestFirst: Iterable<RecentTurn>;
  maxTokens: number;
  /** Cap on `usage.recalled` (overhead included). Default: the share policy below. */
  recallTokens?: number;
  /** At most this many recalled items (API `recall`). Default: no limit. */
  recallLimit?: number;
  /** 0..1, how strongly the query matches old material (`recallStrength`). Default 0. */
  recallStrength?: number;
  count: CountTokens;
}

export interface PackedContext {
  messages: ContextMessage[];
  /** The summary as included in `messages`, or null when absent or left out. */
  summary: string | null;
  recalled: RecalledItem[];
  usage: ContextUsage;
  truncated: boolean;
}

/** The context endpoint's answer (API.md, Context). */
export interface ContextResponse extends Omit<PackedContext, "usage"> {
  usage: PackedContext["usage"] & { tokenizer: TokenizerName };
}

/** Per-message overhead of chat formatting (API.md, Token counts). */
export const MESSAGE_OVERHEAD = 3;
export const NAME_OVERHEAD = 1;

/**
 * The default recall share of the budget left after pinned messages and the summary:
 * a quarter for a chat that continues, growing linearly with `recallStrength` up to a
 * half for a question that matches old material strongly. What recall leaves unused
 * goes to recent turns; when the recent turns run out first, their leftover goes back
 * to recall.
 */
export const RECALL_SHARE = { base: 0.25, max: 0.5 } as const;

const hasName = (m: { name?: string | null }): m is { name: string } =>
  typeof m.name === "string" && m.name.length > 0;

/** What a message costs in a context: its content tokens plus chat-format overhead. */
export function messageCost(tokens: number, name?: string | null): number {
  return tokens + MESSAGE_OVERHEAD + (hasName({ name }) ? NAME_OVERHEAD : 0);
}

/**
 * Packs pinned messages, the summary, recalled items and recent turns into `maxTokens`.
 *
 * Order of decisions (each step only uses what the earlier ones fixed):
 * 1. Pinned messages all go in; if they alone exceed the budget: `invalid_request` on
 *    `maxTokens`.
 * 2. The newest recent turn — usually the question being answered — outranks summary and
 *    recall: they only get what is left once it is reserved (if it fits at all).
 * 3. The summary goes in whole if it fits in that room, else it is left out.
 * 4. Recall gets a cap R: `recallTokens`, else the share policy (RECALL_SHARE).
 * 5. Recent turns, newest first, fill the budget minus R (pass A).
 * 6. Recalled items, best first, go in while the recalled part stays within R, skipping
 *    messages already chosen as recent turns (by seq) and pinned ones.
 * 7. Recent turns continue into whatever recall left unused (pass B). They stop at the
 *    first turn that does not fit or that is already recalled, so recent turns stay a
 *    contiguous newest suffix and no item appears twice.
 * 8. Without `recallTokens`, if every recent turn went in, recall may use the rest.
 *
 * Accounting: every message costs `tokens(content) + 3` (+1 with `name`); pinned and
 * recent turns use their stored `tokens`. The system message's cost is split exactly:
 * `usage.summary` is what the message would cost with the summary alone (overhead
 * included), `usage.recalled` is the rest of its cost — all of it when there is no
 * summary. So pinned + summary + recalled + recent = total ≤ maxTokens.
 */
export function packContext(input: PackInput): Result<PackedContext> {
  const { count, maxTokens } = input;
  const pinnedCost = input.pinned.reduce((sum, m) => sum + messageCost(m.tokens, m.name), 0);
  if (pinnedCost > maxTokens) {
    return fail(
      "invalid_request",
      `maxTokens ${maxTokens} is smaller than the pinned messages, which take ${pinnedCost} tokens.`,
      "maxTokens",
    );
  }

  const iterator = input.recentNewestFirst[Symbol.iterator]();
  try {
    const recent: RecentTurn[] = []; // newest first
    const recentSeqs = new Set<number>();
    let recentCost = 0;
    let pending: RecentTurn | undefined;
    let exhausted = false;
    const peek = (): RecentTurn | undefined => {
      if (pending === undefined && !exhausted) {
        const next = iterator.next();
        if (next.done) exhausted = true;
        else pending = next.value;
      }
      return pending;
    };
    const takeRecent = (budget: number, recalledSeqs: ReadonlySet<number>) => {
      for (let turn = peek(); turn !== undefined; turn = peek()) {
        const cost = messageCost(turn.tokens, turn.name);
        if (recentCost + cost > budget || recalledSeqs.has(turn.seq)) return;
        recent.push(turn);
        recentSeqs.add(turn.seq);
        recentCost += cost;
        pending = undefined;
      }
    };

    const afterPinned = maxTokens - pinnedCost;
    const newest = peek();
    const newestCost = newest ? messageCost(newest.tokens, newest.name) : 0;
    const reserved = newestCost <= afterPinned ? newestCost : 0;

    const summaryText = input.summary?.trim() || null;
    const summaryAlone = summaryText ? count(renderContextNote(summaryText, [])) + 3 : 0;
    const summary = summaryText && summaryAlone <= afterPinned - reserved ? summaryText : null;
    const summaryCost = summary ? summaryAlone : 0;
    const room = afterPinned - summaryCost; // for recall and recent turns

    const share =
      RECALL_SHARE.base +
      (RECALL_SHARE.max - RECALL_SHARE.base) * clamp01(input.recallStrength ?? 0);
    const policyCap = input.recallTokens ?? Math.floor(room * share);
    const recallCap = Math.max(0, Math.min(policyCap, room - reserved));

    takeRecent(room - recallCap, new Set()); // pass A

    const pinnedSeqs = new Set(input.pinned.flatMap((m) => (m.seq === undefined ? [] : [m.seq])));
    const limit = input.recallLimit ?? Number.POSITIVE_INFINITY;
    const chosen: number[] = []; // indices into input.recalled, kept in rank order
    const recalledSeqs = new Set<number>();
    const chosenKeys = new Set<string>(); // a candidate listed twice goes in once
    const note = noteCounter(count, summary, input.recalled);
    let recalledCost = 0;

    const chooseRecall = (cap: number) => {
      for (let i = 0; i < input.recalled.length && chosen.length < limit; i++) {
        const item = input.recalled[i];
        if (!item || chosen.includes(i) || chosenKeys.has(`${item.kind}:${item.id}`)) continue;
        if (item.kind === "message" && item.seq !== undefined) {
          if (recentSeqs.has(item.seq) || pinnedSeqs.has(item.seq)) continue;
        }
        // Cheap rejection first; the exact recount below decides (BPE is not additive).
        if (note.lineTokens(i) > cap - recalledCost + 8) continue;
        const trial = [...chosen, i].sort((a, b) => a - b);
        const cost = note.tokens(trial) + MESSAGE_OVERHEAD - summaryCost;
        if (cost > cap) continue;
        chosen.splice(0, chosen.length, ...trial);
        recalledCost = cost;
        chosenKeys.add(`${item.kind}:${item.id}`);
        if (item.kind === "message" && item.seq !== undefined) recalledSeqs.add(item.seq);
      }
    };

    chooseRecall(recallCap);
    takeRecent(room - recalledCost, recalledSeqs); // pass B
    if (input.recallTokens === undefined && peek() === undefined) {
      chooseRecall(room - recentCost);
    }

    const items = pick(input.recalled, chosen);
    const messages: ContextMessage[] = input.pinned.map(toContextMessage);
    if (summary || items.length > 0) {
      messages.push({ role: "system", content: renderContextNote(summary, items) });
    }
    for (let i = recent.length - 1; i >= 0; i--) {
      const turn = recent[i];
      if (turn) messages.push(toContextMessage(turn));
    }
    const total = pinnedCost + summaryCost + recalledCost + recentCost;
    return ok({
      messages,
      summary,
      recalled: items.map(toRecalledItem),
      usage: {
        budget: maxTokens,
        pinned: pinnedCost,
        summary: summaryCost,
        recalled: recalledCost,
        recent: recentCost,
        total,
      },
      truncated: peek() !== undefined,
    });
  } finally {
    // Lets a generator streaming rows from storage release its cursor.
    iterator.return?.();
  }
}

function clamp01(x: number): number {
  return Number.isFinite(x) ? Math.min(1, Math.max(0, x)) : 0;
}

function toContextMessage(m: PinnedMessage): ContextMessage {
  return hasName(m)
    ? { role: m.role, content: m.content, name: m.name }
    : { role: m.role, content: m.content };
}

function toRecalledItem(item: RecallCandidate): RecalledItem {
  const { kind, id, seq, text, score } = item;
  return kind === "message" && seq !== undefined
    ? { kind, id, seq, text, score }
    : { kind, id, text, score };
}
