// CPU profile of one scenario, taken inside workerd through its V8 inspector: where the time of
// an append, a context or a search goes, by function and by source file.
//
//   npm run bench:profile -- healthz|append|context|search|memory-search|context-at-N|context-long-at-N|search-at-N|memory-search-at-N [seconds]
//
// `memory-search-at-N`: N memories of one user, searched as `npm run bench` does.
// `context-at-N` / `search-at-N`: one conversation with N archived messages, measured once
// they are all in KV and the summary has caught up (as `npm run bench` does).
// `context-long-at-N`: the same with long turns (~1,500 tokens each: recall quotes excerpts).
//
// Builds the bundle as a deploy would, serves it with Miniflare (inspector on), seeds what the
// scenario needs, samples the isolate (Worker and Durable Objects share it locally) while the
// load generator runs, prints the top functions by self time and the time per source file of
// the bundle, and writes the raw profile to bench/results/profile-<scenario>.cpuprofile (open
// it in Chrome DevTools → Performance, or speedscope).
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { call } from "./lib/api.mjs";
import { runLoad } from "./lib/load-process.mjs";
import { seedArchived, seedConversation, seedMemories, waitForKvSteadyState } from "./lib/seed.mjs";
import { longTurn } from "./lib/text.mjs";
import { buildBundle, freePort, inTempDir, ROOT, startWorker } from "./lib/worker-process.mjs";

const KEY = "bench-profile-key";
const scenarioName = process.argv[2] ?? "append";
const seconds = Number(process.argv[3] ?? 8);
const CONTEXT_QUERY = "maxTokens=2000&recall=8";

await inTempDir("edgemem-profile-", main);

async function main(tmp) {
  const bundle = await buildBundle(join(ROOT, "wrangler.toml"), join(tmp, "bundle"));
  const inspectorPort = await freePort();
  const worker = await startWorker({
    assetsBeside: true,
    bundle,
    persistTo: join(tmp, "state"),
    readyPath: "/healthz",
    vars: { API_KEYS: JSON.stringify({ [KEY]: "bench" }), RATE_LIMIT: "off" },
    logFile: join(tmp, "edgemem.log"),
    inspectorPort,
  });
  const api = (method, path, body) => call(worker.url, method, path, { key: KEY, body });
  const load = await prepare(scenarioName, api, join(tmp, "state"));

  const inspector = await connect(inspectorPort);
  await inspector.send("Profiler.enable");
  await inspector.send("Profiler.setSamplingInterval", { interval: 100 });
  await inspector.send("Profiler.start");
  const figures = await runLoad({
    url: worker.url,
    connections: 8,
    duration: seconds,
    headers: { authorization: `Bearer ${KEY}` },
    ...load,
  });
  const { profile } = await inspector.send("Profiler.stop");
  inspector.close();

  const out = join(ROOT, `bench/results/profile-${scenarioName}.cpuprofile`);
  writeFileSync(out, JSON.stringify(profile));
  console.log(
    `${scenarioName}: ${Math.round(figures.rps)} req/s, p50 ${figures.p50} ms, ${figures.responses} responses; profile in ${out}`,
  );
  summarise(profile, readFileSync(bundle, "utf8"), figures.responses);
}

/** Seeds what a scenario reads and returns its load plan. */
async function prepare(name, api, state) {
  const history = /^(context|context-long|search)-at-(\d+)$/.exec(name);
  if (history) {
    const [, kind, n] = history;
    const id = `${kind === "context-long" ? "ctx-long" : "ctx"}-${n}`;
    await seedArchived(api, id, Number(n), kind === "context-long" ? longTurn : undefined);
    await waitForKvSteadyState(state, [id], 300_000, console.log);
    return kind !== "search"
      ? { requests: [{ method: "GET", path: `/v1/conversations/${id}/context?${CONTEXT_QUERY}` }] }
      : {
          requests: [
            {
              method: "POST",
              path: `/v1/conversations/${id}/search`,
              body: { query: "window seat flight", limit: 10 },
            },
          ],
        };
  }
  if (name === "healthz") {
    // The HTTP stack alone (middleware, router, Response), no object behind it.
    return { requests: [{ method: "GET", path: "/healthz" }] };
  }
  if (name === "append") {
    return {
      requests: [
        { method: "POST", path: "/v1/conversations/p-{n}/messages", spread: 64, body: "message" },
      ],
    };
  }
  if (name === "context" || name === "search") {
    const ids = Array.from({ length: 8 }, (_, c) => `read-${c}`);
    for (const id of ids) await seedConversation(api, id, 200);
    // As in `npm run bench`: measured once the archived rows are read from KV.
    await waitForKvSteadyState(state, ids, 300_000, console.log);
    return name === "context"
      ? {
          requests: [
            {
              method: "GET",
              path: `/v1/conversations/read-{n}/context?${CONTEXT_QUERY}`,
              spread: 8,
            },
          ],
        }
      : {
          requests: [
            {
              method: "POST",
              path: "/v1/conversations/read-{n}/search",
              spread: 8,
              body: { query: "harbour lantern", limit: 10 },
            },
          ],
        };
  }
  if (name === "memory-search") {
    await seedMemories(api, "profile-user", 1_000, 16);
    return {
      requests: [
        {
          method: "POST",
          path: "/v1/memories/search",
          body: { userId: "profile-user", query: "harbour lantern", limit: 10 },
        },
      ],
    };
  }
  const memories = /^memory-search-at-(\d+)$/.exec(name);
  if (memories) {
    // As `npm run bench` searches: every word of the query is in every seeded memory.
    await seedMemories(api, "profile-user", Number(memories[1]), 4);
    return {
      requests: [
        {
          method: "POST",
          path: "/v1/memories/search",
          body: { userId: "profile-user", query: "window seat flight", limit: 10 },
        },
      ],
    };
  }
  throw new Error(
    `unknown scenario ${name}: healthz, append, context, search, memory-search or an -at-N one`,
  );
}

