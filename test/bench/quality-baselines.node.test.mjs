// The context-quality benchmark's own parts (bench/lib): the figures in docs/context.md are
// only as good as its data, its baselines and its scoring.
import { describe, expect, it } from "vitest";
import {
  bm25Pack,
  messageTokens,
  prepare,
  scoreContext,
  scoreTurns,
} from "../../bench/lib/context-systems.mjs";
import { generateDialogues } from "../../bench/lib/dialogues.mjs";
import { bm25Scores, terms } from "../../bench/lib/quality-data.mjs";

const BUDGET = 1500;
const dialogues = generateDialogues();
const questions = dialogues.flatMap((c) => c.questions.map((q) => ({ q, prep: prepare(c) })));
const share = (hits) => hits.filter(Boolean).length / hits.length;

describe("bench:quality's dialogues", () => {
  it("are the same for a seed and differ between seeds", () => {
    const again = generateDialogues({ seed: 777, count: 2 });
    expect(generateDialogues({ seed: 777, count: 2 })).toEqual(again);
    expect(generateDialogues({ seed: 4242, count: 2 })[0].messages).not.toEqual(again[0].messages);
  });

  it("are what issue 13 asks: long, many dated sessions, several speakers, three kinds of question", () => {
    for (const c of dialogues) {
      expect(c.messages.length).toBeGreaterThanOrEqual(400);
      expect(new Set(c.messages.map((m) => m.createdAt.slice(0, 10))).size).toBeGreaterThanOrEqual(
        15,
      );
      expect(new Set(c.messages.map((m) => m.name ?? m.role)).size).toBeGreaterThanOrEqual(3);
    }
    const categories = new Set(questions.map(({ q }) => q.category));
    expect([...categories].sort()).toEqual(["lexical", "multi-session", "paraphrase", "temporal"]);
  });

  it("discriminate: plain BM25 holds the evidence of at most 70 % of the questions", () => {
    const found = questions.map(
      ({ q, prep }) => scoreTurns(prep, q, bm25Pack(prep, q.question, BUDGET)).evidence,
    );
    expect(share(found)).toBeLessThanOrEqual(0.7);
    expect(share(found)).toBeGreaterThan(0);
  });
});

describe("bench:quality's BM25 baselines", () => {
  it("stay within the budget, send no turn twice, and bring each hit's neighbours", () => {
    for (const { q, prep } of questions.slice(0, 40)) {
      for (const neighbours of [0, 1]) {
        const picked = bm25Pack(prep, q.question, BUDGET, neighbours);
        const cost = picked.turns.reduce((sum, i) => sum + prep.costs[i], 0);
        expect(cost).toBe(picked.tokens);
        expect(picked.tokens).toBeLessThanOrEqual(BUDGET);
        expect(new Set(picked.turns).size).toBe(picked.turns.length);
      }
      // With neighbours, the best hit comes with the turns before and after it.
      const withNeighbours = new Set(bm25Pack(prep, q.question, BUDGET, 1).turns);
      const top = topHit(prep, q.question);
      if (top > 0 && top < prep.messages.length - 1) {
        expect([top - 1, top, top + 1].every((i) => withNeighbours.has(i))).toBe(true);
      }
    }
  });

  it("pay for the date lines they show", () => {
    const { q, prep } = questions[0];
    const dated = bm25Pack(prep, q.question, BUDGET, 1, { dated: true });
    const turns = dated.turns.reduce((sum, i) => sum + prep.costs[i], 0);
    expect(dated.dates.length).toBeGreaterThan(0);
    expect(dated.tokens).toBeGreaterThan(turns);
    expect(dated.tokens).toBeLessThanOrEqual(BUDGET);
  });
});

describe("bench:quality's scoring of a context", () => {
  const { q, prep } = questions.find(({ q }) => q.category === "temporal");
  const evidence = q.evidence.map((i) => prep.messages[i].content);
  const context = (lines) => ({
    messages: [{ role: "system", content: lines.join("\n") }],
    usage: { total: messageTokens({ content: lines.join("\n") }) },
  });

  it("counts a temporal question's evidence only together with its date", () => {
    expect(scoreContext(prep, q, context(evidence)).evidence).toBe(false);
    expect(scoreContext(prep, q, context([`[${q.answers[0]}]`, ...evidence])).evidence).toBe(true);
  });

  it("finds a turn verbatim however the whitespace is laid out", () => {
    const spaced = evidence.map((t) => t.replace(/ /g, "  "));
    expect(scoreContext(prep, q, context([`[${q.answers[0]}]`, ...spaced])).evidence).toBe(true);
    const { missing } = scoreContext(prep, q, context([evidence[0].slice(0, -3)]));
    expect(missing).toContain(q.evidence[0]);
  });

  it("counts each occurrence of a turn, and a turn inside a longer one as the longer one", () => {
    const [short, long] = nested(prep);
    expect(scoreContext(prep, q, context([long])).turns).toBe(1);
    expect(scoreContext(prep, q, context([long, short])).turns).toBe(2);
    expect(scoreContext(prep, q, context([long, long])).turns).toBe(2);
  });
});

/** The turn plain BM25 ranks first (ties: the newest, as bm25Pack orders them); -1 if none. */
function topHit(prep, question) {
  const scores = bm25Scores(prep.docs, terms(question));
  let best = -1;
  scores.forEach((score, i) => {
    if (score > 0 && (best < 0 || score >= scores[best])) best = i;
  });
  return best;
}

/** Two turns of the conversation, the first's text inside the second's. */
function nested(prep) {
  for (const short of prep.byLength) {
    const long = prep.byLength.find((t) => t.length > short.length && t.includes(short));
    if (long) return [short, long];
  }
  throw new Error("no turn of this dialogue is inside another");
}
