import type { CountTokens } from "../tokens";
import { itemTokens, partWords, type ResponseItem } from "./response-items";

/**
 * OpenAI chat-completions message fields, kept exactly as an app sends them. Only the
 * text of a message (`messageText`) is searched, summarized and recalled; the rest is
 * stored and returned as sent.
 */

/** `{ type: "text", text }`, `{ type: "image_url", image_url: { url, detail? } }`, or any other part as sent. */
export type ContentPart =
  | { type: "text"; text: string; [key: string]: unknown }
  | {
      type: "image_url";
      image_url: { url: string; detail?: string; [key: string]: unknown };
      [key: string]: unknown;
    }
  | { type: string; [key: string]: unknown };

/** A string, an array of parts, or null (an assistant message that only calls tools). */
export type MessageContent = string | ContentPart[] | null;

export interface ToolCall {
  id: string;
  type: "function";
  function: { name: string; arguments: string; [key: string]: unknown };
  [key: string]: unknown;
}

/** The OpenAI fields beside `role` and `content`, present only when sent. */
export interface ToolFields {
  tool_calls?: ToolCall[];
  tool_call_id?: string;
  /** A Responses API item as sent; `content` is then its words (`itemText`). */
  item?: ResponseItem;
}

/**
 * OpenAI's image cost in tokens: 85 at `detail: "low"`; at high detail 85 + 170 per
 * 512-px tile, which is 765 for a 1024×1024 image. The image is never fetched, so
 * `high` and `auto` are counted as that typical image.
 */
export const IMAGE_TOKENS_LOW = 85;
export const IMAGE_TOKENS_HIGH = 765;

/**
 * The text a message carries: a string as is, its text and refusal parts and the output
 * of its tool-result parts (Anthropic's `tool_result`, the AI SDK's `tool-result`) joined
 * by new lines, "" for null. A tool's output is searched and recalled, as a `tool`
 * message's content is; summaries and fact extraction leave it out (`isToolOutput`).
 */
export function messageText(content: MessageContent): string {
  if (content === null) return "";
  if (typeof content === "string") return content;
  return content
    .map((part) => partWords(part) ?? resultText(part))
    .filter((text) => text !== null && text !== "")
    .join("\n");
}

const RESULT_TYPES = new Set(["tool_result", "tool-result"]);

/** The output of a tool-result part as text, in either format; null for another part. */
function resultText(part: ContentPart): string | null {
  if (!RESULT_TYPES.has(part.type)) return null;
  // Anthropic: `content`, a string or text blocks. AI SDK: `output` { type, value }, or `result`.
  const output = (part.content ?? part.output ?? part.result) as unknown;
  return textOf(output);
}

function textOf(value: unknown): string {
  if (typeof value === "string") return value;
  if (Array.isArray(value)) return value.map(textOf).filter(Boolean).join("\n");
  if (value && typeof value === "object") {
    const {
      type,
      text,
      value: inner,
    } = value as { type?: unknown; text?: unknown; value?: unknown };
    if (type === "text" && typeof text === "string") return text;
    if (typeof type === "string" && inner !== undefined) return textOf(inner);
    if (type === "image" || type === "file" || type === "media") return "";
  }
  return value === undefined || value === null ? "" : JSON.stringify(value);
}

/**
 * A tool's output, not words people said: a `tool` message, or one whose parts are all
 * tool results (Anthropic puts them in `user` messages).
 */
export function isToolOutput(message: {
  role: string;
  sentContent?: readonly { type: string }[] | null;
}): boolean {
  if (message.role === "tool") return true;
  const parts = message.sentContent;
  return Array.isArray(parts) && parts.length > 0 && parts.every((p) => RESULT_TYPES.has(p.type));
}

/**
 * A message's `tokens`: its text (and refusal parts) with the conversation's tokenizer; each image part
 * IMAGE_TOKENS_LOW or IMAGE_TOKENS_HIGH; any other part its JSON; each tool call its
 * function name and arguments. `tool_call_id` is not counted (as OpenAI bills it, in
 * the per-message overhead).
 */
export function countMessageTokens(
  count: CountTokens,
  message: { content: MessageContent } & ToolFields,
): number {
  const { item } = message;
  if (item && item.type !== "message") return itemTokens(count, item);
  // A message item's content is a chat message's: text and refusal parts, images, JSON.
  const content = item ? (item.content as MessageContent) : message.content;
  let tokens = 0;
  if (typeof content === "string") tokens += count(content);
  else if (content !== null) {
    for (const part of content) {
      const text = partWords(part);
      if (text !== null) tokens += count(text);
      else if (part.type === "image_url" || part.type === "input_image")
        tokens += imageTokens(part);
      else tokens += count(JSON.stringify(part));
    }
  }
  for (const call of message.tool_calls ?? []) {
    tokens += count(call.function.name) + count(call.function.arguments);
  }
  return tokens;
}

/** An image part's tokens: `image_url.detail` in chat completions, `detail` in the Responses API. */
function imageTokens(part: ContentPart): number {
  const { image_url, detail: own } = part as { detail?: unknown; image_url?: { detail?: unknown } };
  const detail = image_url?.detail ?? own;
  return detail === "low" ? IMAGE_TOKENS_LOW : IMAGE_TOKENS_HIGH;
}

/**
 * What decides whether a re-sent message id is the same message (API.md, Message ids):
 * its role, content and tool fields (or the Responses API item) — not its name, metadata,
 * pin or time.
 */
export function messageIdentity(
  message: { role: string; content: MessageContent } & ToolFields,
): string {
  if (message.item) return JSON.stringify(["item", message.item]);
  return JSON.stringify([
    message.role,
    message.content,
    message.tool_calls ?? null,
    message.tool_call_id ?? null,
  ]);
}

/** The stored form of content that is not a plain string (JSON), or null for a string. */
export function sentContentJson(content: MessageContent): string | null {
  return typeof content === "string" ? null : JSON.stringify(content);
}
