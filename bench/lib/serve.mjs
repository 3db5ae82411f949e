// Serves one built Worker bundle with Miniflare (local workerd, Durable Objects with SQLite, KV),
// configured from the Worker's wrangler.toml. Prints `READY <url>` and serves until killed.
// Run as a child process by worker-process.mjs, so that killing its process group kills
// workerd too.
//
//   node serve.mjs --config wrangler.toml --bundle DIR/index.js --port N --persist DIR [--var K=V]…
//     [--inspector-port N] [--assets-beside]
import { dirname, resolve } from "node:path";
import { parseArgs } from "node:util";
import { Log, LogLevel, Miniflare } from "miniflare";
import workerd from "workerd";
import { unstable_getMiniflareWorkerOptions } from "wrangler";

const { values } = parseArgs({
  options: {
    config: { type: "string" },
    bundle: { type: "string" },
    port: { type: "string", default: "0" },
    persist: { type: "string" },
    var: { type: "string", multiple: true, default: [] },
    "inspector-port": { type: "string" },
    "assets-beside": { type: "boolean", default: false },
  },
});
if (!values.config || !values.bundle || !values.persist) {
  throw new Error("--config, --bundle and --persist are required");
}

const { workerOptions } = unstable_getMiniflareWorkerOptions(resolve(values.config));
// wrangler describes options for its own (newer) Miniflare; keep only the ones that are set.
const options = Object.fromEntries(
  Object.entries(workerOptions).filter(
    ([key, value]) => value !== undefined && key !== "rootPath" && key !== "modulesRules",
  ),
);
// The standalone workerd may be older than the compatibility date in wrangler.toml; it then
// runs with the newest date it supports (recorded by the caller from workerd's own export).
if (options.compatibilityDate > workerd.compatibilityDate) {
  options.compatibilityDate = workerd.compatibilityDate;
}
const vars = Object.fromEntries(
  values.var.map((pair) => [pair.slice(0, pair.indexOf("=")), pair.slice(pair.indexOf("=") + 1)]),
);

const bundle = resolve(values.bundle);
const { assets, ...workerConfig } = options;
const worker = {
  ...workerConfig,
  // The bundle is one ES module, named as such: with `modules: true` and a script path,
  // Miniflare parses the whole bundle in Node to find its imports, which cost ~0.7 s of
  // CPU per start for edgemem's 1.2 MB (against ~0.1 s for workerd itself), a cost of
  // this harness that a deployed Worker never pays.
  modules: [{ type: "ESModule", path: bundle }],
  modulesRoot: dirname(bundle),
  bindings: { ...(options.bindings ?? {}), ...vars },
};
// Static assets: Miniflare simulates the platform's asset routing with JavaScript Workers
// in front of the user Worker, ~0.9 ms of CPU on every request here (a /healthz: 1.3 ms
// with it, 0.4 ms without), where the platform routes before the Worker runs and bills
// none of it to the Worker. So the files are served by a Worker of their own, which the
// Worker reaches through its ASSETS binding as it does in production, and requests
// reach the Worker directly (`--assets-beside`: the benchmarks; the e2e suites keep the
// routing, the inspector page is served through it).
const workers = [worker];
if (assets && !values["assets-beside"]) worker.assets = assets;
if (assets?.binding && values["assets-beside"]) {
  worker.serviceBindings = { ...(worker.serviceBindings ?? {}), [assets.binding]: "static-assets" };
  workers.push({
    name: "static-assets",
    modules: true,
    script: "export default { fetch: () => new Response(null, { status: 404 }) };",
    compatibilityDate: options.compatibilityDate,
    assets: {
      directory: assets.directory,
      routerConfig: { has_user_worker: false },
      assetConfig: assets.assetConfig,
    },
  });
}
const mf = new Miniflare({
  workers,
  host: "127.0.0.1",
  port: Number(values.port),
  cf: false,
  log: new Log(LogLevel.WARN),
  // workerd's own output (crash reports included) goes to this process's log file.
  handleRuntimeStdio(stdout, stderr) {
    stdout.pipe(process.stdout);
    stderr.pipe(process.stderr);
  },
  defaultPersistRoot: resolve(values.persist),
  // For `npm run bench:profile`: the V8 inspector of workerd (Worker and its objects).
  ...(values["inspector-port"] ? { inspectorPort: Number(values["inspector-port"]) } : {}),
});
const url = await mf.ready;
console.log(`READY ${url.origin} compatibilityDate=${options.compatibilityDate}`);

const stop = () => mf.dispose().finally(() => process.exit(0));
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
