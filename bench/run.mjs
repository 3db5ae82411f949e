// `npm run bench`: edgemem against the runtime's own ceiling, on this machine, in one run.
//
// Builds both Workers as `wrangler deploy --dry-run` would (bundle size), starts each under
// `wrangler dev` with fresh local state, seeds data through the public API, then drives each
// scenario with autocannon in a separate process. Prints a table, writes
// bench/results/latest.json, docs/benchmarks-history.svg and the table in docs/benchmarks.md.
//
// Knobs (environment): BENCH_DURATION (s per scenario, 5), BENCH_WARMUP (s, 1),
// BENCH_CONNECTIONS (8), BENCH_HISTORY (100,1000,10000), BENCH_HISTORY_CONVERSATIONS (4),
// BENCH_HISTORY_APPENDS (400), BENCH_MIXED_CONVERSATIONS (1000), BENCH_MEMORIES (1000),
// BENCH_KEEP_STATE (keep the temp dir).
import { spawn } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import os from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { call, pool } from "./lib/api.mjs";
import { renderLatencyChart } from "./lib/chart.mjs";
import { sentence } from "./lib/text.mjs";
import { buildBundle, killAll, ROOT, startWorker } from "./lib/worker-process.mjs";

const env = process.env;
const num = (name, fallback) => (env[name] ? Number(env[name]) : fallback);
const list = (name, fallback) => (env[name] ?? fallback).split(",").map(Number).filter(Boolean);
const settings = {
  durationS: num("BENCH_DURATION", 5),
  warmupS: num("BENCH_WARMUP", 1),
  connections: num("BENCH_CONNECTIONS", 8),
  history: list("BENCH_HISTORY", "100,1000,10000"),
  historyConversations: num("BENCH_HISTORY_CONVERSATIONS", 4),
  historyAppends: num("BENCH_HISTORY_APPENDS", 400),
  mixedConversations: num("BENCH_MIXED_CONVERSATIONS", 1000),
  memories: list("BENCH_MEMORIES", "1000"),
};
const KEY = "bench-key-local-only";
const log = (...args) => console.error("[bench]", ...args);
const round = (v, d = 1) => (v === null || v === undefined ? null : Number(v.toFixed(d)));

