// `npm run bench`: edgemem against the runtime's own ceiling, on this machine, in one run.
//
// Builds the Workers as `wrangler deploy --dry-run` would (bundle size), serves each with
// Miniflare in its own process group with fresh local state, seeds data through the public
// API, then drives each scenario with autocannon in a separate process. Prints a table,
// writes bench/results/latest.json, docs/benchmarks-history.svg and the generated blocks of
// docs/benchmarks.md. The memory-quality benchmark is `npm run bench:quality` (quality.mjs).
//
// Knobs (environment): BENCH_DURATION (s per scenario, 5), BENCH_WARMUP (s, 1),
// BENCH_CONNECTIONS (8), BENCH_HISTORY (archived messages, 100,1000,10000,100000),
// BENCH_HISTORY_APPENDS (400), BENCH_LONG_TURNS (archived long turns, ~1,500 tokens each, 1000;
// 0 skips: recall then quotes excerpts and edges), BENCH_MIXED_CONVERSATIONS (1000), BENCH_MEMORIES (1000; add
// 100000 for the full sweep, ~15 min of seeding here), BENCH_COLD_RUNS (5: starts of each Worker on
// fresh state; the startup figures are medians), BENCH_MEMORY_SEED_PARALLEL (batches of
// 100 in flight, 1), BENCH_BREAKDOWN (1; 0 skips the append breakdown), BENCH_KEEP_STATE (keep
// the temp dir), BENCH_VECTORS (1; 0 skips the vector index, see bench/vectors.mjs), BENCH_ONLY
// (a partial run of the listed parts, comma-separated, out of append, breakdown, read, context,
// memory-search, mixed, history, vectors: the startup figures and the baselines always run; the
// table goes to stdout and bench/results/partial.json, and the docs are left alone).
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { call, pool } from "./lib/api.mjs";
import { runBreakdown } from "./lib/breakdown.mjs";
import { coldContext, coldStarts } from "./lib/cold.mjs";
import { runLoad } from "./lib/load-process.mjs";
import { report } from "./lib/report.mjs";
import {
  conversationTiers,
  seedArchived,
  seedConversation,
  seedMemories,
  waitForKvSteadyState,
  waitForOutboxEmpty,
} from "./lib/seed.mjs";
import { longTurn } from "./lib/text.mjs";
import { buildBundle, killAll, ROOT, startWorker } from "./lib/worker-process.mjs";
import { runVectorBench } from "./vectors.mjs";

const env = process.env;
const num = (name, fallback) => (env[name] ? Number(env[name]) : fallback);
const list = (name, fallback) => (env[name] ?? fallback).split(",").map(Number).filter(Boolean);
const settings = {
  durationS: num("BENCH_DURATION", 5),
  warmupS: num("BENCH_WARMUP", 1),
  connections: num("BENCH_CONNECTIONS", 8),
  history: list("BENCH_HISTORY", "100,1000,10000,100000"),
  historyAppends: num("BENCH_HISTORY_APPENDS", 400),
  longTurns: num("BENCH_LONG_TURNS", 1000),
  mixedConversations: num("BENCH_MIXED_CONVERSATIONS", 1000),
  memories: list("BENCH_MEMORIES", "1000"),
  memorySeedParallel: num("BENCH_MEMORY_SEED_PARALLEL", 1),
  breakdown: num("BENCH_BREAKDOWN", 1) === 1,
  coldRuns: Math.max(1, num("BENCH_COLD_RUNS", 5)),
};
const only = env.BENCH_ONLY ? env.BENCH_ONLY.split(",").map((p) => p.trim()) : null;
/** Whether this run measures a part (every part unless BENCH_ONLY names some). */
const wants = (part) => !only || only.includes(part);
if (!wants("breakdown")) settings.breakdown = false;
if (!wants("memory-search")) settings.memories = [];
if (!wants("history")) {
  settings.history = [];
  settings.longTurns = 0;
}
const KEY = "bench-key-local-only";
const CONTEXT_QUERY = "maxTokens=2000&recall=8";
const log = (...args) => console.error("[bench]", ...args);
const round = (v, d = 1) => (v === null || v === undefined ? null : Number(v.toFixed(d)));
const n = (v) => v.toLocaleString("en-US");

