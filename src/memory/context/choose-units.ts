import type { CountTokens } from "../tokens";
import { edgeOf, excerptTokens } from "./excerpt";
import {
  dateOf,
  NEIGHBOUR_SHARE,
  NEIGHBOUR_TOKENS,
  PASSAGE_WINDOW,
  type RecallUnit,
  unitLine,
  unitText,
  wholeText,
} from "./passages";

/**
 * Chooses what recall packs, by value per token until `cap` tokens (estimated from each
 * line's own count) or `limit` hits, a hit's cost counting its slot among the `limit`.
 * The choices are passages: a hit with the turns around it (memories stand alone),
 * valued by the hit's rank and costing only the lines not already chosen, so adjacent
 * hits that share turns come cheap; a turn around a hit longer than NEIGHBOUR_TOKENS
 * comes as its edge nearest the hit. A passage that does not fit whole may still send its
 * hit alone, and a hit too long for the room the part of it the query is about
 * (`excerpt`, at most `excerptTokens` of the room). No text already in the context
 * (`seen`, normalised) is chosen. The caller renders the choice and counts it exactly.
 */
export function chooseUnits(
  units: readonly RecallUnit[],
  options: {
    cap: number;
    limit: number;
    count: CountTokens;
    seen: ReadonlySet<string>;
    /** Already chosen (a second pass continues the first). */
    chosen?: readonly RecallUnit[];
    /** Tokens the chosen units take already (a second pass). */
    spent?: number;
    /** Estimated tokens of the heading line above archived turns and above memories. */
    headings: { turns: number; memories: number };
    /** The part of a message's text the query is about, within a token count (`excerptOf`). */
    excerpt?: (text: string, maxTokens: number) => string | null;
  },
): RecallUnit[] {
  const chosen = [...(options.chosen ?? [])];
  const keys = new Set(chosen.map((u) => u.key));
  const texts = new Set([...options.seen, ...chosen.map(unitText)]);
  const dates = new Set(chosen.map((u) => dateOf(u)));
  let spent = options.spent ?? 0;
  let hits = chosen.filter((u) => u.hit).length;
  const bySeq = new Map(units.flatMap((u) => (u.seq === undefined ? [] : [[u.seq, u] as const])));
  // A turn next to a hit costing more than NEIGHBOUR_TOKENS comes as its edge nearest the
  // hit (`edgeOf`): a long answer's start, a long question's end.
  const edges = new Map<string, RecallUnit>();
  const edge = (unit: RecallUnit, side: "start" | "end"): RecallUnit => {
    if (lineCost(unit, options.count) <= NEIGHBOUR_TOKENS) return unit;
    const key = `${unit.key}:${side}`;
    let cut = edges.get(key);
    if (!cut) {
      const text = edgeOf(unit.text, side, NEIGHBOUR_TOKENS, options.count);
      cut = text === null ? unit : partOf(unit, text);
      edges.set(key, cut);
    }
    return cut;
  };
  /** The turns within PASSAGE_WINDOW of a hit, whichever hit brought them. */
  const around = (hit: RecallUnit): RecallUnit[] => {
    if (hit.seq === undefined) return [];
    const near: RecallUnit[] = [];
    for (let d = -PASSAGE_WINDOW; d <= PASSAGE_WINDOW; d++) {
      const unit = d === 0 ? undefined : bySeq.get(hit.seq + d);
      // A neighbour that is itself a hit is a passage of its own (and counts as a hit).
      if (unit && !unit.hit) near.push(edge(unit, d < 0 ? "end" : "start"));
    }
    return near;
  };
  const fresh = (unit: RecallUnit) =>
    !keys.has(unit.key) && !texts.has(unitText(unit)) && !texts.has(wholeText(unit));
  let hasTurns = chosen.some((u) => u.turn);
  let hasMemories = chosen.some((u) => !u.turn);
  const dateLine = options.count("[2026-01-01]\n");
  /** What adding `members` costs now: their lines, a new day's date line, a first heading. */
  const costOf = (members: readonly RecallUnit[]) => {
    let cost = 0;
    const days = new Set<string>();
    for (const unit of members) {
      cost += lineCost(unit, options.count);
      const day = dateOf(unit);
      if (unit.turn && !dates.has(day) && !days.has(day)) {
        cost += dateLine;
        days.add(day);
      }
    }
    if (members.some((u) => u.turn) && !hasTurns) cost += options.headings.turns;
    if (members.some((u) => !u.turn) && !hasMemories) cost += options.headings.memories;
    return cost;
  };
  // A hit longer than an excerpt may be (`excerptTokens`) may send one when it does not fit,
  // sized by the room left when first asked for, and cut again smaller once that room has
  // shrunk below what the cut costs.
  const excerpts = new Map<
    RecallUnit,
    { room: number; part: RecallUnit | null; frame: RecallUnit }
  >();
  const excerptOf = (unit: RecallUnit): RecallUnit | null => {
    const most = excerptTokens(options.cap);
    if (!options.excerpt || !unit.turn || lineCost(unit, options.count) <= most) return null;
    let cut = excerpts.get(unit);
    if (cut && (!cut.part || spent + costOf([cut.part]) <= options.cap)) return cut.part;
    const frame = cut?.frame ?? { ...unit, text: "" };
    const room = Math.min(most, options.cap - spent - costOf([frame]));
    if (cut && room >= cut.room) return cut.part;
    const text = options.excerpt(unit.text, room);
    cut = { room, frame, part: text === null ? null : partOf(unit, text) };
    excerpts.set(unit, cut);
    return cut.part;
  };
  for (;;) {
    let best: { members: RecallUnit[]; cost: number; density: number } | undefined;
    // Each hit also takes one of `limit` slots: priced at the room left per slot left (a
    // Lagrangian price for the second limit), so when `recall` runs out before the room
    // does, hits are taken by value, not by how cheap they are; with slots to spare the
    // price is small and value per token rules.
    const slot = Number.isFinite(options.limit)
      ? Math.max(0, options.cap - spent) / Math.max(1, options.limit - hits)
      : 0;
    for (const unit of units) {
      if (!unit.hit || !fresh(unit) || hits >= options.limit) continue;
      // Nothing this hit brings can beat the best so far (its value over the slot's price
      // alone bounds its density): skip it before its edges and excerpt are cut.
      if (best && slot > 0 && unit.value / slot <= best.density) continue;
      const whole = [unit, ...around(unit).filter(fresh)];
      // The passage, else the hit alone, else a part of it: the first that fits.
      const choices = [
        () => whole,
        () => (whole.length > 1 ? [unit] : null),
        () => {
          const part = excerptOf(unit);
          return part ? [part] : null;
        },
      ];
      for (const choice of choices) {
        const members = choice();
        if (!members) continue;
        const cost = costOf(members);
        if (spent + cost > options.cap) continue;
        // A hit without the turns around it, or in part, is worth less: they often hold
        // the answer.
        const value = members === whole ? unit.value : unit.value * (1 - NEIGHBOUR_SHARE);
        const density = value / (cost + slot);
        if (!best || density > best.density) best = { members, cost, density };
        break;
      }
    }
    if (!best) return chosen;
    for (const unit of best.members) {
      hasTurns ||= Boolean(unit.turn);
      hasMemories ||= !unit.turn;
      chosen.push(unit);
      keys.add(unit.key);
      texts.add(unitText(unit));
      texts.add(wholeText(unit));
      dates.add(dateOf(unit));
    }
    spent += best.cost;
    hits++;
  }
}

/** The unit quoting `text`, a part of its message (`whole` keeps the message's text). */
const partOf = (unit: RecallUnit, text: string): RecallUnit => ({
  ...unit,
  text,
  whole: unit.text,
});

const lineCosts = new WeakMap<RecallUnit, number>();
function lineCost(unit: RecallUnit, count: CountTokens): number {
  let cost = lineCosts.get(unit);
  if (cost === undefined) {
    cost = count(`${unitLine(unit)}\n`);
    lineCosts.set(unit, cost);
  }
  return cost;
}