/** A minimal Chrome DevTools Protocol client over the inspector's WebSocket. */
async function connect(port) {
  const targets = await (await fetch(`http://127.0.0.1:${port}/json/list`)).json();
  const target =
    targets.find((t) => t.id?.includes("edgemem") || t.title?.includes("edgemem")) ?? targets[0];
  const socket = new WebSocket(target.webSocketDebuggerUrl);
  await new Promise((resolve, reject) => {
    socket.addEventListener("open", resolve, { once: true });
    socket.addEventListener("error", reject, { once: true });
  });
  let nextId = 1;
  const pending = new Map();
  socket.addEventListener("message", (event) => {
    const message = JSON.parse(event.data);
    const waiter = pending.get(message.id);
    if (!waiter) return;
    pending.delete(message.id);
    if (message.error) waiter.reject(new Error(message.error.message));
    else waiter.resolve(message.result);
  });
  return {
    send(method, params = {}) {
      const id = nextId++;
      socket.send(JSON.stringify({ id, method, params }));
      return new Promise((resolve, reject) => pending.set(id, { resolve, reject }));
    },
    close: () => socket.close(),
  };
}

/** Prints self time per function and per bundled source file (esbuild's `// path` markers). */
function summarise(profile, bundleText, responses) {
  const fileStarts = [];
  bundleText.split("\n").forEach((line, i) => {
    const m = /^\/\/ ((?:src|node_modules)\/\S+)$/.exec(line);
    if (m) fileStarts.push([i, m[1].replace(/^node_modules\/(\.pnpm\/)?/, "")]);
  });
  const fileOf = (line) => {
    let lo = 0;
    let hi = fileStarts.length - 1;
    let found = "(bundle prelude)";
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (fileStarts[mid][0] <= line) {
        found = fileStarts[mid][1];
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found;
  };
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const deltas = profile.timeDeltas;
  const selfUs = new Map();
  // A sample's delta is the time since the previous one. After the isolate sat without JS
  // (waiting for the next request), that gap lands on the first function of the next
  // request (Hono's router showed 15 % of a context that way): count at most
  // MAX_SAMPLE_US per sample and the rest as a gap between samples.
  const MAX_SAMPLE_US = 1_000;
  let gapUs = 0;
  profile.samples.forEach((id, i) => {
    const us = deltas[i] ?? 0;
    selfUs.set(id, (selfUs.get(id) ?? 0) + Math.min(us, MAX_SAMPLE_US));
    gapUs += Math.max(0, us - MAX_SAMPLE_US);
  });
  console.log(
    `\n${(gapUs / 1000).toFixed(0)} ms of gaps between samples (no JS running) left out of the figures below`,
  );
  const total = [...selfUs.values()].reduce((a, b) => a + b, 0);
  const byFunction = new Map();
  const byFile = new Map();
  for (const [id, us] of selfUs) {
    const { callFrame: f } = byId.get(id);
    const inBundle =
      f.url && !f.url.startsWith("node:") && f.lineNumber >= 0 && f.url.endsWith(".js");
    const file = inBundle ? fileOf(f.lineNumber) : f.url || `(${f.functionName || "native"})`;
    const fn = `${f.functionName || "(anonymous)"}  ${file}${inBundle ? `:${f.lineNumber + 1}` : ""}`;
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + us);
    byFile.set(file, (byFile.get(file) ?? 0) + us);
  }
  const perReq = (us) => (responses ? (us / 1000 / responses).toFixed(3) : "?");
  const print = (title, map, limit) => {
    console.log(`\n${title} (self ms per response; share of sampled time)`);
    for (const [name, us] of [...map].sort((a, b) => b[1] - a[1]).slice(0, limit)) {
      console.log(
        `${perReq(us).padStart(8)}  ${((100 * us) / total).toFixed(1).padStart(5)}%  ${name}`,
      );
    }
  };
  print("by function", byFunction, 30);
  print("by source file", byFile, 25);
}
