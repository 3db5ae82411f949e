// Builds the Worker as `wrangler deploy` would and serves it under Miniflare (local workerd,
// Durable Objects, KV) on a free port, once for the whole e2e run. Tests reach it through
// `inject("edgememUrl")` and the keys below.
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import { buildBundle, startWorker } from "../../bench/lib/worker-process.mjs";

// `dev-key-local-only` is the README's local key, so its walkthrough runs as written.
export const E2E_KEYS = {
  "e2e-key-alpha": "e2e-alpha",
  "e2e-key-beta": "e2e-beta",
  "dev-key-local-only": "dev",
};
export const E2E_ROOT = "e2e-root-key";

export default async function setup(project) {
  const tmp = mkdtempSync(join(os.tmpdir(), "edgemem-e2e-"));
  const bundle = await buildBundle(join(process.cwd(), "wrangler.toml"), join(tmp, "dist"));
  const worker = await startWorker({
    bundle,
    persistTo: join(tmp, "state"),
    readyPath: "/healthz",
    vars: { API_KEYS: JSON.stringify(E2E_KEYS), ROOT_API_KEY: E2E_ROOT, RATE_LIMIT: "off" },
    logFile: join(tmp, "worker.log"),
  });
  project.provide("edgememUrl", worker.url);
  project.provide("workerLog", worker.logFile);
  return async () => {
    await worker.stop();
    rmSync(tmp, { recursive: true, force: true });
  };
}
