import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type CountTokens, loadTokenCounter } from "../../../src/memory/tokens";
import { tokenTables } from "../../helpers/token-tables";
import { archived, memory, pack, pinned, recount, turn, words } from "./packing-fixtures";

const vocabulary = ["alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta"];
const cjkVocabulary = ["東京", "大阪", "天気", "会議", "预算", "航班", "酒店", "花生"];
/** `words`, but each CJK character a token of its own (text without spaces has length). */
const wordsAndCjk = (t: string) =>
  words(t.replace(/[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/gu, " $& "));
const text = fc
  .array(fc.constantFrom(...vocabulary), { minLength: 0, maxLength: 30 })
  .map((ws) => ws.join(" "));

const scenario = fc.record({
  contents: fc.array(text, { minLength: 0, maxLength: 60 }),
  names: fc.array(fc.boolean(), { minLength: 60, maxLength: 60 }),
  pinnedTexts: fc.array(text, { maxLength: 3 }),
  summary: fc.option(text),
  recalledSeqs: fc.array(fc.integer({ min: 1, max: 80 }), { maxLength: 12 }),
  memories: fc.array(text, { maxLength: 6 }),
  maxTokens: fc.integer({ min: 1, max: 1500 }),
  recallTokens: fc.option(fc.integer({ min: 0, max: 1500 }), { nil: undefined }),
  recallLimit: fc.option(fc.integer({ min: 0, max: 10 }), { nil: undefined }),
  recallStrength: fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: undefined }),
});

