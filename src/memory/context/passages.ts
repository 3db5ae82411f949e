import { isToolOutput } from "../chat/messages";
import type { Role } from "../conversation";
import { oneLine } from "../text";
import type { RecallCandidate } from "./recall";

/** An archived message as recall can quote it. */
export interface RecallTurn {
  seq: number;
  id: string;
  role: Role;
  name?: string | null;
  content: string;
  createdAt: string;
  /** The content as sent, when not a string: tells a tool's output (`isToolOutput`). */
  sentContent?: readonly { type: string; [key: string]: unknown }[] | null;
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
  /** The message's whole text when `text` is an excerpt of it (`excerpter`). */
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
/** A turn next to a hit longer than this comes as its edge nearest the hit (`edgeOf`). */
export const NEIGHBOUR_TOKENS = 64;

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

/**
 * Who said a turn, as the context note names them: a tool's output is the tool's, though
 * Anthropic's format sends it in a `user` message — the model must not take it for the
 * user's words.
 */
export const noteSpeakerOf = (turn: Pick<RecallTurn, "role" | "name" | "sentContent">) =>
  isToolOutput(turn) ? "tool" : speakerOf(turn);

/** The line of one unit in the context note. */
export const unitLine = (unit: RecallUnit) =>
  unit.turn ? `${noteSpeakerOf(unit.turn)}: ${unitText(unit)}` : `- ${unitText(unit)}`;

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

/** The whole message's text on one line when a unit quotes part of it (`unitText` else). */
const wholeTexts = new WeakMap<RecallUnit, string>();
export function wholeText(unit: RecallUnit): string {
  if (unit.whole === undefined) return unitText(unit);
  let text = wholeTexts.get(unit);
  if (text === undefined) {
    text = oneLine(unit.whole);
    wholeTexts.set(unit, text);
  }
  return text;
}

export const dateOf = (unit: { createdAt?: string }) =>
  /^\d{4}-\d{2}-\d{2}/.exec(unit.createdAt ?? "")?.[0] ?? "";

/** Text as compared for "sent twice": whitespace folded, case kept. */
export const normalise = oneLine;
