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
