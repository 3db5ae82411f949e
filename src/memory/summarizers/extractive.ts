import type { Role } from "../conversation";
import { contentTerms, hasEntity, hasNumber, splitSentences } from "../text";
import type { LeavingMessage, Summarizer, SummaryRequest } from "./summarizer";

/**
 * The default summarizer: no model, deterministic, cheap enough to run in an alarm.
 *
 * It treats the previous summary and the leaving messages as one document, scores each
 * sentence, keeps the best ones that fit `maxTokens` and prints them in their original
 * order, one line per source message: `user: …`, `assistant: …`. Because the output is
 * in the same line format it reads, feeding a summary back in keeps it stable.
 *
 * Score of a sentence = Σ over its distinct content words of idf · (1 + ln cf), divided
 * by √(number of distinct words) — words that recur across the document (the topic) and
 * rare words (names, specifics) both count, long sentences do not win by length alone —
 * then weighted: ×1.3 with numbers or names (the details a summary must keep), ×1.2 for
 * what the user said (facts about the user live there), ×1.1 for a message's first
 * sentence (position prior), ×0.8 for questions, ×0.6 for fragments of two content
 * words and ×0.3 for one. Sentences scoring under a fifth of the best one ("Noted.",
 * "Thanks!") are never kept, even when room is left: a short summary beats padding. A
 * sentence sharing ≥ 60% of its words with a kept one is skipped as redundant.
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

const ROLES = "system|user|assistant|tool";
const LINE_PREFIX = new RegExp(`^(${ROLES}|[^:\\n]{1,40} \\((?:${ROLES})\\)): (.+)$`);
/** Sentences longer than this many words are cut into pieces, so one can still fit. */
const MAX_SENTENCE_WORDS = 50;
const REDUNDANT = 0.6;
const MIN_RELATIVE_SCORE = 0.2;

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
    addUnit({ prefix, role }, match?.[2] ?? line);
  }
  for (const message of request.leaving) addUnit(unitOf(message), message.content);

  scoreSentences(sentences, units);
  const ranked = [...sentences].sort((a, b) => b.score - a.score || a.position - b.position);

  const floor = (ranked[0]?.score ?? 0) * MIN_RELATIVE_SCORE;
  const kept: Sentence[] = [];
  let used = 0;
  for (const sentence of ranked) {
    if (sentence.score < floor) break;
    // Cheap rejection; the exact recount of the rendered summary decides.
    if (count(sentence.text) > maxTokens - used + 4) continue;
    if (kept.some((k) => overlap(k.terms, sentence.terms) >= REDUNDANT)) continue;
    const trial = [...kept, sentence].sort((a, b) => a.position - b.position);
    const tokens = count(render(trial, units));
    if (tokens > maxTokens) continue;
    kept.splice(0, kept.length, ...trial);
    used = tokens;
  }
  return render(kept, units);
}

function unitOf(message: LeavingMessage): Unit {
  const prefix = message.name ? `${message.name} (${message.role})` : message.role;
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
      weight += Math.log(1 + n / (df.get(t) ?? 1)) * (1 + Math.log(cf.get(t) ?? 1));
    }
    let score = weight / Math.sqrt(s.terms.size);
    if (hasNumber(s.text) || hasEntity(s.text)) score *= 1.3;
    if (units[s.unit]?.role === "user") score *= 1.2;
    if (s.unit !== previousUnit) score *= 1.1;
    if (s.text.endsWith("?")) score *= 0.8;
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
    lines.push(prefix ? `${prefix}: ${parts.join(" ")}` : parts.join(" "));
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
