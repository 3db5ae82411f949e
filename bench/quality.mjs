// `npm run bench:quality`: does the context edgemem builds hold the turn that answers the
// question? Deterministic synthetic conversations (bench/lib/quality-data.mjs) with planted
// facts and distractors are ingested through the API; each question is asked of
// POST …/context (budget 1,500 tokens, the question as `query`), and the result is compared
// with two baselines computed here on the same turns and the same token counting:
// a recent-window token buffer, and plain BM25 over all turns filling the same budget.
// Writes bench/results/quality.json and the quality block of docs/benchmarks.md.
//
// Knobs: QUALITY_SEED (20261128), QUALITY_CONVERSATIONS (6), QUALITY_TURNS (600).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import { countTokens } from "gpt-tokenizer/encoding/o200k_base";
import { call } from "./lib/api.mjs";
import { bm25Scores, generateConversations, terms } from "./lib/quality-data.mjs";
import { replaceBlock } from "./lib/report.mjs";
import { seedConversation, waitForOutboxEmpty } from "./lib/seed.mjs";
import { buildBundle, killAll, ROOT, startWorker } from "./lib/worker-process.mjs";

const BUDGET = 1500;
const KEY = "quality-key-local-only";
const env = process.env;
const spec = {
  seed: Number(env.QUALITY_SEED ?? 20261128),
  count: Number(env.QUALITY_CONVERSATIONS ?? 6),
  turns: Number(env.QUALITY_TURNS ?? 600),
};
const log = (...args) => console.error("[quality]", ...args);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const cost = (m) => countTokens(m.content, { disallowedSpecial: new Set() }) + 3;

const tmp = mkdtempSync(join(os.tmpdir(), "edgemem-quality-"));
try {
  await main();
} finally {
  killAll("SIGKILL");
  rmSync(tmp, { recursive: true, force: true });
}

async function main() {
  const conversations = generateConversations(spec);
  const bundle = await buildBundle(join(ROOT, "wrangler.toml"), join(tmp, "dist"));
  const state = join(tmp, "state");
  const worker = await startWorker({
    bundle,
    persistTo: state,
    readyPath: "/healthz",
    vars: { API_KEYS: JSON.stringify({ [KEY]: "quality" }), RATE_LIMIT: "off" },
    logFile: join(tmp, "worker.log"),
  });
  const api = (method, path, body) => call(worker.url, method, path, { key: KEY, body });
  log(`ingesting ${conversations.length} conversations × ${spec.turns} turns`);

  for (const c of conversations) {
    const byIndex = (i) => c.messages[i];
    await seedConversation(api, c.id, c.messages.length, 0, (i) => byIndex(i).content);
  }
  // seedConversation names ids `${id}-s${i}` and alternates roles; the generator's roles
  // alternate the same way (user on even turns), so seq i + 1 is turn i.
  await waitForOutboxEmpty(
    state,
    conversations.map((c) => c.id),
    60_000,
  );
  await settleSummaries(api, conversations);

  const systems = {
    edgemem: "edgemem context (recall 8)",
    edgememNoRecall: "edgemem context, recall 0 (summary + recent)",
    recent: "recent window (token buffer)",
    bm25: "BM25 over all turns, filling the budget",
    bm25top8: "BM25 top-8 turns",
  };
  const hits = Object.fromEntries(Object.keys(systems).map((k) => [k, 0]));
  const viaRecall = { recalled: 0, recent: 0, summary: 0 };
  const perQuestion = [];
  let questions = 0;
  for (const c of conversations) {
    const docs = c.messages.map((m) => terms(m.content));
    for (const q of c.questions) {
      questions++;
      const answerTurn = c.messages[q.seq - 1];
      const answerId = `${c.id}-s${q.seq - 1}`;
      const ask = (recall) =>
        api("POST", `/v1/conversations/${c.id}/context`, {
          maxTokens: BUDGET,
          query: q.question,
          recall,
        });
      const full = await ask(8);
      const bare = await ask(0);
      if (full.status !== 200 || bare.status !== 200) {
        throw new Error(`context failed: ${full.status} ${full.text.slice(0, 200)}`);
      }
      const where = locate(full.json, answerTurn.content, answerId);
      const found = {
        edgemem: where !== null,
        edgememNoRecall: locate(bare.json, answerTurn.content, answerId) !== null,
        recent: recentWindow(c.messages).has(q.seq - 1),
        bm25: bm25Budget(docs, c.messages, q.question, Infinity).has(q.seq - 1),
        bm25top8: bm25Budget(docs, c.messages, q.question, 8).has(q.seq - 1),
      };
      if (where) viaRecall[where]++;
      for (const k of Object.keys(found)) if (found[k]) hits[k]++;
      perQuestion.push({
        conversation: c.id,
        question: q.question,
        seq: q.seq,
        ...found,
        edgememVia: where,
      });
    }
  }
  await worker.stop();

  const rate = (k) => hits[k] / questions;
  const rows = [["system", "recall@1,500 tokens", "questions answered"]];
  for (const [k, label] of Object.entries(systems)) {
    rows.push([label, `${(rate(k) * 100).toFixed(1)} %`, `${hits[k]} / ${questions}`]);
  }
  const totalTurns = conversations.reduce((s, c) => s + c.messages.length, 0);
  const tokens = Math.round(
    conversations.reduce((s, c) => s + c.messages.reduce((t, m) => t + cost(m), 0), 0) /
      conversations.length,
  );
  const note = `${conversations.length} conversations × ${spec.turns} turns (${totalTurns} turns, ~${tokens.toLocaleString("en-US")} tokens each, seed ${spec.seed}), ${questions} questions, each answered by one planted user turn with 3–6 distractor turns sharing its key words (another person's dog, another flight, …); budget ${BUDGET} tokens (o200k_base, +3 per message as the API counts). edgemem found the answer turn among recalled items ${viaRecall.recalled}×, in the recent turns ${viaRecall.recent}×, only in the summary ${viaRecall.summary}×.`;
  console.log(`\n${note}\n`);
  for (const r of rows) console.log(`  ${r[0].padEnd(46)} ${r[1].padStart(10)}  ${r[2]}`);

  mkdirSync(join(ROOT, "bench/results"), { recursive: true });
  writeFileSync(
    join(ROOT, "bench/results/quality.json"),
    `${JSON.stringify({ generatedAt: new Date().toISOString(), spec, budget: BUDGET, systems, hits, questions, viaRecall, perQuestion }, null, 2)}\n`,
  );
  replaceBlock(join(ROOT, "docs/benchmarks.md"), "quality", [
    `Run of ${new Date().toISOString()}: ${note}`,
    "",
    `| ${rows[0].join(" | ")} |`,
    "|---|---:|---:|",
    ...rows.slice(1).map((r) => `| ${r.join(" | ")} |`),
  ]);
}

