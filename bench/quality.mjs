// `npm run bench:quality`: does the context edgemem builds hold the turns that answer the
// question? Long multi-session group chats (bench/lib/dialogues.mjs: seeded, generated here,
// nothing downloaded) are ingested through the API; each question is asked of
// POST …/context (budget 1,500 tokens, the question as `query`) and scored against the turns
// tagged as its evidence. Baselines on the same turns and the same token counting: a recent
// window, BM25 over all turns, and BM25 whose hits bring their neighbouring turns.
// Writes bench/results/quality.json and the `context-quality` block of docs/context.md.
//
// With QUALITY_EMBEDDINGS=1 (the default) the Worker embeds every turn with the local model
// (scripts/embedder.mjs, Universal Sentence Encoder lite) and edgemem is asked twice: words
// only (`mode: "lexical"`) and words and meaning fused (`mode: "hybrid"`).
//
// Knobs: QUALITY_SEED (20261205), QUALITY_CONVERSATIONS (10), QUALITY_TURNS (560 a
// conversation, roughly), QUALITY_EMBEDDINGS (1; 0: lexical only), QUALITY_DUMP (a path:
// every question with what each system missed), QUALITY_HOLD (1: keep the settled server up),
// QUALITY_SHAPE (chat; verbose: the assistant answers at length, dialogue/verbose.mjs —
// written to bench/results/quality-verbose.json and its own block of docs/context.md).

import { spawn } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { call, pool } from "./lib/api.mjs";
import {
  bm25Pack,
  prepare,
  recentWindow,
  scoreContext,
  scoreTurns,
} from "./lib/context-systems.mjs";
import { verboseAssistant } from "./lib/dialogue/verbose.mjs";
import { generateDialogues } from "./lib/dialogues.mjs";
import { qualityReport } from "./lib/quality-report.mjs";
import { waitForEmbeddings, waitForOutboxEmpty } from "./lib/seed.mjs";
import { buildBundle, inTempDir, ROOT, startWorker } from "./lib/worker-process.mjs";

const BUDGET = 1500;
const KEY = "quality-key-local-only";
const env = process.env;
const spec = {
  seed: Number(env.QUALITY_SEED ?? 20261205),
  count: Number(env.QUALITY_CONVERSATIONS ?? 10),
  turns: Number(env.QUALITY_TURNS ?? 560),
};
const SYSTEMS = {
  recent: "recent window (newest turns that fit)",
  bm25: "BM25 over all turns, filling the budget",
  bm25Neighbours: "BM25 ± 1 (each hit brings the turns before and after it)",
  bm25NeighboursDated: "BM25 ± 1, each day's turns under its date line",
  edgemem: "edgemem context (defaults, words only)",
  ...(env.QUALITY_EMBEDDINGS !== "0"
    ? { edgememHybrid: "edgemem context, hybrid (words + local USE-lite embeddings)" }
    : {}),
  edgememDates:
    "edgemem context, defaults (hybrid with the embedder on) and `dates`: day lines among recent turns",
  edgememRecall50: "edgemem context, recall 50, recallTokens 1,300",
  ...(env.QUALITY_EMBEDDINGS !== "0"
    ? { edgememRecall50Hybrid: "edgemem context, recall 50, recallTokens 1,300, hybrid" }
    : {}),
};
const VERBOSE = env.QUALITY_SHAPE === "verbose";
const log = (...args) => console.error("[quality]", ...args);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const started = performance.now();
await inTempDir("edgemem-quality-", main);

