// The output of `npm run bench:quality`: tables on stdout, bench/results/quality.json, and
// the `context-quality` block of docs/context.md (between its marker comments).
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import { markdownTable, replaceBlock } from "./report.mjs";
import { ROOT } from "./worker-process.mjs";

export const CATEGORIES = ["paraphrase", "multi-session", "temporal", "lexical"];
const pct = (x) => `${(100 * x).toFixed(1)} %`;

/** Per system and category (and "overall"): n, evidence recall, answer present, means. */
export function aggregate(systems, results) {
  const metrics = {};
  for (const system of Object.keys(systems)) {
    metrics[system] = {};
    for (const category of [...CATEGORIES, "overall"]) {
      const scores = results
        .filter((r) => category === "overall" || r.category === category)
        .map((r) => r[system]);
      const n = scores.length;
      const mean = (f) => (n ? scores.reduce((s, x) => s + Number(f(x)), 0) / n : 0);
      metrics[system][category] = {
        n,
        evidenceRecall: mean((x) => x.evidence),
        answerPresent: mean((x) => x.answer),
        meanTokens: Math.round(mean((x) => x.tokens)),
        meanTurns: Number(mean((x) => x.turns).toFixed(1)),
      };
    }
  }
  return metrics;
}

function machine() {
  let workerd = "unknown";
  try {
    workerd = execFileSync(join(ROOT, "node_modules/.bin/workerd"), ["--version"], {
      encoding: "utf8",
    })
      .trim()
      .replace(/^workerd /, "");
  } catch {
    // not fatal: the version is only reported
  }
  return {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? "unknown",
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    os: `${os.type()} ${os.release()}`,
    node: process.version,
    workerd,
  };
}

