// Consistency of a generated dialogue (bench/lib/dialogues.mjs), checked on every run: a
// benchmark whose answers are wrong measures nothing. Throws on the first violation.
import { stemmer } from "stemmer";
import { PEOPLE } from "./pools.mjs";

const STOP = new Set(
  "a an and are as at be been but by can could did do does for from had has have he her here his how i if in into is it its just me my no not of on or our she so than that the their them then there these they this those to too us was we were what when where which who whom why will with would you your yours".split(
    " ",
  ),
);
const NAMES = new Set(PEOPLE.map((p) => p.name.toLowerCase()));

/** Porter-stemmed content words; names and stopwords out. */
export function contentStems(text) {
  return new Set(
    (text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [])
      .filter((w) => !STOP.has(w) && !NAMES.has(w) && w.length > 1)
      .map((w) => stemmer(w)),
  );
}

export const normalize = (text) => text.replace(/\s+/g, " ").trim();
const escapeRegExp = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
/** Whether `answer` occurs in `text` as a whole word or phrase, ignoring case. */
export function mentions(text, answer) {
  return new RegExp(`(?<![\\p{L}\\p{N}])${escapeRegExp(answer)}(?![\\p{L}\\p{N}])`, "iu").test(
    text,
  );
}

export function checkDialogue(c) {
  const fail = (why) => {
    throw new Error(`dialogue ${c.id} is inconsistent: ${why}`);
  };
  const { messages } = c;
  for (let i = 1; i < messages.length; i++) {
    if (messages[i].createdAt <= messages[i - 1].createdAt)
      fail(`createdAt not increasing at ${i}`);
  }
  if (new Set(messages.map((m) => m.session)).size < 15) fail("fewer than 15 sessions");
  for (const q of c.questions) {
    const where = `question ${q.id} (${q.question})`;
    if (q.evidence.length === 0) fail(`${where} has no evidence`);
    for (const i of q.evidence) {
      if (!Number.isInteger(i) || !messages[i])
        fail(`${where}: evidence index ${i} does not exist`);
    }
    if (new Set(q.evidence).size !== q.evidence.length) fail(`${where}: duplicate evidence`);
    const evidence = q.evidence.map((i) => messages[i]);
    // An evidence text is unique: finding it in a context means finding that turn.
    for (const e of q.evidence) {
      const text = normalize(messages[e].content);
      if (messages.some((m, i) => i !== e && normalize(m.content).includes(text))) {
        fail(`${where}: evidence turn ${e} is not unique`);
      }
    }
    if (q.category === "temporal") {
      const dates = evidence.map((m) => m.createdAt.slice(0, 10));
      if (!dates.includes(q.answers[0])) fail(`${where}: answer is not an evidence date`);
      continue;
    }
    const holders = evidence.filter((m) => q.answers.some((a) => mentions(m.content, a)));
    for (const a of q.answers) {
      if (!evidence.some((m) => mentions(m.content, a)))
        fail(`${where}: "${a}" is in no evidence turn`);
      messages.forEach((m, i) => {
        if (!q.evidence.includes(i) && mentions(m.content, a)) {
          fail(`${where}: "${a}" also appears in turn ${i}: ${m.content}`);
        }
      });
    }
    const asked = contentStems(q.question);
    const shared = holders.flatMap((m) => [...contentStems(m.content)].filter((s) => asked.has(s)));
    if (q.category === "paraphrase" && shared.length > 0) {
      fail(`${where}: the answer turn shares words with the question: ${shared.join(", ")}`);
    }
    if (q.category === "lexical" && shared.length === 0)
      fail(`${where}: lexical but shares no word`);
    if (q.category === "multi-session" && new Set(evidence.map((m) => m.session)).size < 2) {
      fail(`${where}: evidence in one session`);
    }
  }
}