const tmp = mkdtempSync(join(os.tmpdir(), "edgemem-bench-"));
const results = {
  generatedAt: new Date().toISOString(),
  machine: await machine(),
  runtime:
    "Miniflare + workerd serving the `wrangler deploy --dry-run` bundle (local Durable Objects with SQLite, local KV)",
  settings,
  bundle: {},
  startup: {},
  scenarios: [],
  history: [],
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
  results.bundle.edgemem = await bundleSize(join(ROOT, "wrangler.toml"), "edgemem");
  results.bundle.baseline = await bundleSize(
    join(ROOT, "bench/baseline/wrangler.toml"),
    "baseline",
  );

  log("starting the baseline Worker");
  const baseline = await startWorker({
    config: join(ROOT, "bench/baseline/wrangler.toml"),
    bundle: results.bundle.baseline.file,
    persistTo: join(tmp, "state-baseline"),
    readyPath: "/json",
    logFile: join(tmp, "baseline.log"),
  });
  log("starting edgemem");
  const edgemem = await startWorker({
    bundle: results.bundle.edgemem.file,
    persistTo: join(tmp, "state-edgemem"),
    readyPath: "/healthz",
    vars: { API_KEYS: JSON.stringify({ [KEY]: "bench" }), RATE_LIMIT: "off" },
    logFile: join(tmp, "edgemem.log"),
  });
  results.machine.loadAverageAtStart = os.loadavg().map((v) => round(v, 2));
  results.startup = {
    note: "process spawn → first 200 (Node + Miniflare + workerd start, module evaluation); bundle already built",
    baselineReadyMs: baseline.startupMs,
    edgememReadyMs: edgemem.startupMs,
    baselineFirstInsertMs: await timed(() =>
      call(baseline.url, "POST", "/insert/cold", { body: { role: "user", content: "hi" } }),
    ),
    edgememFirstAppendMs: await timed(() =>
      call(edgemem.url, "POST", "/v1/conversations/cold/messages", {
        key: KEY,
        body: { messages: [{ role: "user", content: "hi" }] },
      }),
    ),
  };
  log("startup", results.startup);

  const api = (method, path, body) => call(edgemem.url, method, path, { key: KEY, body });
  const msgPath = (conv) => `/v1/conversations/${conv}/messages`;
  const auth = { authorization: `Bearer ${KEY}` };
  const base = {
    connections: settings.connections,
    duration: settings.durationS,
    warmup: settings.warmupS,
  };

  // --- each edgemem scenario runs right after its baseline, so both see similar machine load ---
  // --- baselines ---------------------------------------------------------------------------
  const json = await scenario("baseline: constant JSON", "baseline-json", {
    ...base,
    url: baseline.url,
    requests: [{ method: "GET", path: "/json" }],
  });
  const insert = await scenario("baseline: DO SQLite insert", "baseline-insert", {
    ...base,
    url: baseline.url,
    requests: [{ method: "POST", path: "/insert/obj-{n}", spread: 64, body: "message" }],
  });
  ratio(insert, json);

  // --- append and read ---------------------------------------------------------------------
  const append = await scenario("append 1 message (64 conversations)", "append", {
    ...base,
    url: edgemem.url,
    headers: auth,
    requests: [{ method: "POST", path: msgPath("append-{n}"), spread: 64, body: "message" }],
  });
  ratio(append, insert, 0.8);

  log("seeding 8 conversations × 200 messages for reads");
  await pool(
    Array.from({ length: 8 }, (_, c) => () => seedConversation(api, `read-${c}`, 200)),
    4,
  );
  const echo = await scenario("baseline: DO RPC echo", "baseline-echo", {
    ...base,
    url: baseline.url,
    requests: [{ method: "POST", path: "/echo/obj-{n}", spread: 64, body: "echo" }],
  });
  ratio(echo, json);
  const read = await scenario("read a page (20 newest messages)", "read-page", {
    ...base,
    url: edgemem.url,
    headers: auth,
    requests: [{ method: "GET", path: `${msgPath("read-{n}")}?order=desc&limit=20`, spread: 8 }],
  });
  ratio(read, echo);

  // --- probes for endpoints that other issues add ------------------------------------------
  const has = {
    context: await probe(api("GET", "/v1/conversations/read-0/context?maxTokens=2000&recall=8")),
    conversationSearch: await probe(
      api("POST", "/v1/conversations/read-0/search", { query: "refund", limit: 10 }),
    ),
    memorySearch: await probe(
      api("POST", "/v1/memories/search", { query: "refund", userId: "probe-user", limit: 10 }),
    ),
  };
  log("endpoints present", has);

  // --- cost against history length ---------------------------------------------------------
  for (const h of settings.history) {
    log(`seeding ${settings.historyConversations} conversations × ${h} messages`);
    await pool(
      Array.from(
        { length: settings.historyConversations },
        (_, c) => () => seedConversation(api, `hist-${h}-${c}`, h),
      ),
      Math.min(4, settings.connections),
    );
    const stats = (await api("GET", `/v1/conversations/hist-${h}-0`)).json?.stats ?? {};
    const row = { history: h, archivedMessages: stats.archivedMessages ?? null };
    const perConversation = Math.ceil(settings.historyAppends / settings.historyConversations);
    row.append = await scenario(
      `append at ${h.toLocaleString("en-US")} history`,
      `append-history-${h}`,
      {
        url: edgemem.url,
        connections: settings.connections,
        amount: settings.historyAppends,
        headers: auth,
        requests: [
          {
            method: "POST",
            path: msgPath(`hist-${h}-{n}`),
            spread: settings.historyConversations,
            body: "message",
          },
        ],
        historyRange: `${h}–${h + perConversation} messages`,
      },
    );
    ratio(row.append, insert);
    row.context = has.context
      ? await scenario(
          `context (2,000 tokens, recall 8) at ${h.toLocaleString("en-US")} history`,
          `context-history-${h}`,
          {
            ...base,
            url: edgemem.url,
            headers: auth,
            requests: [
              {
                method: "GET",
                path: `/v1/conversations/hist-${h}-{n}/context?maxTokens=2000&recall=8`,
                spread: settings.historyConversations,
              },
            ],
          },
        )
      : null;
    if (row.context) ratio(row.context, echo, 0.5);
    row.search = has.conversationSearch
      ? await scenario(
          `conversation search at ${h.toLocaleString("en-US")} history`,
          `conversation-search-${h}`,
          {
            ...base,
            url: edgemem.url,
            headers: auth,
            requests: [
              {
                method: "POST",
                path: `/v1/conversations/hist-${h}-{n}/search`,
                spread: settings.historyConversations,
                body: { query: "refund for the march invoice", limit: 10 },
              },
            ],
          },
        )
      : null;
    if (row.search) ratio(row.search, echo);
    results.history.push(row);
  }
  historyGrowth("append", "append p50 at largest ÷ at smallest history");
  if (has.context) historyGrowth("context", "context p50 at largest ÷ at smallest history", 1.5);
  if (!has.context)
    notImplemented("context (budget 2,000, recall 8) at each history length", "GET …/context");
  if (!has.conversationSearch) notImplemented("conversation search", "POST …/search");

  // --- memory search -----------------------------------------------------------------------
  for (const m of settings.memories) {
    if (!has.memorySearch) {
      notImplemented(
        `memory search over ${m.toLocaleString("en-US")} memories of one user`,
        "POST /v1/memories/search",
      );
      continue;
    }
    log(`seeding ${m} memories`);
    const user = `mem-user-${m}`;
    await pool(
      Array.from(
        { length: m },
        (_, i) => () => api("POST", "/v1/memories", { text: sentence(i), userId: user }),
      ),
      settings.connections,
    );
    const search = await scenario(
      `memory search over ${m.toLocaleString("en-US")} memories`,
      `memory-search-${m}`,
      {
        ...base,
        url: edgemem.url,
        headers: auth,
        requests: [
          {
            method: "POST",
            path: "/v1/memories/search",
            body: { query: "window seat flight", userId: user, limit: 10 },
          },
        ],
      },
    );
    ratio(search, echo);
  }

  // --- mixed load ---------------------------------------------------------------------------
  const convs = settings.mixedConversations;
  log(`seeding ${convs} conversations × 10 messages for the mixed load`);
  await pool(
    Array.from({ length: convs }, (_, c) => () => seedConversation(api, `mix-${c}`, 10)),
    settings.connections,
  );
  const secondary = has.context
    ? { label: "context", path: `/v1/conversations/mix-{n}/context?maxTokens=2000&recall=8` }
    : {
        label: "read page (context not implemented yet)",
        path: `${msgPath("mix-{n}")}?order=desc&limit=20`,
      };
  const mixed = await scenario(
    `mixed: 80% append, 20% ${secondary.label}, ${convs} conversations`,
    "mixed",
    {
      ...base,
      url: edgemem.url,
      headers: auth,
      requests: [
        { weight: 8, method: "POST", path: msgPath("mix-{n}"), spread: convs, body: "message" },
        { weight: 2, method: "GET", path: secondary.path, spread: convs },
      ],
    },
  );
  ratio(mixed, insert);

  results.machine.loadAverageAtEnd = os.loadavg().map((v) => round(v, 2));
  await baseline.stop();
  await edgemem.stop();
  report();
}

