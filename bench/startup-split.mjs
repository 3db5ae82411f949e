// Where edgemem's start goes beyond the baseline's: its configuration (five Durable Object
// classes, KV, rate limits, assets) or its script. Starts, on fresh state, the baseline, an
// empty Worker under edgemem's wrangler.toml (bench/startup/empty-worker.js: the classes
// exist and do nothing) and edgemem, in turns, and prints the medians of spawn → first 200
// and of the CPU time to get there. `node bench/startup-split.mjs [starts]` (default 7).
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import { median } from "./lib/cold.mjs";
import { buildBundle, killAll, ROOT, startWorker } from "./lib/worker-process.mjs";

const starts = Number(process.argv[2] ?? 7);
const tmp = mkdtempSync(join(os.tmpdir(), "edgemem-startup-"));
try {
  const baselineConfig = join(ROOT, "bench/baseline/wrangler.toml");
  const kinds = {
    baseline: {
      config: baselineConfig,
      bundle: await buildBundle(baselineConfig, join(tmp, "baseline")),
      readyPath: "/json",
    },
    "empty Worker, edgemem's configuration": {
      bundle: join(ROOT, "bench/startup/empty-worker.js"),
      readyPath: "/healthz",
    },
    edgemem: {
      bundle: await buildBundle(join(ROOT, "wrangler.toml"), join(tmp, "edgemem")),
      readyPath: "/healthz",
      vars: { API_KEYS: JSON.stringify({ "bench-key": "bench" }), RATE_LIMIT: "off" },
    },
  };
  const samples = Object.fromEntries(Object.keys(kinds).map((k) => [k, []]));
  for (let i = 0; i < starts; i++) {
    for (const [name, options] of Object.entries(kinds)) {
      const worker = await startWorker({
        ...options,
        assetsBeside: true,
        persistTo: join(tmp, `state-${i}-${Object.keys(samples).indexOf(name)}`),
        logFile: join(tmp, "worker.log"),
      });
      samples[name].push({ wall: worker.startupMs, cpu: worker.startupCpuMs });
      await worker.stop();
    }
  }
  console.log(
    `medians of ${starts} starts on fresh state (spawn → first 200; CPU of Node + workerd)`,
  );
  for (const [name, runs] of Object.entries(samples)) {
    const wall = median(runs.map((r) => r.wall));
    const cpu = median(runs.map((r) => r.cpu));
    console.log(`${name}: ${wall} ms, ${cpu} ms CPU`);
  }
} finally {
  killAll("SIGKILL");
  rmSync(tmp, { recursive: true, force: true });
}
