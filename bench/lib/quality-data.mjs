// Shared by the context-quality benchmark (bench/quality.mjs, bench/lib/dialogues.mjs): the
// seeded PRNG (mulberry32, so every run and every machine gets the same conversations) and
// the plain BM25 baseline with its crude stemming.

/** mulberry32: a small, well-mixed 32-bit PRNG; the same seed gives the same sequence. */
export function prng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n) => Math.floor(next() * n);
  const pick = (list) => list[int(list.length)];
  return { next, int, pick };
}

const STOP = new Set(
  "a an and are as at be but by do does for from has have i in is it its me my of on or our so that the their this to was we what when which who will with you your am".split(
    " ",
  ),
);

/** Lowercased words, a crude English suffix strip (…s, …es, …ing, …ed), stopwords out. */
export function terms(text) {
  return (text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [])
    .filter((w) => !STOP.has(w))
    .map((w) => w.replace(/(?:ing|ed|es|s)$/u, "") || w);
}

/** Plain BM25 (k1 1.2, b 0.75) over `docs` (arrays of terms): scores for a query. */
export function bm25Scores(docs, query, k1 = 1.2, b = 0.75) {
  const avg = docs.reduce((s, d) => s + d.length, 0) / docs.length;
  const df = new Map();
  for (const d of docs) for (const t of new Set(d)) df.set(t, (df.get(t) ?? 0) + 1);
  const q = [...new Set(query)];
  return docs.map((d) => {
    const tf = new Map();
    for (const t of d) tf.set(t, (tf.get(t) ?? 0) + 1);
    let score = 0;
    for (const t of q) {
      const f = tf.get(t);
      if (!f) continue;
      const n = df.get(t);
      const idf = Math.log(1 + (docs.length - n + 0.5) / (n + 0.5));
      score += (idf * f * (k1 + 1)) / (f + k1 * (1 - b + (b * d.length) / avg));
    }
    return score;
  });
}
