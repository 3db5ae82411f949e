// `npm run bench:hybrid`: what recall by meaning adds to a context call. One Worker, its
// conversations embedded in the background as in production (two vectors a message), and
// the same context call asked by words alone (`mode: "lexical"`) and by words and meaning
// (`mode: "hybrid"`): latency, req/s and the Worker's CPU time per call, at each history
// length. The embeddings come from a stand-in in this process (`bagOfWords`: hashed words,
// 512 dimensions, cheap and deterministic), so the Worker's CPU figure is edgemem's own work —
// the query's vector, the scan of the vector index, the fusion — and the latency holds no
// model's inference. Recall quality is `npm run bench:quality`'s business, with a real model.
// Knobs: BENCH_HYBRID_HISTORIES (archived messages per conversation: 1000,10000),
// BENCH_DURATION (s per scenario, 5), BENCH_WARMUP (s, 1), BENCH_CONNECTIONS (4).
// Writes bench/results/hybrid-context.json and the `hybrid-context` block of docs/benchmarks.md.
import { writeFileSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import {
  bagOfWords,
  LOCAL_EMBEDDING_DIMENSIONS as DIMENSIONS,
  startEmbedderServer,
} from "../scripts/embedder.mjs";
import { call } from "./lib/api.mjs";
import { generateDialogues } from "./lib/dialogues.mjs";
import { runLoad } from "./lib/load-process.mjs";
import { markdownTable, replaceBlock } from "./lib/report.mjs";
import { seedArchived, waitForOutboxEmpty } from "./lib/seed.mjs";
import { buildBundle, inTempDir, ROOT, startWorker } from "./lib/worker-process.mjs";

const env = process.env;
const KEY = "bench-key-local-only";
const settings = {
  histories: (env.BENCH_HYBRID_HISTORIES ?? "1000,10000").split(",").map(Number),
  durationS: Number(env.BENCH_DURATION ?? 5),
  warmupS: Number(env.BENCH_WARMUP ?? 1),
  connections: Number(env.BENCH_CONNECTIONS ?? 4),
};
// The turns of one generated group chat (the quality benchmark's), said again and again, each
// time with its number: text with the variety of a chat, where meaning and words rank apart.
const [DIALOGUE] = generateDialogues({ count: 1 });
const chatText = (i) => {
  const m = DIALOGUE.messages[i % DIALOGUE.messages.length];
  return `${m.name ? `${m.name}: ` : ""}${m.content} (${i})`;
};
const BODY = { maxTokens: 2000, recall: 8, query: DIALOGUE.questions[0].question };
const log = (...args) => console.error("[bench:hybrid]", ...args);
const round = (v, d = 2) => Math.round(v * 10 ** d) / 10 ** d;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

await inTempDir("edgemem-hybrid-", main);

async function main(tmp) {
  const embedded = { count: 0, at: performance.now() };
  const embedder = await startEmbedderServer({
    port: 0,
    embed: async (texts) => texts.map(bagOfWords),
    onEmbedded: (n) => {
      embedded.count += n;
      embedded.at = performance.now();
    },
  });
  const bundle = await buildBundle(join(ROOT, "wrangler.toml"), join(tmp, "dist"));
  const state = join(tmp, "state");
  const worker = await startWorker({
    bundle,
    persistTo: state,
    assetsBeside: true,
    readyPath: "/healthz",
    vars: {
      API_KEYS: JSON.stringify({ [KEY]: "bench" }),
      RATE_LIMIT: "off",
      EMBEDDINGS: "openai",
      EMBEDDINGS_URL: embedder.url,
      EMBEDDINGS_MODEL: "stand-in-hashed-words",
      EMBEDDINGS_DIMENSIONS: String(DIMENSIONS),
    },
    logFile: join(tmp, "worker.log"),
  });
  const api = (method, path, body) => call(worker.url, method, path, { key: KEY, body });

  const seeded = [];
  for (const h of settings.histories) {
    const s = await seedArchived(api, `hybrid-${h}`, h, chatText);
    log(`seeded hybrid-${h}: ${s.messages} messages, ${s.archivedMessages} archived`);
    seeded.push(s);
  }
  await waitForOutboxEmpty(
    state,
    seeded.map((s) => s.id),
    300_000,
  );
  // Every message embedded (two texts each, less the first's exchange), then a quiet moment.
  const texts = seeded.reduce((n, s) => n + 2 * s.messages - 1, 0);
  const deadline = performance.now() + 30 * 60_000;
  while (embedded.count < texts || performance.now() - embedded.at < 3000) {
    if (performance.now() > deadline)
      throw new Error(`only ${embedded.count} of ${texts} embedded`);
    await sleep(1000);
  }
  log(`embedded ${embedded.count} texts`);

  const rows = [];
  for (const s of seeded) {
    const figures = {};
    for (const mode of ["lexical", "hybrid"]) {
      // Once with `explain`: the candidates say which ranking found them, so a hybrid run
      // that never reached the vector index fails instead of passing for one.
      const check = await api("POST", `/v1/conversations/${s.id}/context`, {
        ...BODY,
        mode,
        explain: true,
      });
      if (check.status !== 200) throw new Error(`context ${mode}: ${check.status} ${check.text}`);
      const byMeaning = (items) => items.filter((c) => c.match?.semantic != null).length;
      const recalled = check.json.recalled;
      const candidates = check.json.explain.candidates;
      if (mode === "hybrid" && byMeaning(candidates) === 0) {
        throw new Error("no candidate found by meaning: the vector path was not measured");
      }
      const cpuBefore = worker.cpuMs();
      const load = await runLoad({
        url: worker.url,
        connections: settings.connections,
        duration: settings.durationS,
        warmup: settings.warmupS,
        headers: { authorization: `Bearer ${KEY}` },
        requests: [
          { method: "POST", path: `/v1/conversations/${s.id}/context`, body: { ...BODY, mode } },
        ],
      });
      figures[mode] = {
        rps: Math.round(load.rps),
        p50: load.p50,
        p99: load.p99,
        failed: load.non2xx + load.errors + load.timeouts,
        cpuMsPerRequest: round((worker.cpuMs() - cpuBefore) / Math.max(1, load.responses), 3),
        recalled: recalled.length,
        recalledByMeaning: byMeaning(recalled),
        candidates: candidates.length,
        candidatesByMeaning: byMeaning(candidates),
      };
      log(`${s.id} ${mode}`, figures[mode]);
    }
    rows.push({ history: s.messages, archived: s.archivedMessages, ...figures });
  }
  await worker.stop();
  await embedder.close();

  const table = [
    [
      "archived messages",
      "mode",
      "req/s",
      "p50 ms",
      "p99 ms",
      "CPU ms/call",
      "candidates (by meaning)",
      "recalled (by meaning)",
      "failed",
    ],
  ];
  for (const r of rows) {
    for (const mode of ["lexical", "hybrid"]) {
      const f = r[mode];
      table.push([
        r.archived.toLocaleString("en-US"),
        mode,
        String(f.rps),
        String(f.p50),
        String(f.p99),
        String(f.cpuMsPerRequest),
        `${f.candidates} (${f.candidatesByMeaning})`,
        `${f.recalled} (${f.recalledByMeaning})`,
        String(f.failed),
      ]);
    }
    table.push([
      "",
      "hybrid ÷ lexical",
      "",
      "",
      "",
      `${round(r.hybrid.cpuMsPerRequest / r.lexical.cpuMsPerRequest, 2)}×`,
      "",
      "",
      "",
    ]);
  }
  const note = `Run of ${new Date().toISOString()} on ${os.cpus().length} × ${os.cpus()[0]?.model ?? "?"}; ${settings.connections} connections, ${settings.durationS} s a scenario; POST …/context ${JSON.stringify(BODY)} with \`mode\` lexical, then hybrid, on the same conversation; embeddings from a stand-in (hashed words, ${DIMENSIONS} dimensions), two vectors a message.`;
  console.log(`\n${note}\n`);
  for (const line of markdownTable(table)) console.log(line);
  writeFileSync(
    join(ROOT, "bench/results/hybrid-context.json"),
    `${JSON.stringify({ generatedAt: new Date().toISOString(), settings, body: BODY, rows }, null, 2)}\n`,
  );
  replaceBlock(join(ROOT, "docs/benchmarks.md"), "hybrid-context", [
    note,
    "",
    ...markdownTable(table),
  ]);
}