const tmp = mkdtempSync(join(os.tmpdir(), "edgemem-bench-"));
const results = {
  generatedAt: new Date().toISOString(),
  machine: await machine(),
  source: source(),
  runtime:
    "Miniflare + workerd serving the `wrangler deploy --dry-run` bundle (local Durable Objects with SQLite, local KV)",
  settings,
  ...(only ? { only } : {}),
  bundle: {},
  startup: {},
  scenarios: [],
  history: [],
  seeding: [],
  notImplemented: [],
};

try {
  await main();
} finally {
  killAll("SIGKILL");
  if (!env.BENCH_KEEP_STATE) rmSync(tmp, { recursive: true, force: true });
  else log(`state kept in ${tmp}`);
}

async function main() {
  log(`temp dir ${tmp}`);
  const configs = {
    edgemem: join(ROOT, "wrangler.toml"),
    baseline: join(ROOT, "bench/baseline/wrangler.toml"),
    breakdown: join(ROOT, "bench/breakdown/wrangler.toml"),
  };
  for (const [name, config] of Object.entries(configs)) {
    if (name === "breakdown" && !settings.breakdown) continue;
    results.bundle[name] = await bundleSize(config, name);
  }
  const vars = { API_KEYS: JSON.stringify({ [KEY]: "bench" }), RATE_LIMIT: "off" };
  log("starting the baseline Worker");
  const baselineOptions = {
    assetsBeside: true,
    config: configs.baseline,
    bundle: results.bundle.baseline.file,
    readyPath: "/json",
    logFile: join(tmp, "baseline.log"),
  };
  const baseline = await startWorker({
    ...baselineOptions,
    persistTo: join(tmp, "state-baseline"),
  });
  log("starting edgemem");
  const edgememState = join(tmp, "state-edgemem");
  const edgememOptions = {
    assetsBeside: true,
    bundle: results.bundle.edgemem.file,
    readyPath: "/healthz",
    vars,
    logFile: join(tmp, "edgemem.log"),
  };
  const edgemem = await startWorker({ ...edgememOptions, persistTo: edgememState });
  results.machine.loadAverageAtStart = os.loadavg().map((v) => round(v, 2));
  const firstWrite = (side, url) =>
    side === "baseline"
      ? timed(() => call(url, "POST", "/insert/cold", { body: { role: "user", content: "hi" } }))
      : timed(() =>
          call(url, "POST", "/v1/conversations/cold/messages", {
            key: KEY,
            body: { messages: [{ role: "user", content: "hi" }] },
          }),
        );
  const firstStart = {
    baselineReadyMs: baseline.startupMs,
    edgememReadyMs: edgemem.startupMs,
    baselineReadyCpuMs: baseline.startupCpuMs,
    edgememReadyCpuMs: edgemem.startupCpuMs,
    baselineFirstInsertMs: await firstWrite("baseline", baseline.url),
    edgememFirstAppendMs: await firstWrite("edgemem", edgemem.url),
  };
  log(`cold starts: ${settings.coldRuns} of each Worker`);
  results.startup = {
    note: "process spawn → first 200 (Node + Miniflare + workerd start, module evaluation); bundle already built; medians over `runs` starts on fresh state (samples in …Runs)",
    ...(await coldStarts({
      runs: settings.coldRuns,
      first: firstStart,
      baseline: baselineOptions,
      edgemem: { ...edgememOptions, logFile: join(tmp, "edgemem-cold-starts.log") },
      tmp,
      firstWrite,
    })),
  };
  results.startup.cold = await coldContext({
    bundle: results.bundle.edgemem.file,
    tmp,
    vars,
    key: KEY,
    contextQuery: CONTEXT_QUERY,
  });
  log("startup", results.startup);

  const api = (method, path, body) => call(edgemem.url, method, path, { key: KEY, body });
  const msgPath = (conv) => `/v1/conversations/${conv}/messages`;
  const auth = { authorization: `Bearer ${KEY}` };
  const base = {
    connections: settings.connections,
    duration: settings.durationS,
    warmup: settings.warmupS,
  };
  const on = (worker, extra) => ({ ...base, url: worker.url, worker, ...extra });

  // Memories before the large histories: seeding them while a 100,000-message conversation
  // works through its background work has seen the local runtime reset connections (under
  // investigation; see docs/benchmarks.md).
  for (const m of settings.memories) {
    log(`seeding ${n(m)} memories (${settings.memorySeedParallel} batches of 100 in flight)`);
    const ms = await seedMemories(api, `mem-user-${m}`, m, settings.memorySeedParallel);
    const line = `seeded ${n(m)} memories of one user in ${round(ms / 1000, 1)} s (${n(Math.round(m / (ms / 1000)))} memories per s through POST /v1/memories/batch, ${settings.memorySeedParallel} batches of 100 in flight)`;
    log(line);
    results.seeding.push(line);
  }
  // --- history: seeded first, so the grace period (archived rows kept 65 s in SQLite after
  // their segment reaches KV) runs out while the other scenarios run -----------------------
  const histories = [...settings.history].sort((a, b) => b - a);
  const ctxIds = histories.map((h) => `ctx-${h}`);
  for (const h of histories) {
    const seeded = await seedArchived(api, `ctx-${h}`, h);
    const line = `seeded ctx-${h}: ${n(seeded.messages)} messages in 100-message appends in ${round(seeded.ms / 1000, 1)} s (${n(Math.round(seeded.messages / (seeded.ms / 1000)))} messages/s), ${n(seeded.archivedMessages)} archived`;
    log(line);
    results.seeding.push(line);
  }
  const longId = `ctx-long-${settings.longTurns}`;
  if (settings.longTurns > 0) {
    const seeded = await seedArchived(api, longId, settings.longTurns, longTurn);
    const line = `seeded ${longId}: ${n(seeded.messages)} long turns (~1,500 tokens) in ${round(seeded.ms / 1000, 1)} s, ${n(seeded.archivedMessages)} archived`;
    log(line);
    results.seeding.push(line);
  }
  const steadyIds = settings.longTurns > 0 ? [...ctxIds, longId] : ctxIds;
  // While the just-archived rows are still in SQLite: the smallest and the largest history.
  const graceIds = [ctxIds.at(-1), ctxIds[0]].filter(Boolean);
  await waitForOutboxEmpty(edgememState, graceIds, 30_000);
  for (const id of graceIds.filter((v, i, a) => a.indexOf(v) === i)) {
    const h = Number(id.slice(4));
    const before = conversationTiers(edgememState, [id])[id];
    const s = await scenario(
      `context at ${n(h)} archived, rows still in SQLite (grace period)`,
      `context-grace-${h}`,
      on(edgemem, {
        headers: auth,
        requests: [{ method: "GET", path: `/v1/conversations/${id}/context?${CONTEXT_QUERY}` }],
      }),
    );
    s.tiers = { before, after: conversationTiers(edgememState, [id])[id] };
  }

  // --- baselines (their own Worker), then the seeding, while the grace period runs out ----
  const baselineOf = (label, name, request) =>
    scenario(label, name, on(baseline, { requests: [request] }));
  const json = await baselineOf("baseline: constant JSON", "baseline-json", {
    method: "GET",
    path: "/json",
  });
  const insert = await baselineOf("baseline: DO SQLite insert", "baseline-insert", {
    method: "POST",
    path: "/insert/obj-{n}",
    spread: 64,
    body: "message",
  });
  ratio(insert, json);
  const echo = await baselineOf("baseline: DO RPC echo (64 objects)", "baseline-echo", {
    method: "POST",
    path: "/echo/obj-{n}",
    spread: 64,
    body: "echo",
  });
  ratio(echo, json);
  const echo1 = await baselineOf("baseline: DO RPC echo (1 object)", "baseline-echo-1", {
    method: "POST",
    path: "/echo/one",
    body: "echo",
  });
  ratio(echo1, json);

  log("seeding 8 conversations × 200 messages for reads");
  if (wants("read") || wants("context"))
    await pool(
      Array.from({ length: 8 }, (_, c) => () => seedConversation(api, `read-${c}`, 200)),
      4,
    );
  const convs = settings.mixedConversations;
  log(`seeding ${convs} conversations × 10 messages for the mixed load`);
  if (wants("mixed"))
    await pool(
      Array.from({ length: convs }, (_, c) => () => seedConversation(api, `mix-${c}`, 10)),
      settings.connections,
    );
  // Dropping 100,000 spilled rows is real work: let it finish before edgemem is measured.
  log("waiting until the history conversations hold no outbox or spilled rows");
  const steady = await waitForKvSteadyState(edgememState, steadyIds, 150_000, log);
  results.kvState = `history conversations at measurement: ${steadyIds.map((id) => `${id} ${JSON.stringify(steady.tiers[id])}`).join("; ")}${steady.steady ? "" : " — NOT steady: archived rows still in SQLite or a summary backlog left"}`;

  // --- append and its breakdown ------------------------------------------------------------
  if (wants("append")) {
    const append = await scenario(
      "append 1 message (64 conversations)",
      "append",
      on(edgemem, {
        headers: auth,
        requests: [{ method: "POST", path: msgPath("append-{n}"), spread: 64, body: "message" }],
      }),
    );
    ratio(append, insert, 0.8);
  }
  if (settings.breakdown) {
    await runBreakdown({
      results,
      scenario,
      ratio,
      on,
      baseline,
      edgemem,
      api,
      auth,
      configs,
      tmp,
      vars,
    });
  }

  // --- reads, context, search ----------------------------------------------------------------
  if (wants("read")) {
    const read = await scenario(
      "read a page (20 newest messages)",
      "read-page",
      on(edgemem, {
        headers: auth,
        requests: [
          { method: "GET", path: `${msgPath("read-{n}")}?order=desc&limit=20`, spread: 8 },
        ],
      }),
    );
    ratio(read, echo);
  }
  if (wants("context")) {
    const context8 = await scenario(
      "context (2,000 tokens, recall 8), 8 conversations of 200 messages",
      "context-8",
      on(edgemem, {
        headers: auth,
        requests: [
          { method: "GET", path: `/v1/conversations/read-{n}/context?${CONTEXT_QUERY}`, spread: 8 },
        ],
      }),
    );
    ratio(context8, echo, 0.5);
  }
  for (const m of settings.memories) {
    const search = await scenario(
      `memory search over ${n(m)} memories of one user`,
      `memory-search-${m}`,
      on(edgemem, {
        headers: auth,
        requests: [
          {
            method: "POST",
            path: "/v1/memories/search",
            body: { query: "window seat flight", userId: `mem-user-${m}`, limit: 10 },
          },
        ],
      }),
    );
    ratio(search, echo1, m >= 100_000 ? 0.25 : null);
    // Every word of that query is in every seeded memory: the worst case, ranked over the
    // latest COMMON_WINDOW memories. One rare word (a memory's own number) is the usual case.
    const rare = await scenario(
      `memory search with one rare word over ${n(m)} memories`,
      `memory-search-rare-${m}`,
      on(edgemem, {
        headers: auth,
        requests: [
          {
            method: "POST",
            path: "/v1/memories/search",
            body: { query: `window seat ${Math.floor(m / 2)}`, userId: `mem-user-${m}`, limit: 10 },
          },
        ],
      }),
    );
    ratio(rare, echo1);
  }
  if (wants("mixed")) {
    const mixed = await scenario(
      `mixed: 80% append, 20% context, ${n(convs)} conversations`,
      "mixed",
      on(edgemem, {
        headers: auth,
        requests: [
          { weight: 8, method: "POST", path: msgPath("mix-{n}"), spread: convs, body: "message" },
          {
            weight: 2,
            method: "GET",
            path: `/v1/conversations/mix-{n}/context?${CONTEXT_QUERY}`,
            spread: convs,
          },
        ],
      }),
    );
    ratio(mixed, insert);
  }

  // --- cost against history length, archived rows read from KV ----------------------------
  for (const h of [...histories].reverse()) {
    const id = `ctx-${h}`;
    const stats = (await api("GET", `/v1/conversations/${id}`)).json?.stats ?? {};
    const row = { history: h, archivedMessages: stats.archivedMessages ?? null };
    row.context = await scenario(
      `context (2,000 tokens, recall 8) at ${n(row.archivedMessages)} archived`,
      `context-history-${h}`,
      on(edgemem, {
        headers: auth,
        requests: [{ method: "GET", path: `/v1/conversations/${id}/context?${CONTEXT_QUERY}` }],
      }),
    );
    ratio(row.context, echo1, 0.5);
    row.search = await scenario(
      `conversation search at ${n(row.archivedMessages)} archived`,
      `conversation-search-${h}`,
      on(edgemem, {
        headers: auth,
        requests: [
          {
            method: "POST",
            path: `/v1/conversations/${id}/search`,
            body: { query: "refund for the march invoice", limit: 10 },
          },
        ],
      }),
    );
    ratio(row.search, echo1);
    results.history.push(row);
  }
  if (settings.longTurns > 0) {
    await measureLongTurns(longId, {
      api,
      spec: (path) => on(edgemem, { headers: auth, requests: [{ method: "GET", path }] }),
    });
  }
  // Appends last: they move the conversations out of the steady state measured above.
  for (const row of results.history) {
    row.append = await scenario(
      `append at ${n(row.archivedMessages)} archived (${settings.historyAppends} appends, 1 conversation)`,
      `append-history-${row.history}`,
      {
        url: edgemem.url,
        worker: edgemem,
        connections: settings.connections,
        amount: settings.historyAppends,
        headers: auth,
        requests: [{ method: "POST", path: msgPath(`ctx-${row.history}`), body: "message" }],
      },
    );
    ratio(row.append, insert);
  }
  historyGrowth("append", "append p50 at largest ÷ at smallest history");
  historyGrowth("context", "context p50 at largest ÷ at smallest history", 1.5);

  results.machine.loadAverageAtEnd = os.loadavg().map((v) => round(v, 2));
  await baseline.stop();
  await edgemem.stop();
  // The in-object vector index and the local embedder (bench/vectors.mjs), after the
  // Workers stopped so they do not share the cores.
  if (env.BENCH_VECTORS !== "0" && (!only || only.includes("vectors"))) {
    log("vector index: 1,000 / 10,000 / 100,000 vectors per object …");
    results.vectors = await runVectorBench();
    console.table(results.vectors.search);
    if (results.vectors.embedding) console.table([results.vectors.embedding]);
  }
  report(results, settings, { partial: Boolean(only) });
}

