// The bench's output: the table on stdout, bench/results/latest.json, the latency chart and
// the generated blocks of docs/benchmarks.md (between their marker comments).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { renderLatencyChart } from "./chart.mjs";
import { ROOT } from "./worker-process.mjs";

const n = (v) => v.toLocaleString("en-US");

function tableRows(results) {
  const rows = [
    [
      "scenario",
      "req/s",
      "p50 ms",
      "p99 ms",
      "CPU ms/req",
      "failed",
      "vs baseline",
      "ratio",
      "target",
    ],
  ];
  for (const s of results.scenarios) {
    if (s.status) {
      rows.push([s.label, s.status, "", "", "", "", "", "", ""]);
      continue;
    }
    rows.push([
      s.label,
      String(s.rps),
      s.p50 === null ? `> ${s.durationS} s` : String(s.p50),
      s.p99 === null ? "" : String(s.p99),
      s.cpuMsPerRequest === null
        ? ""
        : s.p50 === null
          ? `${Math.round(s.cpuMsPerRequest)} in all, 0 done`
          : s.cpuMsPerRequest.toFixed(2),
      String(s.failed),
      s.baseline ?? "",
      s.ratio === null ? "" : `${s.ratio}×`,
      s.target ? `${s.target} ${s.meetsTarget ? "✓" : "✗"}` : "",
    ]);
  }
  return rows;
}

const round2 = (v) => Math.round(v * 100) / 100;
const mark = (met, target) => `${target} ${met ? "✓" : "✗"}`;

function summaryLines(results) {
  const b = results.bundle;
  const st = results.startup;
  const lines = [
    `bundle (wrangler deploy --dry-run): edgemem ${b.edgemem.kib} KiB (${b.edgemem.gzipKib} KiB gzip), baseline ${b.baseline.kib} KiB (${b.baseline.gzipKib} KiB gzip) ${mark(b.edgemem.gzipKib <= 1024, "target ≤ 1,024 KiB gzip")}`,
    `startup (spawn → first 200${st.runs > 1 ? `, medians of ${st.runs} starts on fresh state` : ""}): edgemem ${st.edgememReadyMs} ms, baseline ${st.baselineReadyMs} ms (${round2(st.edgememReadyMs / st.baselineReadyMs)}×) ${mark(st.edgememReadyMs <= 1.2 * st.baselineReadyMs, "target ≤ 1.2×")}${st.edgememReadyCpuMs ? `, CPU time to get there ${st.edgememReadyCpuMs} ms against ${st.baselineReadyCpuMs} ms (${round2(st.edgememReadyCpuMs / st.baselineReadyCpuMs)}×)` : ""}; first append on a fresh object ${st.edgememFirstAppendMs} ms, baseline first insert ${st.baselineFirstInsertMs} ms (${round2(st.edgememFirstAppendMs / st.baselineFirstInsertMs)}×) ${mark(st.edgememFirstAppendMs <= 3 * st.baselineFirstInsertMs, "target ≤ 3×")}${st.edgememFirstAppendRuns ? ` (each start: ${st.edgememFirstAppendRuns.join(", ")} ms against ${st.baselineFirstInsertRuns.join(", ")} ms)` : ""}`,
  ];
  if (st.cold) {
    lines.push(
      `first context on a fresh isolate (runtime restarted on a written conversation of 40 messages; its first request): ${st.cold.firstContextMs} ms, after spawn → first 200 in ${st.cold.restartReadyMs} ms (${st.cold.restartReadyCpuMs} ms CPU)`,
    );
  }
  for (const kind of ["append", "context"]) {
    const g = results[`${kind}HistoryGrowth`];
    if (g) {
      lines.push(
        `${g.label}: ${g.p50Ratio === null ? "unbounded (no request finished at the largest)" : `${g.p50Ratio}×`} (${n(g.from)} → ${n(g.to)} archived messages)${g.target ? ` target ${g.target} ${g.meetsTarget ? "✓" : "✗"}` : ""}`,
      );
    }
  }
  const long = results.longTurns;
  if (long) {
    lines.push(
      `context on long turns (${n(long.archived)} archived of ~1,500 tokens; the probe call recalled ${long.recalled} items, ${long.excerpts} of them excerpts): CPU ${long.cpuMs} ms per call, p50 ${long.p50} ms${long.shortCpuMs ? `; on short turns at the same count ${long.shortCpuMs} ms, p50 ${long.shortP50} ms (CPU ${long.cpuRatio}×)` : ""}`,
    );
  }
  for (const s of results.seeding ?? []) lines.push(s);
  if (results.kvState) lines.push(results.kvState);
  lines.push(`source: ${results.source}`);
  return lines;
}

/** A markdown table: the first row is the header, columns after the first right-aligned. */
export const markdownTable = (rows) => [
  `| ${rows[0].join(" | ")} |`,
  `|${rows[0].map((_, k) => (k === 0 ? "---" : "---:")).join("|")}|`,
  ...rows.slice(1).map((r) => `| ${r.join(" | ")} |`),
];

