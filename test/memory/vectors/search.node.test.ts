import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CodeIndex } from "../../../src/memory/vectors/code-index";
import {
  binaryCode,
  codeOf,
  normalize,
  popcount,
  type QuantizedVector,
  quantize,
  vectorBytes,
  vectorFromBytes,
} from "../../../src/memory/vectors/quantize";
import { searchVectors } from "../../../src/memory/vectors/search";
import { cosine } from "../../helpers/cosine";

/** A seeded generator (mulberry32) and Gaussian samples, so failures replay. */
function random(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const gauss = () => Math.sqrt(-2 * Math.log(next() + 1e-12)) * Math.cos(2 * Math.PI * next());
  return { next, gauss };
}

const gaussianVector = (dims: number, gauss: () => number) =>
  Float32Array.from({ length: dims }, gauss);

function storeAll(vectors: Float32Array[], dims: number) {
  const index = new CodeIndex(dims, 4);
  const stored = new Map<number, QuantizedVector>();
  vectors.forEach((v, id) => {
    const q = quantize(normalize(v));
    stored.set(id, q);
    index.add(id, codeOf(q));
  });
  return { index, stored };
}

describe("quantization", () => {
  it("keeps cosine within 2% and the sign of every component", () => {
    fc.assert(
      fc.property(
        fc.array(fc.float({ min: -10, max: 10, noNaN: true }), { minLength: 8, maxLength: 64 }),
        fc.array(fc.float({ min: -10, max: 10, noNaN: true }), { minLength: 8, maxLength: 64 }),
        (a, b) => {
          const n = Math.min(a.length, b.length);
          const x = Float32Array.from(a.slice(0, n));
          const y = Float32Array.from(b.slice(0, n));
          const qx = quantize(normalize(x));
          const exact = cosine(x, y);
          const approx = cosine(
            Array.from(qx.q, (v) => v * qx.scale),
            normalize(y),
          );
          expect(Math.abs(exact - approx)).toBeLessThan(0.02);
          const code = codeOf(qx);
          const fromFloat = binaryCode(normalize(x));
          for (let i = 0; i < n; i++) {
            // Components under half a quantization step round to 0 (sign bit off).
            if (Math.abs(x[i] as number) > Math.max(...x.map(Math.abs)) / 250) {
              expect((code[i >>> 5] as number) & (1 << (i & 31))).toBe(
                (fromFloat[i >>> 5] as number) & (1 << (i & 31)),
              );
            }
          }
        },
      ),
    );
  });

  it("round-trips through bytes and counts bits", () => {
    const q = quantize(normalize([3, -4, 0, 12]));
    expect(vectorFromBytes(vectorBytes(q), q.scale)).toEqual(q);
    expect(popcount(0xffffffff)).toBe(32);
    expect(popcount(0x80000001)).toBe(2);
    expect(popcount(0)).toBe(0);
  });
});