/** Runs one load scenario in a child process and records it. */
async function scenario(label, name, spec) {
  log(`running ${name}`);
  const { worker, ...load } = spec;
  const cpuBefore = worker?.cpuMs();
  const figures = await runLoad(load);
  // The serving process group's CPU time per response (warm-up included on both sides):
  // unlike req/s, it hardly moves when other programs compete for the cores.
  const cpuMsPerRequest = worker
    ? round((worker.cpuMs() - cpuBefore) / Math.max(1, figures.responses), 3)
    : null;
  const entry = {
    name,
    label,
    connections: spec.connections,
    ...(spec.amount ? { requestsPlanned: spec.amount } : { durationS: spec.duration }),
    rps: round(figures.rps, 0),
    p50: figures.p50,
    p99: figures.p99,
    mean: round(figures.mean, 2),
    requests: figures.requests,
    failed: figures.non2xx + figures.errors + figures.timeouts,
    cpuMsPerRequest,
    loadAverage: round(os.loadavg()[0], 2),
    baseline: null,
    ratio: null,
    target: null,
  };
  if (figures.ok === 0) {
    // Not one response within the run: autocannon reports 0 ms, which would read as fast.
    entry.p50 = null;
    entry.p99 = null;
    entry.note = `no response completed within the ${spec.duration ?? "?"} s run`;
  }
  if (entry.failed > 0)
    log(`  ${name}: ${entry.failed} requests failed (non-2xx, errors, timeouts)`);
  results.scenarios.push(entry);
  return entry;
}

