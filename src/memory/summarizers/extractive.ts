import { isToolOutput } from "../chat/messages";
import type { Role } from "../conversation";
import {
  contentTerms,
  hasEntity,
  hasNumber,
  joinSentences,
  oneLine,
  splitSentences,
} from "../text";
import type { LeavingMessage, Summarizer, SummaryRequest } from "./summarizer";

/**
 * The default summarizer: no model, deterministic, cheap enough to run in an alarm.
 *
 * It treats the previous summary and the leaving messages (but tools' outputs, which
 * the assistant reports on: `isToolOutput`) as one document, scores each
 * sentence, keeps the best ones within its length and prints them in their original
 * order, one line per source message: `user: …`, `assistant: …`. Because the output is
 * in the same line format it reads, feeding a summary back in keeps it stable.
 *
 * It condenses: the summary is at most CONDENSE of its source (and `maxTokens`), so it is
 * never a transcript. Score of a sentence = Σ over its distinct content words of
 * idf · (1 + ln cf), divided by √(number of distinct words) — words that recur across the
 * document (the topic) and rare words (names, specifics) both count, long sentences do not
 * win by length alone — then weighted: ×1.3 with numbers or names (the details a summary
 * must keep), ×1.3 for the people's decisions and plans ("we'll", "booked", "decided"), ×1.2 for what
 * the user said, ×1.1 for a message's first sentence, ×0.8 for questions, ×0.6 for
 * fragments of two content words and ×0.3 for one, ×0.2 for chit-chat ("Haha, amazing.",
 * "Thanks!"). Sentences under a fifth of the best score are never kept. A kept answer
 * brings the question it answers (the sentence that ended the message before, by another
 * speaker) when it fits, so a reply keeps its question. A sentence sharing ≥ 60% of its
 * words with a kept one is skipped as redundant.
 *
 * Cost is linear in the input: each sentence is counted once, the choice is made on those
 * counts, and the rendered summary is counted exactly once or a few times at the end.
 */
export function extractiveSummarizer(): Summarizer {
  return { name: "extractive", summarize: async (request) => summarizeExtractively(request) };
}

interface Unit {
  prefix: string | null;
  role: Role | null;
}

interface Sentence {
  unit: number;
  position: number;
  text: string;
  terms: Set<string>;
  score: number;
}

