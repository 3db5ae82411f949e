/**
 * OpenAI's ordering rules for tool calls, as units a packer can take or leave whole:
 * an `assistant` message with `tool_calls` must be followed at once by a `tool` message
 * answering each call, and a `tool` message must answer a call of the assistant message
 * just before its run of tool messages. Chat-completions rejects a request otherwise.
 *
 * Two other formats carry tool calls in content parts, stored as sent, and pair a message
 * of calls with the one message after it holding a result for each (`BLOCK_FORMATS`):
 * Anthropic's Messages API (`tool_use` blocks, then a `user` message of `tool_result`
 * blocks) and the Vercel AI SDK's model messages (`tool-call` parts, then a `tool` message
 * of `tool-result` parts). A result must answer a call of the message just before it, and
 * a call left without its result breaks the request. The same units keep those rules too.
 *
 * OpenAI's Responses API items (`response-items.ts`) pair the same way: a run of call
 * items (`function_call`, …), then the app's `*_output` items answering each `call_id`.
 * Reasoning goes with the model's items after it (`withReasoning`).
 */

import {
  isReasoning,
  itemAnswerId,
  itemCallId,
  itemRole,
  type ResponseItem,
} from "./response-items";

/** Where each content-part format puts its calls and their results. */
const BLOCK_FORMATS = [
  {
    calls: { role: "assistant", type: "tool_use", key: "id" },
    results: { role: "user", type: "tool_result", key: "tool_use_id" },
  },
  {
    calls: { role: "assistant", type: "tool-call", key: "toolCallId" },
    results: { role: "tool", type: "tool-result", key: "toolCallId" },
  },
] as const;

/** What the grouping reads of a turn; any turn type carrying these fields will do. */
export interface ChatTurnShape {
  role: string;
  tool_calls?: readonly { id: string }[] | null;
  tool_call_id?: string | null;
  /** Content parts as sent: Anthropic's `tool_use` and `tool_result` blocks among them. */
  sentContent?: readonly { type: string; [key: string]: unknown }[] | null;
  /** A Responses API item, as sent. */
  item?: ResponseItem | null;
}

/**
 * Groups turns, given newest first, into the units a context may hold: a single message,
 * an assistant message with `tool_calls` together with the tool messages answering it, or
 * a message of call parts together with the message of their results (each unit in
 * chronological order, units newest first). Lazy:
 * it reads only as far as the units taken. Nothing that would break the rules is yielded:
 * - a tool message without its call (the call is not just before its run of tool messages,
 *   or does not name its `tool_call_id`) is dropped, as is a second answer to one call;
 * - an assistant message whose calls are not all answered is dropped with its answers
 *   (typically the newest turn, while the app is still running the tool);
 * - a message of result parts is dropped unless the message before it holds exactly
 *   their calls, and a message of call parts unless the message after it answers them
 *   all (calls a message answers itself, as the AI SDK's provider-run tools, need none).
 * Every unit of more than one message is a tool exchange (`isToolExchange`), but for an
 * item with only its reasoning before it.
 */
export function toolExchangeUnits<T extends ChatTurnShape>(
  newestFirst: Iterable<T>,
): Generator<T[]> {
  return withReasoning(messageUnits(itemExchanges(newestFirst)));
}

function* messageUnits<T extends ChatTurnShape>(newestFirst: Iterable<T | T[]>): Generator<T[]> {
  /** The run of tool messages seen since the last other message, newest first. */
  let answers: T[] = [];
  /** A message of tool_result blocks, waiting for the tool_use message just before it. */
  let results: T | null = null;
  for (const entry of newestFirst) {
    if (Array.isArray(entry)) {
      answers = [];
      results = null;
      yield entry;
      continue;
    }
    const turn = entry;
    const waiting = results;
    results = null;
    const asked = openCalls(turn);
    if (waiting && asked.length > 0 && sameIds(asked, resultIds(waiting))) {
      answers = [];
      yield [turn, waiting];
      continue;
    }
    if (asked.length > 0) {
      answers = [];
      continue;
    }
    if (resultIds(turn).length > 0) {
      answers = [];
      results = turn;
      continue;
    }
    if (turn.role === "tool") {
      answers.push(turn);
      continue;
    }
    const calls = turn.role === "assistant" ? (turn.tool_calls ?? []) : [];
    if (calls.length > 0) {
      const unit = answering(turn, calls, answers);
      answers = [];
      if (unit) yield unit;
      continue;
    }
    answers = [];
    yield [turn];
  }
}

/** The exchange of `call` and the run of tool messages after it, or null if incomplete. */
function answering<T extends ChatTurnShape>(
  call: T,
  calls: readonly { id: string }[],
  runNewestFirst: T[],
): T[] | null {
  const ids = new Set(calls.map((c) => c.id));
  const answered = new Set<string>();
  const unit: T[] = [call];
  for (const answer of [...runNewestFirst].reverse()) {
    const id = answer.tool_call_id;
    if (!id || !ids.has(id) || answered.has(id)) continue;
    answered.add(id);
    unit.push(answer);
  }
  return answered.size === ids.size ? unit : null;
}