/** Where the answer turn is in a context response: "recalled", "recent", "summary" or null. */
function locate(context, content, id) {
  if (context.recalled?.some((r) => r.id === id || r.text === content)) return "recalled";
  const recent = context.messages.filter(
    (m) => !(m.role === "system" && m.content.startsWith("[")),
  );
  if (recent.some((m) => m.content === content)) return "recent";
  if (context.summary?.includes(content)) return "summary";
  return null;
}

/** The newest turns that fit the budget: what a plain token buffer gives the model. */
function recentWindow(messages) {
  const kept = new Set();
  let spent = 0;
  for (let i = messages.length - 1; i >= 0; i--) {
    spent += cost(messages[i]);
    if (spent > BUDGET) break;
    kept.add(i);
  }
  return kept;
}

/** Turns ranked by BM25 against the question, best first, until `k` turns or the budget. */
function bm25Budget(docs, messages, question, k) {
  const scores = bm25Scores(docs, terms(question));
  const order = scores
    .map((s, i) => [s, i])
    .filter(([s]) => s > 0)
    .sort((a, b) => b[0] - a[0] || b[1] - a[1]);
  const kept = new Set();
  let spent = 0;
  for (const [, i] of order) {
    if (kept.size >= k) break;
    const c = cost(messages[i]);
    if (spent + c > BUDGET) break;
    spent += c;
    kept.add(i);
  }
  return kept;
}

/** Waits until every conversation's summary stops changing (the alarm folds it after spills). */
async function settleSummaries(api, conversations) {
  let last = "";
  for (let stable = 0; stable < 3; ) {
    const now = [];
    for (const c of conversations) {
      now.push((await api("GET", `/v1/conversations/${c.id}`)).json?.stats?.summaryTokens);
    }
    const key = JSON.stringify(now);
    stable = key === last ? stable + 1 : 0;
    last = key;
    await sleep(1000);
  }
}