/** Runs one load scenario in a child process and records it. */
async function scenario(label, name, spec) {
  log(`running ${name}`);
  const { historyRange, ...load } = spec;
  const figures = await loadProcess(load);
  const entry = {
    name,
    label,
    connections: load.connections,
    ...(load.amount ? { requestsPlanned: load.amount } : { durationS: load.duration }),
    ...(historyRange ? { historyRange } : {}),
    rps: round(figures.rps, 0),
    p50: figures.p50,
    p99: figures.p99,
    mean: round(figures.mean, 2),
    requests: figures.requests,
    failed: figures.non2xx + figures.errors + figures.timeouts,
    baseline: null,
    ratio: null,
    target: null,
  };
  if (entry.failed > 0)
    log(`  ${name}: ${entry.failed} requests failed (non-2xx, errors, timeouts)`);
  results.scenarios.push(entry);
  return entry;
}

function loadProcess(spec) {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [join(ROOT, "bench/lib/load.mjs"), JSON.stringify(spec)],
      {
        stdio: ["ignore", "pipe", "inherit"],
      },
    );
    let out = "";
    child.stdout.on("data", (d) => {
      out += d;
    });
    child.on("error", reject);
    child.on("exit", (code) => {
      const line = out.trim().split("\n").at(-1);
      if (code !== 0 || !line) reject(new Error(`load generator exited with ${code}`));
      else resolve(JSON.parse(line));
    });
  });
}

