import type { CountTokens } from "../tokens";

/**
 * Items of OpenAI's Responses API (`input` and `output`), stored and returned exactly as
 * sent, so an app can append `response.output` and pass the context back as `input`.
 * A message item (`type: "message"`) speaks with its role; a call the model made, its
 * reasoning or a hosted tool's run speaks as `assistant`; the app's answer to a call
 * (`*_output`) as `tool`. Search, summaries and recall read the words of message items
 * and the output of answers; the rest is stored and counted, not read.
 */
export interface ResponseItem {
  type: string;
  id?: string | null;
  [key: string]: unknown;
}

/** Item types the API takes (any other `type` is a 400 naming it). */
export const RESPONSE_ITEM_TYPES = [
  "message",
  "reasoning",
  "function_call",
  "function_call_output",
  "custom_tool_call",
  "custom_tool_call_output",
  "computer_call",
  "computer_call_output",
  "local_shell_call",
  "local_shell_call_output",
  "shell_call",
  "shell_call_output",
  "apply_patch_call",
  "apply_patch_call_output",
  "web_search_call",
  "file_search_call",
  "code_interpreter_call",
  "image_generation_call",
  "mcp_call",
  "mcp_list_tools",
  "mcp_approval_request",
  "mcp_approval_response",
  "compaction",
] as const;

/** The types whose items answer a call of the app's tools, naming it by `call_id`. */
const isAnswerType = (type: string) => type.endsWith("_output");

/** The speaker of an item: a message's role; `tool` for an answer; `assistant` otherwise. */
export function itemRole(item: ResponseItem): string {
  if (item.type === "message") return String(item.role);
  return isAnswerType(item.type) || item.type === "mcp_approval_response" ? "tool" : "assistant";
}

/** The `call_id` of a call the app must answer (function, custom, computer or shell tool). */
export function itemCallId(item: ResponseItem): string | null {
  return !isAnswerType(item.type) && typeof item.call_id === "string" ? item.call_id : null;
}

/** The `call_id` an answer item names. */
export function itemAnswerId(item: ResponseItem): string | null {
  return isAnswerType(item.type) && typeof item.call_id === "string" ? item.call_id : null;
}

/**
 * Reasoning must be sent with the item that follows it (the API refuses it alone, and
 * refuses a call or message of a reasoning model without its reasoning).
 */
export const isReasoning = (item: ResponseItem) => item.type === "reasoning";

/**
 * Parts whose `text` is words: chat completions' `text`; the Responses API's `input_text`,
 * `output_text` and reasoning's `summary_text`.
 */
export const TEXT_PART_TYPES = new Set(["text", "input_text", "output_text", "summary_text"]);

/**
 * The words an item carries: a message's content (a string, or its text and refusal
 * parts joined by new lines), an answer's output; "" for a call, reasoning or a hosted
 * tool's run (their arguments and results are counted, not searched or summarized).
 */
export function itemText(item: ResponseItem): string {
  if (item.type === "message") return textOf(item.content);
  if (isAnswerType(item.type)) return textOf(item.output);
  return "";
}

function textOf(value: unknown): string {
  if (typeof value === "string") return value;
  if (!Array.isArray(value)) return "";
  return value
    .map((part) => (typeof part === "string" ? part : (partWords(part) ?? "")))
    .filter(Boolean)
    .join("\n");
}

/** The words of a part: a text part's text, a refusal part's refusal (what the model said). */
export function partWords(part: { type?: unknown; [key: string]: unknown } | null): string | null {
  if (TEXT_PART_TYPES.has(part?.type as string) && typeof part?.text === "string") return part.text;
  return part?.type === "refusal" && typeof part.refusal === "string" ? part.refusal : null;
}

/**
 * The `tokens` of an item other than a message (whose content counts as a chat message's,
 * `countMessageTokens`): a call's name and arguments (or input); an answer's output;
 * reasoning's summary (its encrypted content is the model's, not billed as this turn's
 * input); any other item its JSON less its `id` and `status`.
 */
export function itemTokens(count: CountTokens, item: ResponseItem): number {
  if (item.type === "reasoning") return count(textOf(item.summary));
  if (isAnswerType(item.type)) {
    const text = textOf(item.output);
    return text ? count(text) : count(JSON.stringify(item.output ?? ""));
  }
  if (typeof item.name === "string" && (item.arguments ?? item.input) !== undefined) {
    const args = item.arguments ?? item.input;
    return count(item.name) + count(typeof args === "string" ? args : JSON.stringify(args));
  }
  const { id: _id, status: _status, ...rest } = item;
  return count(JSON.stringify(rest));
}
