// The load generator, run as its own process so it does not share an event loop with the
// orchestrator: reads one scenario as JSON from argv, drives it with autocannon, and prints
// one JSON line with the figures.
//
// A scenario: { url, connections, duration?, amount?, warmup?, headers?, requests: [Plan] }
// A Plan:     { weight?, method, path, spread?, body?: "message" | "echo" | object }
//   `{n}` in `path` becomes a random integer below `spread`, so load spreads over many
//   conversations or objects; "message" makes a fresh single-message append body with a unique id;
//   `idempotency: true` sends a fresh Idempotency-Key with every request.
import autocannon from "autocannon";
import { sentence } from "./text.mjs";

const scenario = JSON.parse(process.argv[2]);
const runTag = `${Date.now().toString(36)}-${process.pid}`;
let counter = 0;

function bodyFor(plan) {
  const i = counter++;
  if (plan.body === "message") {
    return JSON.stringify({
      messages: [
        { role: i % 2 ? "assistant" : "user", content: sentence(i), id: `m-${runTag}-${i}` },
      ],
    });
  }
  if (plan.body === "echo") return JSON.stringify({ role: "user", content: sentence(i) });
  return plan.body === undefined ? undefined : JSON.stringify(plan.body);
}

const plans = scenario.requests;
const totalWeight = plans.reduce((sum, p) => sum + (p.weight ?? 1), 0);
function pick() {
  let r = Math.random() * totalWeight;
  for (const plan of plans) {
    r -= plan.weight ?? 1;
    if (r < 0) return plan;
  }
  return plans[plans.length - 1];
}

const headers = { "content-type": "application/json", ...(scenario.headers ?? {}) };
const options = {
  url: scenario.url,
  connections: scenario.connections,
  pipelining: 1,
  timeout: 30,
  headers,
  requests: [
    {
      setupRequest(request) {
        const plan = pick();
        const n = Math.floor(Math.random() * (plan.spread ?? 1));
        request.method = plan.method;
        request.path = plan.path.replaceAll("{n}", String(n));
        request.body = bodyFor(plan);
        // A fresh headers object each time: autocannon writes Content-Length into it, and a
        // stale one on a later GET makes the server wait for a body that never comes.
        request.headers = { ...headers };
        if (plan.idempotency) request.headers["idempotency-key"] = `k-${runTag}-${counter}`;
        if (request.body === undefined) delete request.headers["content-type"];
        return request;
      },
    },
  ],
};
if (scenario.amount) options.amount = scenario.amount;
else options.duration = scenario.duration;
if (scenario.warmup) {
  options.warmup = { connections: scenario.connections, duration: scenario.warmup };
}

// With `amount`, autocannon only notices it is done at its next one-second tick, so its own
// duration overstates the run; time it from the first request to the last response instead.
let firstSentAt = 0;
let lastResponseAt = 0;
let responses = 0;
const instance = autocannon(options);
instance.on("response", (_client, _status, _bytes, responseTime) => {
  responses++;
  const now = performance.now();
  if (!firstSentAt) firstSentAt = now - responseTime;
  lastResponseAt = now;
});
const result = await instance;
const ok = result["2xx"];
const seconds =
  scenario.amount && lastResponseAt > firstSentAt
    ? (lastResponseAt - firstSentAt) / 1000
    : result.duration;
console.log(
  JSON.stringify({
    requests: result.requests.total,
    responses,
    ok,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    durationS: seconds,
    rps: ok / seconds,
    p50: result.latency.p50,
    p90: result.latency.p90,
    p99: result.latency.p99,
    mean: result.latency.mean,
    max: result.latency.max,
  }),
);
