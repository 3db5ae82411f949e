// `npm run bench:vectors`: the in-object vector index (src/memory/vectors/) at 1,000, 10,000
// and 100,000 vectors per object, as a Durable Object holds them: int8 vectors and binary
// codes in SQLite (node:sqlite here, the same engine), the codes in memory, candidates
// rescored from SQLite. Reports search latency (p50/p95 over BENCH_VECTOR_QUERIES queries),
// the prefilter's memory, recall@10 against exact search, and the local embedder's
// throughput (scripts/embedder.mjs). Budget (issue 15): 100,000 searched in ≤ 10 ms, ≤ 16 MB.
// Knobs: BENCH_VECTOR_SIZES (1000,10000,100000), BENCH_VECTOR_DIMS (512), BENCH_VECTOR_QUERIES
// (200), BENCH_EMBED_TEXTS (256; 0 skips the embedder). Writes bench/results/vectors.json.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { prng } from "./lib/quality-data.mjs";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const env = process.env;
const sizes = (env.BENCH_VECTOR_SIZES ?? "1000,10000,100000").split(",").map(Number);
const dims = Number(env.BENCH_VECTOR_DIMS ?? 512);
const queries = Number(env.BENCH_VECTOR_QUERIES ?? 200);
const embedTexts = Number(env.BENCH_EMBED_TEXTS ?? 256);
const log = (...args) => console.error("[bench:vectors]", ...args);

/** The pure vector code, bundled from src/ (TypeScript) for Node. */
async function loadVectorCode(dir) {
  const entry = join(dir, "entry.ts");
  writeFileSync(
    entry,
    ["code-index", "quantize", "search"]
      .map((m) => `export * from ${JSON.stringify(join(ROOT, "src/memory/vectors", m))};`)
      .join("\n"),
  );
  const out = join(dir, "vectors.mjs");
  await build({
    entryPoints: [entry],
    bundle: true,
    format: "esm",
    platform: "node",
    outfile: out,
    logLevel: "warning",
  });
  return import(out);
}

/** Seeded Gaussian samples (mulberry32 + Box-Muller), so runs compare. */
function gaussian(seed) {
  const { next } = prng(seed);
  return () => Math.sqrt(-2 * Math.log(next() + 1e-12)) * Math.cos(2 * Math.PI * next());
}

/** Embedding-like data: points around topic centres (real embeddings cluster by topic). */
function dataset(n, gauss) {
  const centres = Array.from({ length: Math.max(20, Math.round(n / 50)) }, () =>
    Float32Array.from({ length: dims }, gauss),
  );
  const point = (i) => (centres[i % centres.length] ?? centres[0]).map((x) => x + gauss() * 0.9);
  return { centres, point };
}

const percentile = (sorted, p) =>
  sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];