function ratio(entry, baseline, target = null) {
  entry.baseline = baseline.name;
  entry.ratio = baseline.rps ? round(entry.rps / baseline.rps, 2) : null;
  if (target !== null) {
    entry.target = `≥ ${target}× throughput`;
    entry.meetsTarget = entry.ratio !== null && entry.ratio >= target && entry.failed === 0;
  }
}

/**
 * The context call where recall's hits and their neighbours are long turns, so it quotes
 * excerpts of the hits and edges of the neighbours: its CPU per call against the same call
 * on short turns at the same archived count (the history row), when that row was measured.
 */
async function measureLongTurns(id, { api, spec }) {
  const path = `/v1/conversations/${id}/context?${CONTEXT_QUERY}`;
  const probe = (await api("GET", path)).json ?? {};
  const recalled = probe.recalled ?? [];
  const excerpts = recalled.filter((r) => r.excerpt).length;
  const stats = (await api("GET", `/v1/conversations/${id}`)).json?.stats ?? {};
  const archived = stats.archivedMessages ?? settings.longTurns;
  const long = await scenario(
    `context (2,000 tokens, recall 8) at ${n(archived)} archived long turns (~1,500 tokens)`,
    `context-long-turns-${settings.longTurns}`,
    spec(path),
  );
  const short = results.history.find((r) => r.history === settings.longTurns)?.context;
  results.longTurns = {
    archived,
    recalled: recalled.length,
    excerpts,
    cpuMs: long.cpuMsPerRequest,
    p50: long.p50,
    ...(short
      ? {
          shortCpuMs: short.cpuMsPerRequest,
          shortP50: short.p50,
          cpuRatio:
            short.cpuMsPerRequest && long.cpuMsPerRequest !== null
              ? round(long.cpuMsPerRequest / short.cpuMsPerRequest, 2)
              : null,
        }
      : {}),
  };
}

