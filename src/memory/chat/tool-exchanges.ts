/**
 * OpenAI's ordering rules for tool calls, as units a packer can take or leave whole:
 * an `assistant` message with `tool_calls` must be followed at once by a `tool` message
 * answering each call, and a `tool` message must answer a call of the assistant message
 * just before its run of tool messages. Chat-completions rejects a request otherwise.
 */

/** What the grouping reads of a turn; any turn type carrying these fields will do. */
export interface ChatTurnShape {
  role: string;
  tool_calls?: readonly { id: string }[] | null;
  tool_call_id?: string | null;
}

/**
 * Groups turns, given newest first, into the units a context may hold: a single message,
 * or an assistant message with `tool_calls` together with the tool messages answering it
 * (each unit in chronological order, units newest first). Lazy: it reads only as far as
 * the units taken. Nothing that would break the rules is yielded:
 * - a tool message without its call (the call is not just before its run of tool messages,
 *   or does not name its `tool_call_id`) is dropped, as is a second answer to one call;
 * - an assistant message whose calls are not all answered is dropped with its answers
 *   (typically the newest turn, while the app is still running the tool).
 */
export function* toolExchangeUnits<T extends ChatTurnShape>(
  newestFirst: Iterable<T>,
): Generator<T[]> {
  /** The run of tool messages seen since the last other message, newest first. */
  let answers: T[] = [];
  for (const turn of newestFirst) {
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
