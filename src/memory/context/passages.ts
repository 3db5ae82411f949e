import type { Role } from "../conversation";
import { oneLine } from "../text";
import type { CountTokens } from "../tokens";
import { excerptTokens } from "./excerpt";
import type { RecallCandidate } from "./recall";

/** An archived message as recall can quote it. */
export interface RecallTurn {
  seq: number;
  id: string;
  role: Role;
  name?: string | null;
  content: string;
  createdAt: string;
}

/**
 * A unit recall may pack: one message turn (a search hit, or a turn next to one) or one
 * memory. `value` is the expected use of having it in context; the packer takes units by
 * value per token.
 */
export interface RecallUnit {
  key: string;
  kind: "message" | "memory";
  id: string;
  seq?: number;
  text: string;
  /** Fused score of the hit, or of the hit this turn stands next to. */
  score: number;
  value: number;
  /** True for search hits and memories (they count against `recall`); false for neighbours. */
  hit: boolean;
  /** The message's whole text when `text` is an excerpt of it (`excerptOf`). */
  whole?: string;
  turn?: RecallTurn;
  createdAt?: string;
}

/**
 * How much a hit at `rank` (1-based, after fusion) is worth: a Zipf-like decay that only
 * uses the order, since fused scores say how items rank, not how good they are.
 */
export const rankValue = (rank: number) => 1 / (1 + (rank - 1) / 4);

/**
 * A turn next to a hit is worth this share of the hit: in dialogue the words of a
 * question and its answer are in two turns, and the date and speaker of a reply are only
 * clear with the turn it answers.
 */
export const NEIGHBOUR_SHARE = 0.4;
/** Turns on each side of a hit that may come with it (merged with adjacent windows). */
export const PASSAGE_WINDOW = 1;

/**
 * The units recall may pack: every candidate (best first), and for each message hit the
 * turns within PASSAGE_WINDOW on either side whose bodies were read (`turns`). Turns in
 * `excluded` (pinned, already recent) never become units.
 */
export function recallUnits(
  candidates: readonly RecallCandidate[],
  turns: ReadonlyMap<number, RecallTurn>,
  excluded: ReadonlySet<number>,
): RecallUnit[] {
  const units = new Map<string, RecallUnit>();
  candidates.forEach((candidate, index) => {
    const value = rankValue(index + 1);
    if (candidate.kind === "memory" || candidate.seq === undefined) {
      units.set(`memory:${candidate.id}`, {
        key: `memory:${candidate.id}`,
        kind: candidate.kind,
        id: candidate.id,
        text: candidate.text,
        score: candidate.score,
        value,
        hit: true,
        createdAt: candidate.createdAt,
      });
      return;
    }
    if (excluded.has(candidate.seq)) return;
    const key = `seq:${candidate.seq}`;
    const turn = turns.get(candidate.seq) ?? turnOf(candidate);
    const existing = units.get(key);
    if (existing?.hit) return;
    // A neighbour that is itself a hit stands on its own.
    units.set(key, {
      ...messageUnit(turn, candidate.score, Math.max(value, existing?.value ?? 0)),
      hit: true,
    });
    for (let d = 1; d <= PASSAGE_WINDOW; d++) {
      for (const seq of [candidate.seq - d, candidate.seq + d]) {
        const near = turns.get(seq);
        if (!near || excluded.has(seq) || units.get(`seq:${seq}`)?.hit) continue;
        const share = value * NEIGHBOUR_SHARE ** d;
        const held = units.get(`seq:${seq}`);
        if (held && held.value >= share) continue;
        units.set(`seq:${seq}`, {
          ...messageUnit(near, candidate.score, share),
          hit: false,
        });
      }
    }
  });
  return [...units.values()];
}

function messageUnit(turn: RecallTurn, score: number, value: number): RecallUnit {
  return {
    key: `seq:${turn.seq}`,
    kind: "message",
    id: turn.id,
    seq: turn.seq,
    text: turn.content,
    score,
    value,
    hit: false,
    turn,
    createdAt: turn.createdAt,
  };
}

