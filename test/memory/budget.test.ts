import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { LOW_WATERMARK, planSpill } from "../../src/memory/budget";

const entries = (...tokens: number[]) => tokens.map((t, i) => ({ seq: i + 1, tokens: t }));

describe("planSpill", () => {
  it("moves nothing while working memory is within budget", () => {
    expect(planSpill(1000, 1000, entries(500, 500))).toEqual({ seqs: [], tokens: 0 });
  });

  it("moves the oldest messages until the low watermark is reached", () => {
    // 1100 > 1000; target 750: dropping 100+200 leaves 800, dropping 300 more leaves 500.
    expect(planSpill(1100, 1000, entries(100, 200, 300, 500))).toEqual({
      seqs: [1, 2, 3],
      tokens: 600,
    });
  });

  it("stops when only pinned messages are left (they are not candidates)", () => {
    expect(planSpill(5000, 1000, entries(10, 20))).toEqual({ seqs: [1, 2], tokens: 30 });
  });

  it("reads candidates lazily, no further than needed", () => {
    let read = 0;
    function* stream() {
      for (let seq = 1; seq <= 1_000_000; seq++) {
        read++;
        yield { seq, tokens: 10 };
      }
    }
    planSpill(1010, 1000, stream());
    expect(read).toBeLessThan(40);
  });

  it("always ends at or under the watermark when enough candidates exist", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 500 }), { minLength: 1, maxLength: 200 }),
        fc.integer({ min: 256, max: 20_000 }),
        (tokens, budget) => {
          const total = tokens.reduce((a, b) => a + b, 0);
          const plan = planSpill(total, budget, entries(...tokens));
          if (total <= budget) return plan.seqs.length === 0;
          const left = total - plan.tokens;
          const target = Math.floor(budget * LOW_WATERMARK);
          // Oldest first, contiguous, and minimal: one fewer would still be over target.
          const contiguous = plan.seqs.every((s, i) => s === i + 1);
          const lastTokens = tokens[plan.seqs.length - 1] ?? 0;
          return contiguous && left <= target && left + lastTokens > target;
        },
      ),
    );
  });
});