function ratio(entry, baseline, target = null) {
  entry.baseline = baseline.name;
  entry.ratio = baseline.rps ? round(entry.rps / baseline.rps, 2) : null;
  if (target !== null) {
    entry.target = `≥ ${target}× throughput`;
    entry.meetsTarget = entry.ratio !== null && entry.ratio >= target && entry.failed === 0;
  }
}

function historyGrowth(kind, label, target = null) {
  const rows = results.history.filter((r) => r[kind]);
  if (rows.length < 2) return;
  const first = rows[0];
  const last = rows.at(-1);
  const growth = round(last[kind].p50 / Math.max(first[kind].p50, 0.01), 2);
  results[`${kind}HistoryGrowth`] = {
    label,
    from: first.history,
    to: last.history,
    p50Ratio: growth,
    ...(target ? { target: `≤ ${target}×`, meetsTarget: growth <= target } : {}),
  };
}

function notImplemented(label, route) {
  results.notImplemented.push({ label, route });
  results.scenarios.push({ name: label, label, status: "not implemented yet" });
}

async function probe(responsePromise) {
  const response = await responsePromise;
  return response.status !== 404;
}

async function seedConversation(api, id, count) {
  for (let done = 0; done < count; done += 100) {
    const messages = [];
    for (let i = done; i < Math.min(done + 100, count); i++) {
      messages.push({
        role: i % 2 ? "assistant" : "user",
        content: sentence(i),
        id: `${id}-s${i}`,
      });
    }
    const response = await api("POST", `/v1/conversations/${id}/messages`, { messages });
    if (response.status !== 201) {
      throw new Error(`seeding ${id} failed: ${response.status} ${response.text.slice(0, 200)}`);
    }
  }
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

async function machine() {
  const pkg = (name) =>
    JSON.parse(readFileSync(join(ROOT, "node_modules", name, "package.json"), "utf8"));
  const wrangler = pkg("wrangler");
  const autocannon = pkg("autocannon");
  return {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? "unknown",
    memoryGiB: round(os.totalmem() / 2 ** 30, 1),
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    wrangler: wrangler.version,
    autocannon: autocannon.version,
    miniflare: pkg("miniflare").version,
    workerd: pkg("workerd").version,
    workerdCompatibilityDate: (await import("workerd")).default.compatibilityDate,
  };
}

// --- output -----------------------------------------------------------------------------------

function tableRows() {
  const rows = [
    ["scenario", "req/s", "p50 ms", "p99 ms", "failed", "vs baseline", "ratio", "target"],
  ];
  for (const s of results.scenarios) {
    if (s.status) {
      rows.push([s.label, s.status, "", "", "", "", "", ""]);
      continue;
    }
    rows.push([
      s.label,
      String(s.rps),
      String(s.p50),
      String(s.p99),
      String(s.failed),
      s.baseline ?? "",
      s.ratio === null ? "" : `${s.ratio}×`,
      s.target ? `${s.target} ${s.meetsTarget ? "✓" : "✗"}` : "",
    ]);
  }
  return rows;
}

function summaryLines() {
  const b = results.bundle;
  const st = results.startup;
  const lines = [
    `bundle (wrangler deploy --dry-run): edgemem ${b.edgemem.kib} KiB (${b.edgemem.gzipKib} KiB gzip), baseline ${b.baseline.kib} KiB (${b.baseline.gzipKib} KiB gzip)`,
    `startup (spawn → first 200): edgemem ${st.edgememReadyMs} ms, baseline ${st.baselineReadyMs} ms; first append on a fresh object ${st.edgememFirstAppendMs} ms (baseline first insert ${st.baselineFirstInsertMs} ms)`,
  ];
  for (const kind of ["append", "context"]) {
    const g = results[`${kind}HistoryGrowth`];
    if (g) {
      lines.push(
        `${g.label}: ${g.p50Ratio}× (${g.from.toLocaleString("en-US")} → ${g.to.toLocaleString("en-US")} messages)${g.target ? ` target ${g.target} ${g.meetsTarget ? "✓" : "✗"}` : ""}`,
      );
    }
  }
  return lines;
}

function report() {
  const rows = tableRows();
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  const text = rows.map((r) =>
    r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  "),
  );
  console.log(`\n${text[0]}\n${"-".repeat(text[0].length)}\n${text.slice(1).join("\n")}\n`);
  for (const line of summaryLines()) console.log(line);

  mkdirSync(join(ROOT, "bench/results"), { recursive: true });
  writeFileSync(join(ROOT, "bench/results/latest.json"), `${JSON.stringify(results, null, 2)}\n`);

  const series = [];
  const add = (kind, name) => {
    const rows = results.history.filter((r) => r[kind]);
    if (!rows.length) return;
    series.push({
      name: `${name} p50`,
      points: rows.map((r) => ({ x: r.history, y: r[kind].p50 })),
    });
    series.push({
      name: `${name} p99`,
      dashed: true,
      points: rows.map((r) => ({ x: r.history, y: r[kind].p99 })),
    });
  };
  add("append", "append");
  add("context", "context");
  add("search", "conversation search");
  const m = results.machine;
  writeFileSync(
    join(ROOT, "docs/benchmarks-history.svg"),
    renderLatencyChart({
      title: "edgemem: latency vs conversation history",
      subtitle: `${m.cpus} cores, workerd ${m.workerd}, ${settings.connections} connections, ${results.generatedAt.slice(0, 10)}`,
      series,
    }),
  );

  const doc = join(ROOT, "docs/benchmarks.md");
  if (existsSync(doc)) {
    const md = readFileSync(doc, "utf8");
    const start = "<!-- bench:latest:start -->";
    const end = "<!-- bench:latest:end -->";
    const i = md.indexOf(start);
    const j = md.indexOf(end);
    if (i >= 0 && j > i) {
      const table = [
        `| ${rows[0].join(" | ")} |`,
        `|${rows[0].map((_, k) => (k === 0 ? "---" : "---:")).join("|")}|`,
        ...rows.slice(1).map((r) => `| ${r.join(" | ")} |`),
      ];
      const block = [
        start,
        `Run of ${results.generatedAt} on ${m.cpus} × ${m.cpuModel}, ${m.memoryGiB} GiB, ${m.os}; Node ${m.node}, wrangler ${m.wrangler} (bundle), Miniflare ${m.miniflare} with workerd ${m.workerd} (compatibility date ${m.workerdCompatibilityDate}), autocannon ${m.autocannon}; ${settings.connections} connections, ${settings.durationS} s per scenario after ${settings.warmupS} s warm-up; load average ${m.loadAverageAtStart?.[0]} at start, ${m.loadAverageAtEnd?.[0]} at end.`,
        "",
        ...table,
        "",
        ...summaryLines().map((l) => `- ${l}`),
        end,
      ].join("\n");
      writeFileSync(doc, md.slice(0, i) + block + md.slice(j + end.length));
    }
  }
  log("wrote bench/results/latest.json, docs/benchmarks-history.svg");
}