describe("searchVectors", () => {
  it("rescored top-k equals exact search over the candidates it saw", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 2 ** 31 - 1 }),
        fc.integer({ min: 1, max: 300 }),
        fc.integer({ min: 1, max: 20 }),
        fc.integer({ min: 1, max: 120 }),
        (seed, n, k, candidates) => {
          const { gauss } = random(seed);
          const dims = 48;
          const vectors = Array.from({ length: n }, () => gaussianVector(dims, gauss));
          const { index, stored } = storeAll(vectors, dims);
          const query = gaussianVector(dims, gauss);
          let seen: number[] = [];
          const hits = searchVectors(
            index,
            query,
            k,
            (ids) => {
              seen = ids;
              return new Map(ids.map((id) => [id, stored.get(id) as QuantizedVector]));
            },
            candidates,
          );
          expect(seen.length).toBe(Math.min(n, candidates));
          // The dequantized vectors' dot products with the unit query, in float64.
          const unit = normalize(query);
          const exact = seen
            .map((id) => {
              const v = stored.get(id) as QuantizedVector;
              let s = 0;
              for (let i = 0; i < dims; i++)
                s += (v.q[i] as number) * v.scale * (unit[i] as number);
              return { id, s };
            })
            .sort((a, b) => b.s - a.s || a.id - b.id)
            .slice(0, k);
          expect(hits.map((h) => h.id)).toEqual(exact.map((e) => e.id));
          for (const [i, hit] of hits.entries()) {
            expect(hit.similarity).toBeCloseTo(exact[i]?.s ?? Number.NaN, 5);
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it("the prefilter keeps the codes nearest by Hamming distance, leaving out those it skips", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 2 ** 31 - 1 }),
        fc.integer({ min: 1, max: 200 }),
        fc.integer({ min: 1, max: 50 }),
        // Every `every`-th id is skipped; 0: none (no `skip` given).
        fc.constantFrom(0, 2, 3, 5),
        (seed, n, count, every) => {
          const { gauss } = random(seed);
          const codes = Array.from({ length: n }, () => binaryCode(gaussianVector(40, gauss)));
          const index = new CodeIndex(40, 1);
          for (const [id, c] of codes.entries()) index.add(id, c);
          const query = binaryCode(gaussianVector(40, gauss));
          const skip = every > 0 ? (id: number) => id % every === 0 : undefined;
          const distance = (c: Uint32Array) =>
            [...c].reduce((d, w, i) => d + popcount((w ^ (query[i] as number)) >>> 0), 0);
          const chosen = index.nearest(query, count, skip);
          const kept = Array.from({ length: n }, (_, id) => id).filter((id) => !skip?.(id));
          expect(chosen.length).toBe(Math.min(kept.length, count));
          expect(chosen.filter((id) => skip?.(id))).toEqual([]);
          const worstChosen = Math.max(...chosen.map((id) => distance(codes[id] as Uint32Array)));
          const set = new Set(chosen);
          for (const id of kept) {
            if (!set.has(id))
              expect(distance(codes[id] as Uint32Array)).toBeGreaterThanOrEqual(worstChosen);
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it("finds ≥ 95% of the exact top 10 on random data (10,000 vectors, 256 dimensions)", () => {
    const { gauss } = random(42);
    const dims = 256;
    // Random data with structure, as embeddings have: points around random topic centres.
    const centres = Array.from({ length: 200 }, () => gaussianVector(dims, gauss));
    const vectors = Array.from({ length: 10_000 }, (_, i) => {
      const centre = centres[i % centres.length] as Float32Array;
      return centre.map((x) => x + gauss() * 0.9);
    });
    const { index, stored } = storeAll(vectors, dims);
    const load = (ids: number[]) =>
      new Map(ids.map((id) => [id, stored.get(id) as QuantizedVector]));
    let found = 0;
    const queries = 50;
    for (let q = 0; q < queries; q++) {
      const centre = centres[(q * 7) % centres.length] as Float32Array;
      const query = centre.map((x) => x + gauss() * 0.9);
      const exact = vectors
        .map((v, id) => ({ id, s: cosine(v, query) }))
        .sort((a, b) => b.s - a.s)
        .slice(0, 10)
        .map((e) => e.id);
      const hits = new Set(searchVectors(index, query, 10, load).map((h) => h.id));
      found += exact.filter((id) => hits.has(id)).length;
    }
    expect(found / (queries * 10)).toBeGreaterThanOrEqual(0.95);
  });

  it("removing a vector removes it from results; others keep their place", () => {
    const { gauss } = random(7);
    const vectors = Array.from({ length: 50 }, () => gaussianVector(16, gauss));
    const { index, stored } = storeAll(vectors, 16);
    const load = (ids: number[]) =>
      new Map(ids.map((id) => [id, stored.get(id) as QuantizedVector]));
    const best = searchVectors(index, vectors[3] as Float32Array, 1, load)[0];
    expect(best?.id).toBe(3);
    index.remove(3);
    stored.delete(3);
    expect(index.has(3)).toBe(false);
    expect(index.size).toBe(49);
    const after = searchVectors(index, vectors[3] as Float32Array, 49, load);
    expect(after.map((h) => h.id)).not.toContain(3);
    expect(searchVectors(index, vectors[49] as Float32Array, 1, load)[0]?.id).toBe(49);
    expect(searchVectors(index, [1, 2, 3], 5, load)).toEqual([]);
  });
});
