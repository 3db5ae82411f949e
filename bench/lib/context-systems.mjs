// The context-building baselines of `npm run bench:quality`, and how any context is scored
// against a question's evidence. Every system is charged the API's own token accounting:
// o200k_base tokens of the content + 3 per message, + 1 when the message has a `name`.
import { countTokens } from "gpt-tokenizer/encoding/o200k_base";
import { mentions, normalize } from "./dialogue/check.mjs";
import { bm25Scores, terms } from "./quality-data.mjs";

export const messageTokens = (m) =>
  countTokens(m.content, { disallowedSpecial: new Set() }) + 3 + (m.name ? 1 : 0);

/** What the baselines need of a conversation, computed once: costs and BM25 documents. */
export function prepare(conversation) {
  const { messages } = conversation;
  const texts = messages.map((m) => normalize(m.content));
  return {
    messages,
    texts,
    costs: messages.map(messageTokens),
    docs: messages.map((m) => terms(m.content)),
    // Longest first, so a short turn ("Nice one.") is not counted inside a longer one.
    byLength: [...new Set(texts)].sort((a, b) => b.length - a.length),
  };
}

/** The newest turns that fit the budget: a plain token buffer. */
export function recentWindow(prep, budget) {
  const kept = [];
  let spent = 0;
  for (let i = prep.messages.length - 1; i >= 0; i--) {
    if (spent + prep.costs[i] > budget) break;
    spent += prep.costs[i];
    kept.push(i);
  }
  return { turns: kept.reverse(), tokens: spent };
}

/** What a day's date line costs where a context shows one (`[2025-06-09]` and a new line). */
const dateLineTokens = countTokens("[2026-01-01]\n");
const dayOf = (message) => message.createdAt.slice(0, 10);

/**
 * BM25 (bench/lib/quality-data.mjs: crude stemming, stopwords out) over every turn, best
 * first, packed until the next turn does not fit. With `neighbours` 1, each hit brings the
 * turns just before and after it (hit, previous, next), none twice. With `dated`, the turns
 * of each day are shown under that day's date line, which the budget pays for.
 */
export function bm25Pack(prep, question, budget, neighbours = 0, { dated = false } = {}) {
  const scores = bm25Scores(prep.docs, terms(question));
  const order = scores
    .map((s, i) => [s, i])
    .filter(([s]) => s > 0)
    .sort((a, b) => b[0] - a[0] || b[1] - a[1]);
  const kept = new Set();
  const days = new Set();
  let spent = 0;
  outer: for (const [, hit] of order) {
    const group = [hit];
    for (let d = 1; d <= neighbours; d++) group.push(hit - d, hit + d);
    for (const i of group) {
      if (i < 0 || i >= prep.messages.length || kept.has(i)) continue;
      const day = dayOf(prep.messages[i]);
      const cost = prep.costs[i] + (dated && !days.has(day) ? dateLineTokens : 0);
      if (spent + cost > budget) break outer;
      spent += cost;
      kept.add(i);
      if (dated) days.add(day);
    }
  }
  return { turns: [...kept].sort((a, b) => a - b), tokens: spent, dates: [...days] };
}

/** Scores a baseline's turns: the model would see exactly these messages. */
export function scoreTurns(prep, question, picked) {
  const set = new Set(picked.turns);
  const text = [...(picked.dates ?? []), ...picked.turns.map((i) => prep.messages[i].content)].join(
    "\n",
  );
  const missing = question.evidence.filter((i) => !set.has(i));
  const evidence = missing.length === 0 && dated(question, text);
  return {
    evidence,
    missing,
    answer: answered(question, evidence, text),
    tokens: picked.tokens,
    turns: picked.turns.length,
  };
}

/**
 * Scores a context response: a turn is present when its text appears verbatim (whitespace
 * normalised) anywhere in the returned messages, as a recent turn, a recalled line or inside
 * the summary, however they are rendered. Turns are counted longest first, each occurrence
 * consumed, so short turns found inside longer ones are not counted twice.
 */
export function scoreContext(prep, question, context) {
  const haystack = normalize(context.messages.map((m) => contentText(m.content)).join("\n"));
  let rest = haystack;
  let turns = 0;
  for (const text of prep.byLength) {
    if (!text) continue;
    for (let at = rest.indexOf(text); at >= 0; at = rest.indexOf(text)) {
      turns++;
      rest = `${rest.slice(0, at)}\u0000${rest.slice(at + text.length)}`;
    }
  }
  const missing = question.evidence.filter((i) => !haystack.includes(prep.texts[i]));
  const evidence = missing.length === 0 && dated(question, haystack);
  return {
    evidence,
    missing,
    answer: answered(question, evidence, haystack),
    tokens: context.usage?.total ?? 0,
    turns,
  };
}

/**
 * The evidence of a "when" question is its turn and the date that turn was said: a context
 * that holds "Back from Budapest." but not its day cannot answer "When did Mateo return from
 * Budapest?". So a temporal question's evidence is present only with its date (its answer).
 */
const dated = (question, text) =>
  question.category !== "temporal" || question.answers.every((a) => mentions(text, a));

/**
 * Whether the answer strings are in the text. A date is in almost any context that shows a
 * few dated lines, so a temporal answer counts only together with its evidence turn.
 */
const answered = (question, evidence, text) =>
  (question.category !== "temporal" || evidence) &&
  question.answers.every((a) => mentions(text, a));

const contentText = (content) =>
  typeof content === "string"
    ? content
    : Array.isArray(content)
      ? content.map((p) => p.text ?? "").join(" ")
      : "";
