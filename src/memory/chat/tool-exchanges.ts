/**
 * OpenAI's ordering rules for tool calls, as units a packer can take or leave whole:
 * an `assistant` message with `tool_calls` must be followed at once by a `tool` message
 * answering each call, and a `tool` message must answer a call of the assistant message
 * just before its run of tool messages. Chat-completions rejects a request otherwise.
 *
 * Anthropic's Messages API, whose content blocks are stored as content parts, pairs them
 * otherwise: an `assistant` message with `tool_use` blocks must be followed at once by a
 * `user` message with a `tool_result` block for each, and a `tool_result` must answer a
 * `tool_use` of the message just before it. The same units keep those rules too.
 */

/** What the grouping reads of a turn; any turn type carrying these fields will do. */
export interface ChatTurnShape {
  role: string;
  tool_calls?: readonly { id: string }[] | null;
  tool_call_id?: string | null;
  /** Content parts as sent: Anthropic's `tool_use` and `tool_result` blocks among them. */
  sentContent?: readonly { type: string; [key: string]: unknown }[] | null;
}

/**
 * Groups turns, given newest first, into the units a context may hold: a single message,
 * an assistant message with `tool_calls` together with the tool messages answering it, or
 * an assistant message with `tool_use` blocks together with the user message holding
 * their `tool_result` blocks (each unit in chronological order, units newest first). Lazy:
 * it reads only as far as the units taken. Nothing that would break the rules is yielded:
 * - a tool message without its call (the call is not just before its run of tool messages,
 *   or does not name its `tool_call_id`) is dropped, as is a second answer to one call;
 * - an assistant message whose calls are not all answered is dropped with its answers
 *   (typically the newest turn, while the app is still running the tool);
 * - a message of `tool_result` blocks is dropped unless the message before it holds
 *   exactly their `tool_use` blocks, and a message of `tool_use` blocks unless the message
 *   after it answers them all.
 * Every unit of more than one message is a tool exchange (`isToolExchange`).
 */
export function* toolExchangeUnits<T extends ChatTurnShape>(
  newestFirst: Iterable<T>,
): Generator<T[]> {
  /** The run of tool messages seen since the last other message, newest first. */
  let answers: T[] = [];
  /** A message of tool_result blocks, waiting for the tool_use message just before it. */
  let results: T | null = null;
  for (const turn of newestFirst) {
    const waiting = results;
    results = null;
    const uses = blockIds(turn, "assistant", "tool_use", "id");
    if (
      waiting &&
      uses.length > 0 &&
      sameIds(uses, blockIds(waiting, "user", "tool_result", "tool_use_id"))
    ) {
      answers = [];
      yield [turn, waiting];
      continue;
    }
    if (uses.length > 0) {
      answers = [];
      continue;
    }
    if (blockIds(turn, "user", "tool_result", "tool_use_id").length > 0) {
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

/** Whether a unit of `toolExchangeUnits` is a tool exchange rather than one message. */
export const isToolExchange = (unit: readonly unknown[]) => unit.length > 1;

/** The ids a message's content blocks of `type` carry in `key`, when `role` sent it. */
function blockIds(turn: ChatTurnShape, role: string, type: string, key: string): string[] {
  if (turn.role !== role || !Array.isArray(turn.sentContent)) return [];
  return turn.sentContent.flatMap((part) =>
    part.type === type && typeof part[key] === "string" ? [part[key] as string] : [],
  );
}

const sameIds = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && new Set(a).size === a.length && a.every((id) => b.includes(id));