describe("packContext: properties", () => {
  it("fits the budget, keeps recent turns a contiguous newest suffix, repeats nothing, and accounts exactly", () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const all = s.contents.map((content, i) =>
          turn(i + 1, content, s.names[i] ? { name: "Ana" } : {}),
        );
        const newestFirst = [...all].reverse();
        const pins = s.pinnedTexts.map((t) => pinned(t));
        const recalled = [
          ...s.recalledSeqs.map((seq) => archived(seq, `recalled ${seq}`)),
          ...s.memories.map((t, i) => memory(`k${i}`, t)),
        ];
        const pinnedCost = pins.reduce((sum, p) => sum + p.tokens + 3, 0);
        const result = pack({
          pinned: pins,
          summary: s.summary,
          recalled,
          recentNewestFirst: newestFirst,
          maxTokens: s.maxTokens,
          recallTokens: s.recallTokens,
          recallLimit: s.recallLimit,
          recallStrength: s.recallStrength,
        });
        if (pinnedCost > s.maxTokens) return !result.ok && result.error.path === "maxTokens";
        if (!result.ok) return false;
        const { messages, usage, recalled: included, truncated } = result.value;

        const note = included.length > 0 || result.value.summary !== null ? 1 : 0;
        const recentMessages = messages.slice(pins.length + note);
        const expectedRecent = newestFirst.slice(0, recentMessages.length).reverse();
        const recentSeqs = new Set(expectedRecent.map((t) => t.seq));
        const ids = included.map((r) => `${r.kind}:${r.id}`);

        expect(usage.total).toBeLessThanOrEqual(s.maxTokens);
        expect(usage.pinned + usage.summary + usage.recalled + usage.recent).toBe(usage.total);
        expect(recount(messages, words)).toBe(usage.total);
        expect(recount(messages.slice(0, pins.length), words)).toBe(usage.pinned);
        expect(recount(recentMessages, words)).toBe(usage.recent);
        expect(usage.recalled).toBeGreaterThanOrEqual(0);
        if (s.recallTokens !== undefined) {
          expect(usage.recalled).toBeLessThanOrEqual(s.recallTokens);
        }
        expect(recentMessages).toEqual(
          expectedRecent.map((t) => ({
            role: t.role,
            content: t.content,
            ...(t.name ? { name: t.name } : {}),
          })),
        );
        expect(new Set(ids).size).toBe(ids.length);
        expect(included.some((r) => r.seq !== undefined && recentSeqs.has(r.seq))).toBe(false);
        expect(included.length).toBeLessThanOrEqual(s.recallLimit ?? Number.POSITIVE_INFINITY);
        const recalledSeqs = new Set(included.flatMap((r) => (r.seq ? [r.seq] : [])));
        const missing = all.some((t) => !recentSeqs.has(t.seq) && !recalledSeqs.has(t.seq));
        expect(truncated).toBe(missing);
        return true;
      }),
      { numRuns: 300 },
    );
  });

  // Chinese and Japanese put no space between words or after a sentence's end.
  const scripts = [
    { name: "spaced", vocabulary, glue: " ", end: ".", count: words },
    { name: "CJK", vocabulary: cjkVocabulary, glue: "", end: "。", count: wordsAndCjk },
  ];
  for (const script of scripts) {
    it(`sends no message text twice (${script.name} text): not a recent turn in the summary or recall, not one recalled item twice`, () => {
      // Every sentence of a message carries a marker `m{seq}x{k}` found nowhere else, so a
      // repeat of any message (whole, one of its sentences quoted by the summary, or a part of
      // it quoted as an excerpt) shows as a marker that occurs twice across the messages.
      // Some messages are long enough to be recalled as excerpts.
      let excerpts = 0;
      const long = fc
        .array(fc.constantFrom(...script.vocabulary), { minLength: 60, maxLength: 160 })
        .map((ws) => ws.join(" "));
      const short = fc
        .array(fc.constantFrom(...script.vocabulary), { minLength: 0, maxLength: 30 })
        .map((ws) => ws.join(" "));
      const dialogue = fc.record({
        size: fc.integer({ min: 1, max: 40 }),
        words: fc.array(fc.oneof(short, long), { minLength: 40, maxLength: 40 }),
        query: fc.option(fc.constantFrom(...script.vocabulary), { nil: undefined }),
        summarised: fc.array(fc.integer({ min: 1, max: 40 }), { maxLength: 12 }),
        summaryThrough: fc.integer({ min: 0, max: 40 }),
        hits: fc.array(fc.integer({ min: 1, max: 40 }), { maxLength: 12 }),
        echoes: fc.array(fc.integer({ min: 1, max: 40 }), { maxLength: 4 }),
        maxTokens: fc.integer({ min: 20, max: 900 }),
        recallTokens: fc.option(fc.integer({ min: 0, max: 900 }), { nil: undefined }),
        olderTurns: fc.boolean(),
      });
      fc.assert(
        fc.property(dialogue, (d) => {
          const content = (seq: number) => {
            const ws = (d.words[seq - 1] ?? "").split(" ").filter(Boolean);
            const sentences = [`m${seq}x0${script.end}`];
            for (let k = 0; k * 10 < ws.length; k++) {
              const part = ws.slice(k * 10, k * 10 + 10).join(script.glue);
              sentences.push(`m${seq}x${k + 1}${script.glue || " "}${part}${script.end}`);
            }
            return sentences.join(script.glue);
          };
          const all = Array.from({ length: d.size }, (_, i) => turn(i + 1, content(i + 1)));
          const turnsBySeq = new Map(
            all.map((t) => [
              t.seq,
              {
                seq: t.seq,
                id: `m${t.seq}`,
                role: t.role,
                content: t.content,
                createdAt: "2026-11-20T10:00:00Z",
              },
            ]),
          );
          // A summary quoting some messages' sentences, as the extractive summarizer does:
          // two messages' sentences a line.
          const quoted = d.summarised.filter((seq) => seq <= d.size).map(content);
          const summary = quoted
            .flatMap((c, i) => (i % 2 ? [] : [`user: ${c}${script.glue}${quoted[i + 1] ?? ""}`]))
            .join("\n");
          const recalled = [
            ...d.hits.filter((seq) => seq <= d.size).map((seq) => archived(seq, content(seq))),
            // Memories whose text equals a message's (a fact extracted verbatim).
            ...d.echoes
              .filter((seq) => seq <= d.size)
              .map((seq) => memory(`e${seq}`, content(seq))),
          ];
          const result = pack({
            summary: summary || null,
            summaryThrough: Math.min(d.summaryThrough, d.size),
            recalled,
            recallTurns: turnsBySeq,
            recentNewestFirst: [...all].reverse(),
            olderTurns: d.olderTurns,
            maxTokens: d.maxTokens,
            recallTokens: d.recallTokens,
            query: d.query,
            count: script.count,
          });
          if (!result.ok) return false;
          const sent = result.value.messages.map((m) => m.content).join("\n");
          for (const marker of sent.match(/\bm\d+x\d+\b/g) ?? []) {
            const times = sent.match(new RegExp(`\\b${marker}\\b`, "g"))?.length ?? 0;
            expect(times, `${marker} in:\n${sent}`).toBe(1);
          }
          for (const item of result.value.recalled.filter((r) => r.excerpt)) {
            excerpts++;
            expect(item.text).not.toBe(content(item.seq ?? 0));
            expect(result.value.truncated).toBe(true);
          }
          expect(result.value.usage.total).toBeLessThanOrEqual(d.maxTokens);
          return true;
        }),
        { numRuns: 400 },
      );
      // Long messages of either script are quoted in part somewhere in the runs.
      expect(excerpts).toBeGreaterThan(0);
    });
  }

  // The note is counted whole; this checks the exact accounting on arbitrary text.
  const bpeText = fc.oneof(
    fc.string({ unit: "grapheme", maxLength: 80 }),
    fc
      .array(
        fc.constantFrom(
          "word",
          "end.",
          "!?",
          " ",
          "  ",
          "\n",
          "\r\n",
          "[x]",
          "/",
          ":",
          "<|endoftext|>",
          "東京",
          "'s",
          "42",
          "\t",
          "é",
        ),
        { maxLength: 25 },
      )
      .map((parts) => parts.join("")),
  );
  for (const name of ["o200k_base", "cl100k_base"] as const) {
    it(`accounts the summary and recall note exactly with ${name} on arbitrary text`, async () => {
      const count: CountTokens = await loadTokenCounter(name, tokenTables);
      fc.assert(
        fc.property(
          fc.option(bpeText, { nil: null }),
          fc.array(bpeText, { minLength: 1, maxLength: 10 }),
          fc.integer({ min: 50, max: 3000 }),
          (summary, texts, maxTokens) => {
            const result = pack({
              summary,
              recalled: texts.map((t, i) => (i % 2 ? memory(`k${i}`, t) : archived(i + 1, t))),
              recentNewestFirst: [turn(100, "the question")].map((t) => ({
                ...t,
                tokens: count(t.content),
              })),
              maxTokens,
              count,
            });
            if (!result.ok) return false;
            const { messages, usage } = result.value;
            expect(recount(messages, count)).toBe(usage.total);
            expect(usage.total).toBeLessThanOrEqual(maxTokens);
            return true;
          },
        ),
        { numRuns: 400 },
      );
    });
  }
});