async function main(tmp) {
  const generated = generateDialogues(spec);
  const conversations = VERBOSE ? verboseAssistant(generated, spec.seed) : generated;
  const prepared = new Map(conversations.map((c) => [c.id, prepare(c)]));
  const questions = conversations.flatMap((c) =>
    c.questions.map((q) => ({ ...q, conversation: c.id })),
  );
  log(
    `generated ${conversations.length} conversations, ${conversations.reduce((n, c) => n + c.messages.length, 0)} turns, ${questions.length} questions (seed ${spec.seed})`,
  );

  const results = questions.map((q) => {
    const prep = prepared.get(q.conversation);
    return {
      id: q.id,
      category: q.category,
      recent: scoreTurns(prep, q, recentWindow(prep, BUDGET)),
      bm25: scoreTurns(prep, q, bm25Pack(prep, q.question, BUDGET, 0)),
      bm25Neighbours: scoreTurns(prep, q, bm25Pack(prep, q.question, BUDGET, 1)),
      bm25NeighboursDated: scoreTurns(
        prep,
        q,
        bm25Pack(prep, q.question, BUDGET, 1, { dated: true }),
      ),
    };
  });

  const embedded = { count: 0 };
  const embedder = env.QUALITY_EMBEDDINGS === "0" ? null : await startEmbedder(embedded);
  log("building the Worker bundle");
  const bundle = await buildBundle(join(ROOT, "wrangler.toml"), join(tmp, "dist"));
  const state = join(tmp, "state");
  const worker = await startWorker({
    bundle,
    persistTo: state,
    readyPath: "/healthz",
    vars: {
      API_KEYS: JSON.stringify({ [KEY]: "quality" }),
      RATE_LIMIT: "off",
      ...(embedder
        ? {
            EMBEDDINGS: "openai",
            EMBEDDINGS_URL: embedder.url,
            EMBEDDINGS_MODEL: "universal-sentence-encoder-lite",
            EMBEDDINGS_DIMENSIONS: "512",
          }
        : {}),
    },
    logFile: join(tmp, "worker.log"),
  });
  const api = (method, path, body) => call(worker.url, method, path, { key: KEY, body });

  await pool(
    conversations.map((c) => async () => {
      await ingest(api, c);
      log(`ingested ${c.id} (${c.messages.length} turns)`);
    }),
    2,
  );
  await waitForOutboxEmpty(
    state,
    conversations.map((c) => c.id),
    120_000,
  );
  await settleSummaries(api, conversations);
  if (embedder) {
    // Every message's vectors in its object (the objects' alarms embed in the background).
    const ids = conversations.map((c) => c.id);
    const behind = await waitForEmbeddings(state, ids, 30 * 60_000);
    if (behind.length > 0) throw new Error(`not every message embedded in ${behind.join(", ")}`);
    log(`embedded ${embedded.count} texts`);
  }
  const summaries = await summaryFacts(api, conversations);
  if (env.QUALITY_HOLD) {
    // A debugging aid: the settled server stays up for questions by hand.
    log(`holding: ${worker.url} with key ${KEY}; stop with Ctrl-C`);
    await new Promise((resolve) => process.once("SIGINT", resolve));
    return;
  }
  log("ingested and settled; asking the questions");

  let asked = 0;
  for (const [k, q] of questions.entries()) {
    const prep = prepared.get(q.conversation);
    const ask = async (extra) => {
      const r = await api("POST", `/v1/conversations/${q.conversation}/context`, {
        maxTokens: BUDGET,
        query: q.question,
        ...extra,
      });
      if (r.status !== 200) throw new Error(`context failed: ${r.status} ${r.text.slice(0, 200)}`);
      return scoreContext(prep, q, r.json);
    };
    results[k].edgemem = await ask(embedder ? { mode: "lexical" } : {});
    if (embedder) results[k].edgememHybrid = await ask({ mode: "hybrid" });
    results[k].edgememDates = await ask({ dates: true });
    results[k].edgememRecall50 = await ask({
      recall: 50,
      recallTokens: 1300,
      ...(embedder ? { mode: "lexical" } : {}),
    });
    if (embedder) {
      results[k].edgememRecall50Hybrid = await ask({
        recall: 50,
        recallTokens: 1300,
        mode: "hybrid",
      });
    }
    if (++asked % 50 === 0) log(`${asked} / ${questions.length} questions`);
  }
  await worker.stop();
  embedder?.close();
  if (embedder) {
    // A query the embedder did not answer in time was ranked by words alone.
    const workerLog = readFileSync(join(tmp, "worker.log"), "utf8");
    const failed = workerLog.match(/query_embedding_failed/g)?.length ?? 0;
    log(`query embeddings that failed (words alone answered): ${failed}`);
  }
  if (env.QUALITY_DUMP) dumpResults(env.QUALITY_DUMP, questions, prepared, results);

  const runtimeS = Math.round((performance.now() - started) / 1000);
  log(`done in ${runtimeS} s`);
  qualityReport({
    spec,
    budget: BUDGET,
    systems: SYSTEMS,
    conversations,
    prepared,
    results,
    runtimeS,
    summaries,
    variant: VERBOSE ? "verbose" : null,
  });
}