const ROLES = "system|developer|user|assistant|tool";
const LINE_PREFIX = new RegExp(`^(${ROLES}|[^:\\n]{1,40} \\((?:${ROLES})\\)): (.+)$`);
/** Sentences longer than this many words are cut into pieces, so one can still fit. */
const MAX_SENTENCE_WORDS = 50;
const REDUNDANT = 0.6;
const MIN_RELATIVE_SCORE = 0.2;
/** A summary grows by at most this share of the new messages' tokens (plus a line or two). */
export const CONDENSE = 0.3;
const CONDENSE_SLACK = 24;
/** Tokens a line's `speaker: ` prefix and break add, for the estimate before the exact count. */
const LINE_OVERHEAD = 3;
const DECISION =
  /\b(decided|decide|agreed|settled|booked|book|bought|chose|choose|picked|going with|we'll|we will|i'll|i will|let's|plan(?:ned)? to|confirmed|signed up|moved|moving|starting|started)\b/i;
const CHIT_CHAT =
  /^(?:haha+|lol|thanks|thank you|ok(?:ay)?|nice|cool|great|wow|oh|yay|sure|night|good ?night|morning|hi|hello|hey|see you|bye|same|true|indeed|exactly|glad to help)\b/i;

export function summarizeExtractively(request: SummaryRequest): string {
  const { count, maxTokens } = request;
  if (maxTokens <= 0) return "";
  const units: Unit[] = [];
  const sentences: Sentence[] = [];
  const addUnit = (unit: Unit, text: string) => {
    const index = units.push(unit) - 1;
    for (const piece of splitSentences(text).flatMap(cutLong)) {
      const terms = new Set(contentTerms(piece));
      if (terms.size > 0) {
        sentences.push({ unit: index, position: sentences.length, text: piece, terms, score: 0 });
      }
    }
  };
  for (const line of (request.previousSummary ?? "").split("\n")) {
    const match = LINE_PREFIX.exec(line.trim());
    const prefix = match?.[1] ?? null;
    const role = (prefix?.match(new RegExp(`\\b(${ROLES})\\)?$`))?.[1] ?? null) as Role | null;
    // A summary written before tool outputs were left out may quote one: it goes now.
    if (role !== "tool") addUnit({ prefix, role }, match?.[2] ?? line);
  }
  const fromSummary = sentences.length;
  // A tool's output (a `tool` message, or Anthropic's `user` message of tool results) is
  // data the assistant's answer reports on, not dialogue: raw JSON or a
  // page of results, full of rare words and numbers, would outscore every sentence people
  // said. It stays searchable and can be recalled; the summary keeps the dialogue.
  for (const message of request.leaving) {
    if (!isToolOutput(message)) addUnit(unitOf(message), message.content);
  }

  scoreSentences(sentences, units);
  const ranked = [...sentences].sort((a, b) => b.score - a.score || a.position - b.position);
  const tokens = new Map(sentences.map((s) => [s, count(s.text) + 1]));
  // What the summary held stays affordable; new material is condensed.
  const sum = (list: readonly Sentence[]) => list.reduce((t, s) => t + (tokens.get(s) ?? 0), 0);
  const held = sum(sentences.slice(0, fromSummary)) + LINE_OVERHEAD * fromSummary;
  const fresh = sum(sentences.slice(fromSummary));
  const limit = Math.min(maxTokens, held + Math.ceil(fresh * CONDENSE) + CONDENSE_SLACK);

  const floor = (ranked[0]?.score ?? 0) * MIN_RELATIVE_SCORE;
  const kept = new Set<Sentence>();
  const lines = new Set<number>();
  let estimate = 0;
  const costOf = (s: Sentence) => (tokens.get(s) ?? 0) + (lines.has(s.unit) ? 0 : LINE_OVERHEAD);
  const keep = (s: Sentence) => {
    estimate += costOf(s);
    kept.add(s);
    lines.add(s.unit);
  };
  for (const sentence of ranked) {
    if (sentence.score < floor) break;
    if (kept.has(sentence) || estimate + costOf(sentence) > limit) continue;
    if ([...kept].some((k) => overlap(k.terms, sentence.terms) >= REDUNDANT)) continue;
    keep(sentence);
    const question = questionBefore(sentence, sentences, units);
    if (question && !kept.has(question) && estimate + costOf(question) <= limit) keep(question);
  }
  // The estimate is close, not exact (BPE across line breaks): trim by the exact count.
  const inOrder = [...kept].sort((a, b) => a.position - b.position);
  let summary = render(inOrder, units);
  while (inOrder.length > 0 && count(summary) > maxTokens) {
    const weakest = inOrder.reduce((w, s) => (s.score < w.score ? s : w));
    inOrder.splice(inOrder.indexOf(weakest), 1);
    summary = render(inOrder, units);
  }
  return summary;
}

/**
 * The question a sentence answers: when it opens its message, the last sentence of the
 * message before, if that one asks (ends with "?") and another speaker said it.
 */
function questionBefore(
  sentence: Sentence,
  sentences: readonly Sentence[],
  units: readonly Unit[],
): Sentence | undefined {
  const before = sentences[sentence.position - 1];
  if (!before || before.unit === sentence.unit || !before.text.endsWith("?")) return undefined;
  if (units[before.unit]?.prefix === units[sentence.unit]?.prefix) return undefined;
  return before;
}

function unitOf(message: LeavingMessage): Unit {
  // A name is user text: one line, so it cannot start a line of the summary of its own.
  const name = message.name ? oneLine(message.name) : "";
  const prefix = name ? `${name} (${message.role})` : message.role;
  return { prefix, role: message.role };
}

function cutLong(sentence: string): string[] {
  const words = sentence.split(/\s+/);
  if (words.length <= MAX_SENTENCE_WORDS) return [sentence];
  const pieces: string[] = [];
  for (let i = 0; i < words.length; i += MAX_SENTENCE_WORDS) {
    pieces.push(words.slice(i, i + MAX_SENTENCE_WORDS).join(" "));
  }
  return pieces;
}

function scoreSentences(sentences: Sentence[], units: readonly Unit[]): void {
  const df = new Map<string, number>();
  for (const s of sentences) for (const t of s.terms) df.set(t, (df.get(t) ?? 0) + 1);
  const cf = new Map<string, number>();
  for (const s of sentences) {
    for (const t of contentTerms(s.text)) cf.set(t, (cf.get(t) ?? 0) + 1);
  }
  const n = sentences.length;
  let previousUnit = -1;
  for (const s of sentences) {
    let weight = 0;
    for (const t of s.terms) {
      weight += Math.log(1 + n / (df.get(t) ?? 1)) ** 2;
    }
    let score = weight / Math.sqrt(s.terms.size);
    if (hasNumber(s.text) || hasEntity(s.text)) score *= 1.3;
    if (units[s.unit]?.role === "user") score *= 1.2;
    if (s.unit !== previousUnit) score *= 1.1;
    if (s.text.endsWith("?")) score *= 0.8;
    if (DECISION.test(s.text) && units[s.unit]?.role !== "assistant") score *= 1.3;
    if (CHIT_CHAT.test(s.text) && s.terms.size < 5) score *= 0.2;
    if (s.terms.size < 3) score *= s.terms.size === 1 ? 0.3 : 0.6;
    s.score = score;
    previousUnit = s.unit;
  }
}

/** Share of the smaller set's words that the other one has too. */
function overlap(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let shared = 0;
  for (const t of small) if (large.has(t)) shared++;
  return small.size === 0 ? 0 : shared / small.size;
}

/** Kept sentences in original order, one line per source: `prefix: s1 s2`. */
function render(kept: readonly Sentence[], units: readonly Unit[]): string {
  const lines: string[] = [];
  let current = -1;
  let parts: string[] = [];
  const flush = () => {
    if (current < 0) return;
    const prefix = units[current]?.prefix;
    lines.push(prefix ? `${prefix}: ${joinSentences(parts)}` : joinSentences(parts));
  };
  for (const s of kept) {
    if (s.unit !== current) {
      flush();
      current = s.unit;
      parts = [];
    }
    parts.push(s.text);
  }
  flush();
  return lines.join("\n");
}
