import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { ContextMessage } from "../../../src/memory/context/types";
import { archived, pack, pinned, recount, turn, words } from "./packing-fixtures";

const vocabulary = ["alpha", "beta", "gamma", "delta", "epsilon"];
const text = fc
  .array(fc.constantFrom(...vocabulary), { minLength: 1, maxLength: 20 })
  .map((ws) => ws.join(" "));
const DAY_LINE = /^\[\d{4}-\d{2}-\d{2}\]$/;

/** Turns with days that mostly rise, sometimes repeat or go back, sometimes are unknown. */
const scenario = fc.record({
  contents: fc.array(text, { minLength: 0, maxLength: 40 }),
  days: fc.array(fc.option(fc.integer({ min: 1, max: 4 }), { freq: 5 }), {
    minLength: 40,
    maxLength: 40,
  }),
  summary: fc.option(text),
  recalledSeqs: fc.array(fc.integer({ min: 1, max: 50 }), { maxLength: 6 }),
  pinnedTexts: fc.array(text, { maxLength: 2 }),
  maxTokens: fc.integer({ min: 1, max: 600 }),
});

describe("packContext with `dates`: properties", () => {
  it("fits the budget with its day lines, counts them in `recent`, and marks each day change once", () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const all = s.contents.map((content, i) => {
          const day = s.days[i];
          return turn(i + 1, content, day ? { createdAt: `2026-06-0${day}T12:00:00Z` } : {});
        });
        const pins = s.pinnedTexts.map((t) => pinned(t));
        const result = pack({
          pinned: pins,
          summary: s.summary,
          recalled: s.recalledSeqs.map((seq) => archived(seq, `recalled ${seq}`)),
          recentNewestFirst: [...all].reverse(),
          maxTokens: s.maxTokens,
          dates: true,
        });
        if (!result.ok) return result.error.path === "maxTokens";
        const { messages, usage, recalled, summary } = result.value;
        expect(usage.total).toBeLessThanOrEqual(s.maxTokens);
        expect(recount(messages, words)).toBe(usage.total);

        const note = recalled.length > 0 || summary !== null ? 1 : 0;
        const recent: ContextMessage[] = messages.slice(pins.length + note);
        expect(recount(recent, words)).toBe(usage.recent);
        const isLine = (m: ContextMessage) =>
          m.role === "system" && DAY_LINE.test(String(m.content));
        const shown = recent.filter((m) => !isLine(m));
        // The turns are still the newest ones, in order, as sent.
        expect(shown.map((m) => m.content)).toEqual(
          all.slice(all.length - shown.length).map((t) => t.content),
        );
        // A line stands before a turn of a new day, never last, never twice in a row.
        let previous: string | undefined;
        let turnIndex = all.length - shown.length;
        recent.forEach((m, k) => {
          if (isLine(m)) {
            const next = recent[k + 1];
            expect(next && !isLine(next)).toBe(true);
            const day = all[turnIndex]?.createdAt?.slice(0, 10);
            expect(String(m.content)).toBe(`[${day}]`);
            expect(day).not.toBe(previous);
            return;
          }
          const day = all[turnIndex]?.createdAt?.slice(0, 10);
          if (day !== undefined) {
            if (day !== previous)
              expect(k > 0 && isLine(recent[k - 1] as ContextMessage)).toBe(true);
            previous = day;
          }
          turnIndex++;
        });
        return true;
      }),
      { numRuns: 300 },
    );
  });
});