/**
 * Whether a unit of `toolExchangeUnits` is a tool exchange rather than one message (with
 * the reasoning it came with, when it is a Responses API item).
 */
export const isToolExchange = (unit: readonly ChatTurnShape[]) =>
  unit.slice(0, -1).some((turn) => !turn.item || !isReasoning(turn.item));

interface PartKind {
  role: string;
  type: string;
  key: string;
}

/** The ids a message's content parts of a kind carry, when that kind's role sent it. */
function partIds(turn: ChatTurnShape, kind: PartKind): string[] {
  if (turn.role !== kind.role || !Array.isArray(turn.sentContent)) return [];
  return turn.sentContent.flatMap((part) =>
    part.type === kind.type && typeof part[kind.key] === "string" ? [part[kind.key] as string] : [],
  );
}

/** The calls of a message that it does not answer itself, in any content-part format. */
function openCalls(turn: ChatTurnShape): string[] {
  return BLOCK_FORMATS.flatMap((format) => {
    const own = partIds(turn, { ...format.results, role: turn.role });
    return partIds(turn, format.calls).filter((id) => !own.includes(id));
  });
}

/** The ids a message answers, in any content-part format. */
const resultIds = (turn: ChatTurnShape) =>
  BLOCK_FORMATS.flatMap((format) => partIds(turn, format.results));

const sameIds = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && new Set(a).size === a.length && a.every((id) => b.includes(id));

/**
 * Passes turns on, newest first, with each complete exchange of Responses API items as
 * one array: the run of call items (reasoning among them) in order, then their answers.
 * An answer without its call and a run of calls not all answered are dropped (the run's
 * reasoning passes on, for the model's items after it).
 */
function* itemExchanges<T extends ChatTurnShape>(newestFirst: Iterable<T>): Generator<T | T[]> {
  /** Answer items since the last other turn, newest first. */
  let answers: T[] = [];
  /** The run of call items (and reasoning between them) before those answers, newest first. */
  let run: T[] = [];
  /** The run as one exchange; if not all answered, only its reasoning, for the items after it. */
  const close = (): (T | T[])[] => {
    const unit = run.length > 0 ? answeredRun(run, answers) : null;
    const left = unit ? [unit] : run.filter((turn) => turn.item && isReasoning(turn.item));
    run = [];
    answers = [];
    return left;
  };
  for (const turn of newestFirst) {
    const item = turn.item;
    if (item && itemCallId(item) !== null) {
      run.push(turn);
      continue;
    }
    if (item && isReasoning(item) && run.length > 0) {
      run.push(turn);
      continue;
    }
    const answer = item ? itemAnswerId(item) !== null : false;
    // The run before these answers ended (or answers came without a run: dropped).
    if (run.length > 0 || !answer) yield* close();
    if (answer) answers.push(turn);
    else yield turn;
  }
  yield* close();
}

/** The run and its answers in order, when every call is answered exactly once; else null. */
function answeredRun<T extends ChatTurnShape>(runNewestFirst: T[], answersNewestFirst: T[]) {
  const calls = runNewestFirst.flatMap((turn) => (turn.item ? [itemCallId(turn.item)] : []));
  const ids = new Set(calls.filter((id) => id !== null));
  const unit = [...runNewestFirst].reverse();
  const answered = new Set<string>();
  for (const answer of [...answersNewestFirst].reverse()) {
    const id = answer.item ? itemAnswerId(answer.item) : null;
    if (id === null || !ids.has(id) || answered.has(id)) continue;
    answered.add(id);
    unit.push(answer);
  }
  return answered.size === ids.size ? unit : null;
}

/**
 * Joins a reasoning item to the model's items after it — a message, calls with their
 * outputs — up to the next turn that is not the model's: the Responses API refuses
 * reasoning sent without the item after it, and a reasoning model's call or message sent
 * without its reasoning. Reasoning with nothing of the model's after it yet is left out.
 * Only the model's items wait for what comes before them, so chat messages are still read
 * no further than the units taken.
 */
function* withReasoning<T extends ChatTurnShape>(newestFirst: Iterable<T[]>): Generator<T[]> {
  /** The model's units since the last other unit, newest first, waiting for their reasoning. */
  let waiting: T[][] = [];
  /** Those units joined with the reasoning before them (more reasoning may come before it). */
  let reasoned: T[] | null = null;
  for (const unit of newestFirst) {
    const [first] = unit;
    if (unit.length === 1 && first?.item && isReasoning(first.item)) {
      if (waiting.length > 0) reasoned = [first, ...waiting.reverse().flat()];
      else if (reasoned) reasoned = [first, ...reasoned];
      waiting = [];
      continue;
    }
    if (reasoned) yield reasoned;
    reasoned = null;
    if (first?.item && itemRole(first.item) === "assistant") {
      waiting.push(unit);
      continue;
    }
    yield* waiting;
    waiting = [];
    yield unit;
  }
  if (reasoned) yield reasoned;
  yield* waiting;
}
