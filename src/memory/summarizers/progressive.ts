import { isToolOutput } from "../chat/messages";
import { summarizeExtractively } from "./extractive";
import type { ChatMessage, LeavingMessage, SummaryRequest } from "./summarizer";

/**
 * The progressive-summary prompt shared by the model-backed summarizers: the model sees
 * the summary so far and the new lines, and returns the whole new summary (not a diff),
 * so a lost or repeated update never corrupts the running text.
 */
export function progressiveSummaryPrompt(request: SummaryRequest): ChatMessage[] {
  const system = [
    "You maintain the running summary of a conversation between a user and an assistant.",
    "Progressively summarize: given the current summary and new lines of the conversation,",
    "return the new summary, which extends the current one with what the new lines add.",
    "Keep facts the user stated about themselves, decisions, open tasks, names, numbers and",
    "dates. Drop greetings and small talk. Write plain sentences, no preamble, no markdown.",
    `Stay under ${Math.max(1, Math.floor(request.maxTokens * 0.75))} words.`,
  ].join(" ");
  const user = [
    "Current summary:",
    request.previousSummary?.trim() || "(none yet)",
    "",
    "New lines of conversation:",
    ...request.leaving.filter(isSaid).map(transcriptLine),
    "",
    "New summary:",
  ].join("\n");
  return [
    { role: "system", content: system },
    { role: "user", content: user },
  ];
}

/**
 * What people said, as the extractive summary reads it: not a tool's output (`isToolOutput`),
 * nor a message without words (a tool call, a reasoning item).
 */
const isSaid = (message: LeavingMessage) => !isToolOutput(message) && message.content.trim() !== "";

function transcriptLine(message: LeavingMessage): string {
  const who = message.name ? `${message.name} (${message.role})` : message.role;
  return `${who}: ${message.content}`;
}

/**
 * A model may ignore the length asked for; an answer over `maxTokens` is cut down to its
 * best sentences by the extractive summarizer instead of being rejected outright.
 * Returns null for an empty answer, which callers treat as a failure.
 */
export function fitSummary(answer: string, request: SummaryRequest): string | null {
  const text = answer
    .trim()
    .replace(/^(new )?summary:\s*/i, "")
    .trim();
  if (text === "") return null;
  if (request.count(text) <= request.maxTokens) return text;
  const cut = summarizeExtractively({ ...request, previousSummary: text, leaving: [] });
  return cut === "" ? null : cut;
}

/** Pauses between attempts; a promise so tests can stand it in with a faster one. */
export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