/** Replaces the text between `<!-- bench:{name}:start -->` and its end marker in a doc. */
export function replaceBlock(file, name, lines) {
  if (!existsSync(file)) return;
  const md = readFileSync(file, "utf8");
  const start = `<!-- bench:${name}:start -->`;
  const end = `<!-- bench:${name}:end -->`;
  const i = md.indexOf(start);
  const j = md.indexOf(end);
  if (i < 0 || j < i) return;
  writeFileSync(
    file,
    md.slice(0, i) + [start, ...lines, end].join("\n") + md.slice(j + end.length),
  );
}

/**
 * The append breakdown: each layer's cost as CPU time of the serving process group per
 * request (robust to other programs on the machine), and as 1000 / req/s for reference.
 */
function breakdownRows(results) {
  const rows = [
    ["variant", "what it adds", "req/s", "p50 ms", "CPU ms/req", "Δ CPU ms", "1000/(req/s)"],
  ];
  const byName = new Map(results.scenarios.map((s) => [s.name, s]));
  for (const step of results.breakdown ?? []) {
    const s = byName.get(step.name);
    const from = step.from ? byName.get(step.from) : null;
    if (!s?.rps) continue;
    const delta =
      from && from.cpuMsPerRequest !== null && s.cpuMsPerRequest !== null
        ? s.cpuMsPerRequest - from.cpuMsPerRequest
        : null;
    rows.push([
      step.label,
      step.adds,
      String(s.rps),
      String(s.p50),
      s.cpuMsPerRequest === null ? "" : s.cpuMsPerRequest.toFixed(2),
      delta === null ? "" : `${delta >= 0 ? "+" : ""}${delta.toFixed(2)} vs ${step.fromShort}`,
      (1000 / s.rps).toFixed(2),
    ]);
  }
  return rows;
}

/** `partial`: a BENCH_ONLY run, written to bench/results/partial.json only (docs untouched). */
export function report(results, settings, { partial = false } = {}) {
  const rows = tableRows(results);
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  const text = rows.map((r) =>
    r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  "),
  );
  console.log(`\n${text[0]}\n${"-".repeat(text[0].length)}\n${text.slice(1).join("\n")}\n`);
  for (const line of summaryLines(results)) console.log(line);
  const breakdown = breakdownRows(results);
  if (breakdown.length > 1) {
    console.log("\nappend breakdown (CPU time of the serving processes per request):");
    for (const r of breakdown) console.log(`  ${r.join(" | ")}`);
  }

  mkdirSync(join(ROOT, "bench/results"), { recursive: true });
  const json = `${JSON.stringify(results, null, 2)}\n`;
  if (partial) {
    writeFileSync(join(ROOT, "bench/results/partial.json"), json);
    return;
  }
  writeFileSync(join(ROOT, "bench/results/latest.json"), json);

  const series = [];
  const add = (kind, name, withP99 = true) => {
    const points = results.history.filter((r) => r[kind] && r[kind].p50 !== null);
    if (!points.length) return;
    const x = (r) => r.archivedMessages ?? r.history;
    series.push({ name: `${name} p50`, points: points.map((r) => ({ x: x(r), y: r[kind].p50 })) });
    if (withP99) {
      series.push({
        name: `${name} p99`,
        dashed: true,
        points: points.map((r) => ({ x: x(r), y: r[kind].p99 })),
      });
    }
  };
  add("context", "context");
  add("append", "append");
  add("search", "conv. search", false);
  const m = results.machine;
  writeFileSync(
    join(ROOT, "docs/benchmarks-history.svg"),
    renderLatencyChart({
      title: "edgemem: latency vs archived history (one conversation)",
      subtitle: `${m.cpus} shared cores, workerd ${m.workerd}, ${settings.connections} connections, archived rows read from KV, ${results.generatedAt.slice(0, 10)}`,
      series,
    }),
  );

  const doc = join(ROOT, "docs/benchmarks.md");
  replaceBlock(doc, "latest", [
    `Run of ${results.generatedAt} on ${m.cpus} × ${m.cpuModel}, ${m.memoryGiB} GiB, ${m.os}; Node ${m.node}, wrangler ${m.wrangler} (bundle), Miniflare ${m.miniflare} with workerd ${m.workerd} (compatibility date ${m.workerdCompatibilityDate}), autocannon ${m.autocannon}; ${settings.connections} connections, ${settings.durationS} s per scenario after ${settings.warmupS} s warm-up; load average ${m.loadAverageAtStart?.[0]} at start, ${m.loadAverageAtEnd?.[0]} at end (2 cores shared with other engineers' test runs: absolute figures are depressed and noisy, ratios are the meaningful part).`,
    "",
    ...markdownTable(rows),
    "",
    ...summaryLines(results).map((l) => `- ${l}`),
  ]);
  if (breakdown.length > 1) {
    replaceBlock(doc, "breakdown", [
      `Same run (${results.generatedAt}). CPU ms/req: user + system CPU time of the serving process group (Node + workerd, from /proc) during the scenario ÷ responses; Δ is the layer's cost. 1000/(req/s) is the wall-clock view, which other programs on the machine distort.`,
      "",
      ...markdownTable(breakdown),
    ]);
  }
}
