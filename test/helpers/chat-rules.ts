/**
 * The rules OpenAI's chat-completions endpoint enforces on `messages` before it runs a
 * model, as a checker: every broken rule, in OpenAI's words where it has them. Pure, so
 * the fake server (Node) and property tests (workerd) share it.
 */

const ALLOWED_FIELDS: Record<string, readonly string[]> = {
  system: ["role", "content", "name"],
  developer: ["role", "content", "name"],
  user: ["role", "content", "name"],
  assistant: ["role", "content", "name", "tool_calls", "refusal", "audio", "function_call"],
  tool: ["role", "content", "tool_call_id"],
};

export function chatRequestErrors(body: unknown): string[] {
  const messages = (body as { messages?: unknown })?.messages;
  if (!Array.isArray(messages) || messages.length === 0) {
    return ["'messages' must be a non-empty array"];
  }
  const errors: string[] = [];
  /** Calls of the last assistant message with tool_calls, while its tool answers run. */
  let open: { at: number; ids: Set<string>; answered: Set<string> } | null = null;
  const closeOpen = () => {
    if (!open) return;
    const missing = [...open.ids].filter((id) => !open?.answered.has(id));
    if (missing.length > 0) {
      errors.push(
        `messages[${open.at}]: An assistant message with 'tool_calls' must be followed by tool messages responding to each 'tool_call_id'. The following tool_call_ids did not have response messages: ${missing.join(", ")}`,
      );
    }
    open = null;
  };
  messages.forEach((message: any, i) => {
    const at = `messages[${i}]`;
    const allowed = ALLOWED_FIELDS[message?.role];
    if (!allowed) {
      errors.push(
        `${at}.role: '${message?.role}' is not one of ${Object.keys(ALLOWED_FIELDS).join(", ")}`,
      );
      closeOpen();
      return;
    }
    for (const key of Object.keys(message)) {
      if (!allowed.includes(key))
        errors.push(`${at}: Additional properties are not allowed ('${key}' was unexpected)`);
    }
    const content = message.content;
    const hasCalls = Array.isArray(message.tool_calls) && message.tool_calls.length > 0;
    if (content === null || content === undefined) {
      if (!(message.role === "assistant" && hasCalls))
        errors.push(`${at}.content: expected a string or an array of parts`);
    } else if (typeof content !== "string" && !Array.isArray(content)) {
      errors.push(`${at}.content: expected a string or an array of parts`);
    }
    if (message.role === "tool") {
      if (typeof message.tool_call_id !== "string") errors.push(`${at}.tool_call_id: required`);
      if (!open) {
        errors.push(
          `${at}: messages with role 'tool' must be a response to a preceeding message with 'tool_calls'`,
        );
      } else if (!open.ids.has(message.tool_call_id)) {
        errors.push(
          `${at}: tool_call_id ${message.tool_call_id} answers no call of messages[${open.at}]`,
        );
      } else {
        open.answered.add(message.tool_call_id);
      }
      return;
    }
    closeOpen();
    if (message.tool_calls !== undefined) {
      if (!hasCalls) errors.push(`${at}.tool_calls: must be a non-empty array`);
      for (const [j, call] of (hasCalls ? message.tool_calls : []).entries()) {
        if (
          typeof call?.id !== "string" ||
          call?.type !== "function" ||
          typeof call?.function?.name !== "string" ||
          typeof call?.function?.arguments !== "string"
        ) {
          errors.push(
            `${at}.tool_calls[${j}]: expected { id, type: "function", function: { name, arguments } }`,
          );
        }
      }
      if (hasCalls) {
        open = {
          at: i,
          ids: new Set(message.tool_calls.map((c: any) => c?.id)),
          answered: new Set(),
        };
      }
    }
  });
  closeOpen();
  return errors;
}

interface WithBlocks {
  role: string;
  content?: unknown;
  sentContent?: unknown;
}
/** The content blocks of a message, as stored (`sentContent`) or as returned (`content`). */
const blocksOf = (m: WithBlocks | undefined): Record<string, unknown>[] => {
  const parts = m ? (Array.isArray(m.sentContent) ? m.sentContent : m.content) : undefined;
  return Array.isArray(parts) ? parts : [];
};
const blockIds = (m: WithBlocks | undefined, type: string, key: string) =>
  blocksOf(m)
    .filter((p) => p.type === type)
    .map((p) => p[key] as string);

const BLOCKS = {
  anthropic: { call: ["tool_use", "id"], result: ["tool_result", "tool_use_id"] },
  "ai-sdk": { call: ["tool-call", "toolCallId"], result: ["tool-result", "toolCallId"] },
} as const;

/**
 * The pairing rules of tool calls in content parts — Anthropic's Messages API (`tool_use`,
 * `tool_result`) or the Vercel AI SDK (`tool-call`, `tool-result`): each call of a message
 * has its result in the message right after it, and each result answers a call of the
 * message right before it.
 */
export function toolBlockErrors(
  messages: readonly WithBlocks[],
  format: keyof typeof BLOCKS = "anthropic",
): string[] {
  const [call, callKey] = BLOCKS[format].call;
  const [result, resultKey] = BLOCKS[format].result;
  const errors: string[] = [];
  messages.forEach((m, i) => {
    const answered = blockIds(messages[i + 1], result, resultKey);
    for (const id of blockIds(m, call, callKey)) {
      if (!answered.includes(id)) errors.push(`messages[${i}]: ${call} ${id} without ${result}`);
    }
    const asked = blockIds(messages[i - 1], call, callKey);
    for (const id of blockIds(m, result, resultKey)) {
      if (!asked.includes(id)) errors.push(`messages[${i}]: ${result} ${id} without ${call}`);
    }
  });
  return errors;
}

/**
 * The pairing rules of OpenAI's Responses API `input`: each call item (`function_call`, …)
 * has an `*_output` item with its `call_id` after it and each output a call before it;
 * reasoning is followed by an item of the model's, and an item that came with reasoning
 * (`needsReasoning` gives that reasoning's id) is sent with it. An item without `type`
 * must be a plain message (`role`, `content`).
 */
export function responseInputErrors(
  input: readonly Record<string, any>[],
  needsReasoning: (item: Record<string, any>) => string | null = () => null,
): string[] {
  const errors: string[] = [];
  const calls = new Set<string>();
  const sent = new Set(input.map((item) => item.id).filter(Boolean));
  input.forEach((item, i) => {
    const at = `input[${i}]`;
    if (item.type === undefined) {
      const extra = Object.keys(item).filter((k) => !["role", "content"].includes(k));
      if (extra.length > 0) errors.push(`${at}: unknown parameter ${extra.join(", ")}`);
      return;
    }
    const answer = item.type.endsWith("_output");
    if (!answer && typeof item.call_id === "string") calls.add(item.call_id);
    if (answer && !calls.has(item.call_id)) {
      errors.push(
        `${at}: No tool call found for function call output with call_id ${item.call_id}`,
      );
    }
    if (item.type === "reasoning" && input[i + 1]?.type === undefined) {
      errors.push(
        `${at}: Item '${item.id}' of type 'reasoning' was provided without its required following item`,
      );
    }
    const reasoning = needsReasoning(item);
    if (reasoning && !sent.has(reasoning)) {
      errors.push(
        `${at}: Item '${item.id}' was provided without its required 'reasoning' item: '${reasoning}'`,
      );
    }
  });
  const answered = new Set(
    input.filter((item) => item.type?.endsWith("_output")).map((item) => item.call_id),
  );
  for (const id of calls) {
    if (!answered.has(id)) errors.push(`No tool output found for function call ${id}`);
  }
  return errors;
}
