// The append breakdown: edgemem's append next to the same code cut into layers
// (bench/breakdown/worker.js), each a scenario of the same shape (one message, 64
// conversations), so the differences in machine time per request are the layers' costs.
import { join } from "node:path";
import { call, pool } from "./api.mjs";
import { startWorker } from "./worker-process.mjs";

export async function runBreakdown(ctx) {
  const { results, scenario, ratio, on, baseline, edgemem, api, auth, configs, tmp, vars } = ctx;
  const byName = (name) => results.scenarios.find((s) => s.name === name);
  const breakdown = await startWorker({
    assetsBeside: true,
    config: configs.breakdown,
    bundle: results.bundle.breakdown.file,
    persistTo: join(tmp, "state-breakdown"),
    readyPath: "/healthz",
    vars,
    logFile: join(tmp, "breakdown.log"),
  });
  const one = (path, extra = {}) => ({
    method: "POST",
    path,
    spread: 64,
    body: "message",
    ...extra,
  });
  const insert = byName("baseline-insert");

  const json = byName("baseline-json");
  const jsonLog = await scenario(
    "baseline: constant JSON + one console.log line",
    "baseline-json-log",
    on(baseline, {
      requests: [{ method: "GET", path: "/json-log" }],
    }),
  );
  ratio(jsonLog, json);
  const httpOnly = await scenario(
    "breakdown: edgemem HTTP app → insert-only DO",
    "bd-http-insert",
    on(breakdown, {
      headers: auth,
      requests: [one("/v1/conversations/h-{n}/messages")],
    }),
  );
  ratio(httpOnly, insert);
  const doAppend = await scenario(
    "breakdown: bare route → real append (o200k_base)",
    "bd-do-append",
    on(breakdown, {
      requests: [one("/do-append/o-{n}")],
    }),
  );
  ratio(doAppend, insert);
  await pool(
    Array.from(
      { length: 64 },
      (_, i) => () =>
        call(breakdown.url, "POST", `/do-configure/a-${i}`, { body: { tokenizer: "approx" } }),
    ),
    8,
  );
  const doApprox = await scenario(
    "breakdown: bare route → real append (approx)",
    "bd-do-append-approx",
    on(breakdown, {
      requests: [one("/do-append/a-{n}")],
    }),
  );
  ratio(doApprox, insert);
  const doIdem = await scenario(
    "breakdown: bare route → real append + Idempotency-Key",
    "bd-do-append-idem",
    on(breakdown, {
      requests: [one("/do-append/i-{n}", { idempotency: true })],
    }),
  );
  ratio(doIdem, insert);
  await pool(
    Array.from(
      { length: 64 },
      (_, i) => () => api("PUT", `/v1/conversations/approx-${i}`, { tokenizer: "approx" }),
    ),
    8,
  );
  const approx = await scenario(
    "append 1 message, approx tokenizer",
    "append-approx",
    on(edgemem, {
      headers: auth,
      requests: [one("/v1/conversations/approx-{n}/messages")],
    }),
  );
  ratio(approx, insert, 0.8);
  const idem = await scenario(
    "append 1 message + Idempotency-Key",
    "append-idem",
    on(edgemem, {
      headers: auth,
      requests: [one("/v1/conversations/idem-{n}/messages", { idempotency: true })],
    }),
  );
  ratio(idem, insert, 0.8);
  // The first full append again: how much the machine drifted during the breakdown.
  const again = await scenario(
    "append 1 message (again, after the breakdown)",
    "append-again",
    on(edgemem, { headers: auth, requests: [one("/v1/conversations/append-{n}/messages")] }),
  );
  ratio(again, insert, 0.8);
  await breakdown.stop();

  results.breakdown = [
    { name: "baseline-json", label: "bare route, constant JSON", adds: "—" },
    {
      name: "baseline-json-log",
      label: "bare route + console.log",
      adds: "one JSON log line per request",
      from: "baseline-json",
      fromShort: "constant JSON",
    },
    {
      name: "baseline-insert",
      label: "bare route → DO insert (baseline)",
      adds: "body parse, DO RPC, one INSERT",
      from: "baseline-json",
      fromShort: "constant JSON",
    },
    {
      name: "bd-http-insert",
      label: "edgemem HTTP app → insert-only DO",
      adds: "edgemem middleware, zod validation, route, (SHA-256 auth, streamed body limit)",
      from: "baseline-insert",
      fromShort: "baseline insert",
    },
    {
      name: "bd-do-append",
      label: "bare route → ConversationMemory.append",
      adds: "edgemem's DO work (o200k count, 3 INSERTs + FTS, spill check, due work, alarm)",
      from: "baseline-insert",
      fromShort: "baseline insert",
    },
    {
      name: "bd-do-append-approx",
      label: "… with the approx tokenizer",
      adds: "o200k_base replaced by approx",
      from: "bd-do-append",
      fromShort: "real append",
    },
    {
      name: "bd-do-append-idem",
      label: "… with an Idempotency-Key",
      adds: "idempotency lookup + stored receipt",
      from: "bd-do-append",
      fromShort: "real append",
    },
    {
      name: "append",
      label: "edgemem append (full)",
      adds: "both layers",
      from: "baseline-insert",
      fromShort: "baseline insert",
    },
    {
      name: "append-again",
      label: "edgemem append (full), again after the breakdown",
      adds: "drift check",
      from: "append",
      fromShort: "first run",
    },
    {
      name: "append-approx",
      label: "edgemem append, approx tokenizer",
      adds: "",
      from: "append",
      fromShort: "full append",
    },
    {
      name: "append-idem",
      label: "edgemem append + Idempotency-Key",
      adds: "+ SHA-256 of the body, idempotency row",
      from: "append",
      fromShort: "full append",
    },
  ];
}