/** Writes every question with its evidence turns and what each system missed (a debugging aid). */
function dumpResults(path, questions, prepared, results) {
  const rows = questions.map((q, k) => {
    const prep = prepared.get(q.conversation);
    const turn = (i) =>
      `${i} ${prep.messages[i].name ?? prep.messages[i].role}: ${prep.messages[i].content}`;
    return {
      id: q.id,
      category: q.category,
      question: q.question,
      evidence: q.evidence.map(turn),
      missed: Object.fromEntries(
        Object.entries(results[k])
          .filter(([, r]) => r && typeof r === "object")
          .map(([system, r]) => [system, r.missing.map(turn)]),
      ),
    };
  });
  writeFileSync(path, JSON.stringify(rows, null, 1));
}

/**
 * The local embeddings server (scripts/embedder.mjs) in its own process — the model's
 * inference would otherwise hold this process's event loop — counting the texts it embeds.
 */
async function startEmbedder(embedded) {
  const child = spawn(process.execPath, [join(ROOT, "scripts/embedder.mjs")], {
    cwd: ROOT,
    env: { ...process.env, EMBEDDER_PORT: "0", EMBEDDER_LOG_COUNTS: "1" },
    stdio: ["ignore", "pipe", "inherit"],
  });
  process.once("exit", () => child.kill("SIGKILL"));
  const lines = createInterface({ input: child.stdout });
  const url = await new Promise((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`embedder exited (${code})`)));
    lines.on("line", (line) => {
      const at = /at (http:\/\/\S+)/.exec(line);
      if (at) resolve(at[1]);
      const count = /^embedded (\d+)$/.exec(line);
      if (count) {
        embedded.count += Number(count[1]);
      }
    });
  });
  log(`local embedder at ${url}`);
  return { url, close: () => child.kill("SIGKILL") };
}

/** Appends a conversation in batches of 100, every field as the generator made it. */
async function ingest(api, c) {
  for (let from = 0; from < c.messages.length; from += 100) {
    const messages = c.messages.slice(from, from + 100).map((m) => ({
      id: m.id,
      role: m.role,
      content: m.content,
      ...(m.name ? { name: m.name } : {}),
      createdAt: m.createdAt,
    }));
    const r = await api("POST", `/v1/conversations/${c.id}/messages`, { messages });
    if (r.status !== 201)
      throw new Error(`ingesting ${c.id} failed: ${r.status} ${r.text.slice(0, 200)}`);
  }
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

/**
 * How much of what the questions ask the running summaries keep: per conversation, the
 * answer strings (of every question) found in its summary, and the summary's tokens.
 */
async function summaryFacts(api, conversations) {
  let facts = 0;
  let answers = 0;
  let tokens = 0;
  for (const c of conversations) {
    const conversation = (await api("GET", `/v1/conversations/${c.id}`)).json;
    const text = (conversation?.summary?.text ?? "").toLowerCase();
    tokens += conversation?.stats?.summaryTokens ?? 0;
    const distinct = new Set(c.questions.flatMap((q) => q.answers.map((a) => a.toLowerCase())));
    answers += distinct.size;
    for (const answer of distinct) if (text.includes(answer)) facts++;
  }
  return { facts, answers, tokens, conversations: conversations.length };
}