async function benchSize(v, n) {
  const { DatabaseSync } = await import("node:sqlite");
  const gauss = gaussian(n);
  const { point } = dataset(n, gauss);
  const db = new DatabaseSync(":memory:");
  db.exec(
    "CREATE TABLE vectors (id INTEGER PRIMARY KEY, scale REAL NOT NULL, q BLOB NOT NULL, code BLOB NOT NULL)",
  );
  const insert = db.prepare("INSERT INTO vectors (id, scale, q, code) VALUES (?, ?, ?, ?)");
  // The unit float vectors, kept apart for the exact-search reference (recall).
  const units = new Float32Array(n * dims);
  db.exec("BEGIN");
  for (let id = 1; id <= n; id++) {
    const unit = v.normalize(point(id));
    units.set(unit, (id - 1) * dims);
    const stored = v.quantize(unit);
    const code = v.binaryCode(stored.q);
    insert.run(id, stored.scale, new Uint8Array(stored.q.buffer), new Uint8Array(code.buffer));
  }
  db.exec("COMMIT");

  // The prefilter as an object builds it on first search: codes read from SQLite.
  global.gc?.();
  const heapBefore = process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers;
  const t0 = performance.now();
  const index = new v.CodeIndex(dims, n);
  for (const row of db.prepare("SELECT id, code FROM vectors").iterate()) {
    index.add(
      row.id,
      new Uint32Array(
        row.code.buffer.slice(row.code.byteOffset, row.code.byteOffset + row.code.byteLength),
      ),
    );
  }
  const buildMs = performance.now() - t0;
  global.gc?.();
  const heapAfter = process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers;

  const load = db.prepare(
    "SELECT id, scale, q FROM vectors WHERE id IN (SELECT value FROM json_each(?))",
  );
  const loadVectors = (ids) => {
    const found = new Map();
    for (const row of load.iterate(JSON.stringify(ids))) {
      found.set(row.id, {
        q: new Int8Array(row.q.buffer, row.q.byteOffset, row.q.byteLength),
        scale: row.scale,
      });
    }
    return found;
  };
  const queryVectors = Array.from({ length: queries }, (_, i) => point(i * 7 + 3));
  for (const q of queryVectors.slice(0, 20)) v.searchVectors(index, q, 10, loadVectors); // warm-up
  const times = [];
  for (const q of queryVectors) {
    const start = performance.now();
    v.searchVectors(index, q, 10, loadVectors);
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);

  // Recall@10 of the index (prefilter + rescoring) against exact float search over all n.
  let found = 0;
  const probes = queryVectors.slice(0, 30);
  for (const q of probes) {
    const unit = v.normalize(q);
    const scores = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      let s = 0;
      const base = i * dims;
      for (let d = 0; d < dims; d++) s += units[base + d] * unit[d];
      scores[i] = s;
    }
    const exact = Array.from(scores.keys())
      .sort((a, b) => scores[b] - scores[a])
      .slice(0, 10)
      .map((i) => i + 1);
    const hits = new Set(v.searchVectors(index, q, 10, loadVectors).map((h) => h.id));
    found += exact.filter((id) => hits.has(id)).length;
  }
  db.close();
  return {
    vectors: n,
    dims,
    searchP50Ms: Number(percentile(times, 0.5).toFixed(2)),
    searchP95Ms: Number(percentile(times, 0.95).toFixed(2)),
    prefilterMB: Number((index.bytes() / 2 ** 20).toFixed(2)),
    heapDeltaMB: Number(((heapAfter - heapBefore) / 2 ** 20).toFixed(2)),
    buildMs: Number(buildMs.toFixed(0)),
    recallAt10: Number((found / (probes.length * 10)).toFixed(3)),
  };
}

async function embedderThroughput() {
  if (embedTexts <= 0) return null;
  const {
    embedTexts: embed,
    loadModel,
    LOCAL_EMBEDDING_MODEL,
  } = await import("../scripts/embedder.mjs");
  await loadModel();
  const texts = Array.from(
    { length: embedTexts },
    (_, i) =>
      `Message ${i}: we talked about the trip to Kyoto and which train to take on day ${i % 30}.`,
  );
  await embed(texts.slice(0, 8));
  const start = performance.now();
  for (let i = 0; i < texts.length; i += 32) await embed(texts.slice(i, i + 32));
  const seconds = (performance.now() - start) / 1000;
  return {
    model: LOCAL_EMBEDDING_MODEL,
    texts: texts.length,
    batch: 32,
    textsPerSecond: Number((texts.length / seconds).toFixed(1)),
  };
}

export async function runVectorBench() {
  const dir = mkdtempSync(join(os.tmpdir(), "edgemem-vectors-"));
  try {
    const v = await loadVectorCode(dir);
    const search = [];
    for (const n of sizes) {
      log(`${n.toLocaleString("en-US")} vectors of ${dims} dimensions …`);
      search.push(await benchSize(v, n));
    }
    const embedding = await embedderThroughput();
    return { search, embedding, budget: { vectors: 100_000, searchMs: 10, memoryMB: 16 } };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const result = await runVectorBench();
  console.table(result.search);
  if (result.embedding) console.table([result.embedding]);
  writeFileSync(
    join(ROOT, "bench/results/vectors.json"),
    `${JSON.stringify({ generatedAt: new Date().toISOString(), cpu: os.cpus()[0]?.model, node: process.version, ...result }, null, 2)}\n`,
  );
}
