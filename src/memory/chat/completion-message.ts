import type { ContentPart, MessageContent } from "./messages";

/**
 * What a chat-completions *response* puts on an assistant message (`choice.message`)
 * besides the fields a request takes. Apps append the model's message as the SDK returns
 * it, so these are taken, and the message is stored in the request's vocabulary:
 * - `refusal`: a refusal the model wrote instead of content. It is kept as a `refusal`
 *   content part (`{ type: "refusal", refusal }`), which requests take, after any content.
 * - `annotations` (url citations) are response metadata a request does not take: left out.
 * - `audio` and `function_call` null say nothing and are left out; with a value the schema
 *   refuses them, naming the field (an audio answer's words are in its transcript, and
 *   `function_call` gave way to `tool_calls`).
 */
export interface CompletionFields {
  /** The Vercel AI SDK's per-request options of a message: not stored. */
  providerOptions?: unknown;
  /** Null or absent on a chat message (a Responses API item has one). */
  type?: null;
  refusal?: string | null;
  annotations?: readonly unknown[] | null;
  audio?: null;
  function_call?: null;
}

/** Optional fields a client may send as null, meaning absent. */
type NullAsAbsent<M> = {
  [K in keyof M]: K extends "name" | "tool_calls" ? Exclude<M[K], null> : M[K];
};

/**
 * The message with the response-only fields folded into content or left out, and `name`
 * or `tool_calls` sent as null left out: Python's `message.model_dump()` writes every
 * field of the model's message, `tool_calls: None` included.
 */
export function asRequestMessage<M extends { content: MessageContent }>(
  message: M & CompletionFields,
): NullAsAbsent<Omit<M, keyof CompletionFields>> {
  const {
    refusal,
    annotations: _a,
    audio: _b,
    function_call: _c,
    providerOptions: _d,
    type: _e,
    ...sent
  } = message;
  const rest = { ...sent } as Record<string, unknown>;
  for (const key of ["name", "tool_calls"]) if (rest[key] === null) delete rest[key];
  return withRefusal(rest as NullAsAbsent<typeof sent>, refusal);
}

function withRefusal<M extends { content: MessageContent }>(
  rest: M,
  refusal: string | null | undefined,
): M {
  if (!refusal) return rest; // null, or an empty string: nothing was refused
  const { content } = rest;
  const before: ContentPart[] =
    typeof content === "string"
      ? content
        ? [{ type: "text", text: content }]
        : []
      : (content ?? []);
  return { ...rest, content: [...before, { type: "refusal", refusal }] };
}