export function qualityReport({
  spec,
  budget,
  systems,
  conversations,
  prepared,
  results,
  runtimeS,
  summaries,
  /** A shape other than the chat (`verbose`): its own results file and docs block. */
  variant = null,
}) {
  const metrics = aggregate(systems, results);
  const generatedAt = new Date().toISOString();
  const m = machine();
  const turns = conversations.reduce((n, c) => n + c.messages.length, 0);
  const sessions = conversations.reduce((n, c) => n + c.sessions.length, 0);
  const tokens = conversations.reduce(
    (n, c) => n + prepared.get(c.id).costs.reduce((a, b) => a + b, 0),
    0,
  );
  const byCategory = Object.fromEntries(
    CATEGORIES.map((k) => [k, results.filter((r) => r.category === k).length]),
  );
  const dataset = {
    conversations: conversations.length,
    turns,
    turnsPerConversation: Math.round(turns / conversations.length),
    sessionsPerConversation: Math.round((sessions / conversations.length) * 10) / 10,
    tokensPerConversation: Math.round(tokens / conversations.length),
    speakers: conversations.map((c) => c.speakers.length),
    questions: results.length,
    byCategory,
  };

  const head = [
    "system",
    ...CATEGORIES.map((k) => `${k} (${byCategory[k]})`),
    `overall (${results.length})`,
  ];
  const recallRows = [head];
  const answerRows = [[...head, "mean tokens", "mean turns"]];
  for (const [system, label] of Object.entries(systems)) {
    const row = metrics[system];
    recallRows.push([label, ...[...CATEGORIES, "overall"].map((k) => pct(row[k].evidenceRecall))]);
    answerRows.push([
      label,
      ...[...CATEGORIES, "overall"].map((k) => pct(row[k].answerPresent)),
      row.overall.meanTokens.toLocaleString("en-US"),
      row.overall.meanTurns.toFixed(1),
    ]);
  }
  const leads = leadRows(systems, metrics);
  const note = `Run of ${generatedAt} on ${m.cpus} × ${m.cpuModel}, ${m.memoryGiB} GiB, ${m.os}; Node ${m.node}, workerd ${m.workerd}; ${runtimeS} s in all. Data: seed ${spec.seed}${variant ? `, ${variant} shape (every assistant turn 3–6 sentences longer)` : ""}, ${dataset.conversations} conversations, ${dataset.turnsPerConversation} turns, ${dataset.sessionsPerConversation} sessions and ~${dataset.tokensPerConversation.toLocaleString("en-US")} tokens each on average; ${results.length} questions; budget ${budget.toLocaleString("en-US")} tokens.`;

  console.log(
    `\n${note}\n\nEvidence recall (every evidence turn of the question in the context; a "when" question's with its date):`,
  );
  printTable(recallRows);
  if (leads) {
    console.log(`\n${LEAD_NOTE}`);
    printTable(leads);
  }
  console.log("\nAnswer string present, mean tokens and turns in the context:");
  printTable(answerRows);
  const per100 = summaries.tokens ? (100 * summaries.facts) / summaries.tokens : 0;
  const summaryNote = `Running summaries (extractive, as the bench leaves them): ${summaries.facts} of ${summaries.answers} answer strings kept in ${Math.round(summaries.tokens / summaries.conversations)} tokens per conversation on average, ${per100.toFixed(2)} facts per 100 summary tokens.`;
  console.log(`\n${summaryNote}`);

  mkdirSync(join(ROOT, "bench/results"), { recursive: true });
  const compact = results.map((r) => ({
    id: r.id,
    category: r.category,
    ...Object.fromEntries(
      Object.keys(systems).map((s) => [s, [r[s].evidence ? 1 : 0, r[s].answer ? 1 : 0]]),
    ),
  }));
  // One line per question: the file stays readable and its diffs small.
  const summary = {
    generatedAt,
    machine: m,
    runtimeS,
    spec,
    budget,
    dataset,
    systems,
    metrics,
    summaries: { ...summaries, factsPer100Tokens: Number(per100.toFixed(2)) },
  };
  const rows = compact.map((r) => `    ${JSON.stringify(r)}`).join(",\n");
  const perQuestion = `"perQuestion": {\n    "fields": "system: [evidence, answer]",\n    "results": [\n  ${rows.replaceAll("\n    ", "\n      ")}\n    ]\n  }`;
  writeFileSync(
    join(ROOT, `bench/results/quality${variant ? `-${variant}` : ""}.json`),
    `${JSON.stringify(summary, null, 2).replace(/\n}$/, `,\n  ${perQuestion}\n}`)}\n`,
  );
  replaceBlock(join(ROOT, "docs/context.md"), `context-quality${variant ? `-${variant}` : ""}`, [
    note,
    "",
    'Evidence recall: the share of questions whose evidence turns are all in the context; for a temporal ("when") question, together with the date its turn was said, which is its answer.',
    "",
    ...markdownTable(recallRows),
    "",
    ...(leads ? [LEAD_NOTE, "", ...markdownTable(leads), ""] : []),
    "Answer string present (secondary; of the baselines only the dated BM25 ± 1 shows dates, so the others never hold a temporal answer), and the mean size of the context over all questions:",
    "",
    ...markdownTable(answerRows),
    "",
    summaryNote,
  ]);
}

const LEAD_NOTE =
  "Lead of edgemem at the issue's setting (recall 50, recallTokens 1,300; hybrid when the embedder is on) over BM25 ± 1, in points of evidence recall (questions held: edgemem against the baseline):";

/** edgemem at the issue's setting against BM25 ± 1 and its dated form, per category. */
function leadRows(systems, metrics) {
  const ours = ["edgememRecall50Hybrid", "edgememRecall50"].find((s) => s in systems);
  if (!ours) return null;
  const rows = [["against", ...CATEGORIES, "overall"]];
  for (const baseline of ["bm25Neighbours", "bm25NeighboursDated"]) {
    if (!(baseline in systems)) continue;
    rows.push([
      systems[baseline],
      ...[...CATEGORIES, "overall"].map((k) => {
        const [a, b] = [metrics[ours][k], metrics[baseline][k]];
        const held = (x) => Math.round(x.evidenceRecall * x.n);
        const points = 100 * (a.evidenceRecall - b.evidenceRecall);
        return `${points >= 0 ? "+" : "−"}${Math.abs(points).toFixed(1)} (${held(a)} vs ${held(b)})`;
      }),
    ]);
  }
  return rows;
}

function printTable(rows) {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  for (const r of rows) {
    console.log(
      `  ${r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ")}`,
    );
  }
}
