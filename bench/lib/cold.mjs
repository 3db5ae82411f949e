// The first context on a fresh isolate: a conversation is written by one runtime, the runtime
// is stopped, and a new one on the same state answers its first request with that context —
// module evaluation, the object waking from SQLite and the tokenizer table read on first use,
// all in one request, as after an eviction at the edge.
import { join } from "node:path";
import { call } from "./api.mjs";
import { startWorker } from "./worker-process.mjs";

/** @returns {Promise<{ restartReadyMs: number, restartReadyCpuMs: number, firstContextMs: number }>} */
export async function coldContext({ bundle, tmp, vars, key, contextQuery }) {
  const persistTo = join(tmp, "state-cold");
  const start = () =>
    startWorker({
      assetsBeside: true,
      bundle,
      persistTo,
      readyPath: "/healthz",
      vars,
      logFile: join(tmp, "edgemem-cold.log"),
    });
  const path = "/v1/conversations/cold-context";
  const first = await start();
  const messages = Array.from({ length: 40 }, (_, i) => ({
    role: i % 2 ? "assistant" : "user",
    content: `Turn ${i}: the order for the blue kettle ships on the ${i + 1}th, refund on request.`,
  }));
  const seeded = await call(first.url, "POST", `${path}/messages`, { key, body: { messages } });
  if (seeded.status !== 201) throw new Error(`cold-context seeding failed: ${seeded.status}`);
  await first.stop();
  const second = await start();
  const started = performance.now();
  const response = await call(second.url, "GET", `${path}/context?${contextQuery}`, { key });
  const firstContextMs = Math.round((performance.now() - started) * 10) / 10;
  await second.stop();
  if (response.status !== 200) throw new Error(`cold context failed: ${response.status}`);
  return {
    restartReadyMs: second.startupMs,
    restartReadyCpuMs: second.startupCpuMs,
    firstContextMs,
  };
}

/** The median of numbers (the mean of the middle two for an even count). */
export const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? sorted[mid]
    : Math.round(((sorted[mid - 1] + sorted[mid]) / 2) * 10) / 10;
};

/**
 * More cold starts, each Worker spawned on fresh state and asked its first write, baseline and
 * edgemem taking turns: one start is a single wall-clock sample on a shared machine (the same
 * code measured 2.3–6.6× in one afternoon), so the figures are medians over `runs` with the
 * first start's. `first` holds that start's figures; every field becomes the median and gets
 * its samples alongside (`…Runs`).
 */
export async function coldStarts({ runs, first, baseline, edgemem, tmp, firstWrite }) {
  const samples = Object.fromEntries(Object.entries(first).map(([k, v]) => [k, [v]]));
  for (let i = 1; i < runs; i++) {
    for (const [side, options] of [
      ["baseline", baseline],
      ["edgemem", edgemem],
    ]) {
      const worker = await startWorker({ ...options, persistTo: join(tmp, `cold-${side}-${i}`) });
      try {
        samples[`${side}ReadyMs`].push(worker.startupMs);
        samples[`${side}ReadyCpuMs`].push(worker.startupCpuMs);
        const write = side === "baseline" ? "baselineFirstInsertMs" : "edgememFirstAppendMs";
        samples[write].push(await firstWrite(side, worker.url));
      } finally {
        await worker.stop();
      }
    }
  }
  const out = { runs };
  for (const [key, values] of Object.entries(samples)) {
    out[key] = median(values);
    out[`${key.replace(/Ms$/, "")}Runs`] = values;
  }
  return out;
}