function turnOf(candidate: RecallCandidate): RecallTurn {
  return {
    seq: candidate.seq as number,
    id: candidate.id,
    role: candidate.role ?? "user",
    name: candidate.name,
    content: candidate.text,
    createdAt: candidate.createdAt ?? "",
  };
}

/** Who said a turn, as its line starts: the name when it has one, else the role. */
/** A name is one line too: it is user text, and must not start a line of the note. */
export const speakerOf = (turn: Pick<RecallTurn, "role" | "name">) =>
  turn.name ? oneLine(turn.name) || turn.role : turn.role;

/** The line of one unit in the context note. */
export const unitLine = (unit: RecallUnit) =>
  unit.turn ? `${speakerOf(unit.turn)}: ${unitText(unit)}` : `- ${unitText(unit)}`;

/**
 * Chooses what recall packs, by value per token until `cap` tokens (estimated from each
 * line's own count) or `limit` hits. The choices are passages: a hit with the turns
 * around it (memories stand alone), valued by the hit's rank and costing only the lines
 * not already chosen, so adjacent hits that share turns come cheap. A passage that does
 * not fit whole may still send its hit alone, and a hit too long for the room the part of
 * it the query is about (`excerpt`, at most `excerptTokens` of the room). No text already
 * in the context (`seen`, normalised) is chosen. The caller renders the choice and counts
 * it exactly.
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
  /** The turns within PASSAGE_WINDOW of a hit, whichever hit brought them. */
  const around = (hit: RecallUnit): RecallUnit[] => {
    if (hit.seq === undefined) return [];
    const near: RecallUnit[] = [];
    for (let d = -PASSAGE_WINDOW; d <= PASSAGE_WINDOW; d++) {
      const unit = d === 0 ? undefined : bySeq.get(hit.seq + d);
      // A neighbour that is itself a hit is a passage of its own (and counts as a hit).
      if (unit && !unit.hit) near.push(unit);
    }
    return near;
  };
  const fresh = (unit: RecallUnit) => !keys.has(unit.key) && !texts.has(unitText(unit));
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
  // sized by the room left the first time it is asked for.
  const excerpts = new Map<RecallUnit, RecallUnit | null>();
  const excerptOf = (unit: RecallUnit): RecallUnit | null => {
    const most = excerptTokens(options.cap);
    if (!options.excerpt || !unit.turn || lineCost(unit, options.count) <= most) return null;
    if (!excerpts.has(unit)) {
      const frame = costOf([{ ...unit, text: "" }]);
      const text = options.excerpt(unit.text, Math.min(most, options.cap - spent - frame));
      excerpts.set(unit, text === null ? null : { ...unit, text, whole: unit.text });
    }
    return excerpts.get(unit) ?? null;
  };
  for (;;) {
    let best: { members: RecallUnit[]; cost: number; density: number } | undefined;
    for (const unit of units) {
      if (!unit.hit || !fresh(unit) || hits >= options.limit) continue;
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
        const density = value / cost;
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
      if (unit.whole !== undefined) texts.add(oneLine(unit.whole));
      dates.add(dateOf(unit));
    }
    spent += best.cost;
    hits++;
  }
}

/**
 * A unit's text on one line (`oneLine`, which is also `normalise`), kept with the unit:
 * each pass of `chooseUnits` and each rendering of the note asks again for every unit.
 */
const unitTexts = new WeakMap<RecallUnit, string>();
export function unitText(unit: RecallUnit): string {
  let text = unitTexts.get(unit);
  if (text === undefined) {
    text = oneLine(unit.text);
    unitTexts.set(unit, text);
  }
  return text;
}

const lineCosts = new WeakMap<RecallUnit, number>();
function lineCost(unit: RecallUnit, count: CountTokens): number {
  let cost = lineCosts.get(unit);
  if (cost === undefined) {
    cost = count(`${unitLine(unit)}\n`);
    lineCosts.set(unit, cost);
  }
  return cost;
}

export const dateOf = (unit: { createdAt?: string }) =>
  /^\d{4}-\d{2}-\d{2}/.exec(unit.createdAt ?? "")?.[0] ?? "";

/** Text as compared for "sent twice": whitespace folded, case kept. */
export const normalise = oneLine;