function historyGrowth(kind, label, target = null) {
  const rows = results.history.filter((r) => r[kind]);
  if (rows.length < 2) return;
  const first = rows[0];
  const last = rows.at(-1);
  // A run in which no request finished has no p50: it grew beyond the run's length.
  const growth =
    last[kind].p50 === null ? null : round(last[kind].p50 / Math.max(first[kind].p50, 0.01), 2);
  results[`${kind}HistoryGrowth`] = {
    label,
    from: first.archivedMessages ?? first.history,
    to: last.archivedMessages ?? last.history,
    p50Ratio: growth,
    ...(target ? { target: `≤ ${target}×`, meetsTarget: growth !== null && growth <= target } : {}),
  };
}

async function timed(fn) {
  const start = performance.now();
  const response = await fn();
  if (response.status >= 300) throw new Error(`cold request failed: ${response.status}`);
  return round(performance.now() - start, 1);
}

async function bundleSize(config, name) {
  const file = await buildBundle(config, join(tmp, `dist-${name}`));
  const bytes = statSync(file).size;
  const gzipBytes = gzipSync(readFileSync(file)).length;
  return {
    file,
    bytes,
    gzipBytes,
    kib: round(bytes / 1024, 0),
    gzipKib: round(gzipBytes / 1024, 0),
  };
}

/** The commit measured, and whether src/ had uncommitted changes (other engineers' work). */
function source() {
  const git = (...args) => execFileSync("git", args, { cwd: ROOT, encoding: "utf8" }).trim();
  try {
    const dirty = git("status", "--porcelain", "--", "src").split("\n").filter(Boolean).length;
    return `commit ${git("rev-parse", "--short", "HEAD")}${dirty ? ` + ${dirty} uncommitted file(s) in src/ (work in progress in the shared tree)` : ", src/ clean"}`;
  } catch {
    return "unknown (no git)";
  }
}

async function machine() {
  const pkg = (name) =>
    JSON.parse(readFileSync(join(ROOT, "node_modules", name, "package.json"), "utf8"));
  return {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? "unknown",
    memoryGiB: round(os.totalmem() / 2 ** 30, 1),
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    wrangler: pkg("wrangler").version,
    autocannon: pkg("autocannon").version,
    miniflare: pkg("miniflare").version,
    workerd: pkg("workerd").version,
    workerdCompatibilityDate: (await import("workerd")).default.compatibilityDate,
  };
}
