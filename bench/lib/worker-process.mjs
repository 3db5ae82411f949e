// Builds a Worker as `wrangler deploy` would, runs the bundle in its own process group
// (serve.mjs: Miniflare's node process plus workerd) and stops it again, hard or soft.
// Shared by `npm run bench` and `npm run test:reliability`.
//
// The whole group is signalled at once, so a SIGKILL takes the runtime down the way a crashed
// machine would, and nothing is left behind when the parent exits, whether it finishes, fails
// or is interrupted.
import { execFile, spawn } from "node:child_process";
import { closeSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import os from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const WRANGLER_CLI = join(ROOT, "node_modules/wrangler/bin/wrangler.js");
const SERVE = join(ROOT, "bench/lib/serve.mjs");
const QUIET_ENV = { ...process.env, WRANGLER_SEND_METRICS: "false", NO_COLOR: "1", CI: "true" };

/** `wrangler deploy --dry-run --outdir`: the exact bundle a deploy would upload. Returns its path. */
export async function buildBundle(config, outdir) {
  // process.execPath is the Node 22 that npm scripts put first on the PATH (wrangler needs it).
  await promisify(execFile)(
    process.execPath,
    [WRANGLER_CLI, "deploy", "--dry-run", "--config", config, "--outdir", outdir],
    { cwd: ROOT, env: QUIET_ENV, maxBuffer: 16 * 1024 * 1024 },
  );
  // The entry keeps its source name (index.js, worker.js); source maps are not uploaded code.
  const entry = readdirSync(outdir).find((f) => f.endsWith(".js"));
  if (!entry) throw new Error(`no bundle in ${outdir}`);
  return join(outdir, entry);
}

const running = new Set();

/**
 * Runs a benchmark's `main(tmp)` with a fresh temporary folder; afterwards, however it ended,
 * kills every runtime this module started and removes the folder.
 */
export async function inTempDir(prefix, main) {
  const tmp = mkdtempSync(join(os.tmpdir(), prefix));
  try {
    await main(tmp);
  } finally {
    killAll("SIGKILL");
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** Kills every process group this module started; safe to call more than once. */
export function killAll(signal = "SIGKILL") {
  for (const worker of running) {
    worker.stopping = true;
    worker.signal(signal);
  }
}
process.on("exit", () => killAll("SIGKILL"));
for (const sig of ["SIGINT", "SIGTERM", "SIGHUP"]) {
  process.once(sig, () => {
    killAll("SIGKILL");
    process.exit(130);
  });
}

/** A free TCP port on 127.0.0.1 (the OS picks it; a short race with other programs remains). */
export function freePort() {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolvePort(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Serves a built bundle and resolves once `readyPath` answers.
 * @param {{ config?: string, bundle: string, port?: number, persistTo: string,
 *   vars?: Record<string,string>, readyPath?: string, logFile: string, timeoutMs?: number,
 *   assetsBeside?: boolean }} options `assetsBeside`: static assets reachable through their
 *   binding only, without Miniflare's asset routing in front of every request (serve.mjs).
 */
export async function startWorker(options) {
  const port = options.port ?? (await freePort());
  const args = [
    SERVE,
    "--config",
    options.config ?? join(ROOT, "wrangler.toml"),
    "--bundle",
    options.bundle,
    "--port",
    String(port),
    "--persist",
    options.persistTo,
  ];
  if (options.inspectorPort) args.push("--inspector-port", String(options.inspectorPort));
  if (options.assetsBeside) args.push("--assets-beside");
  for (const [name, value] of Object.entries(options.vars ?? {})) {
    args.push("--var", `${name}=${value}`);
  }
  const log = openSync(options.logFile, "a");
  const startedAt = performance.now();
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    detached: true,
    stdio: ["ignore", log, log],
    env: QUIET_ENV,
  });
  closeSync(log);
  let exited = null;
  child.on("exit", (code, signal) => {
    exited = { code, signal };
    // Said on stderr too: a runtime that dies mid-run otherwise shows only as refused requests.
    if (!running.has(worker) || worker.stopping) return;
    console.error(`[bench] ${options.logFile}: runtime exited (code ${code}, signal ${signal})`);
  });

  const url = `http://127.0.0.1:${port}`;
  const worker = {
    url,
    port,
    pid: child.pid,
    startupMs: 0,
    startupCpuMs: 0,
    logFile: options.logFile,
    get exited() {
      return exited;
    },
    // Signals the group even after its leader exited: workerd children may still be there.
    signal(sig) {
      try {
        process.kill(-child.pid, sig);
      } catch {
        // already gone
      }
    },
    /** SIGKILL to the whole group, then wait for it to be gone: a crash, not a shutdown. */
    async crash() {
      this.stopping = true;
      this.signal("SIGKILL");
      await waitExit(() => exited, 10_000);
      await waitPortClosed(port);
      running.delete(this);
    },
    /** SIGTERM, then SIGKILL if the group is still there after a grace period. */
    async stop(graceMs = 5_000) {
      this.stopping = true;
      this.signal("SIGTERM");
      if (!(await waitExit(() => exited, graceMs))) this.signal("SIGKILL");
      await waitExit(() => exited, 10_000);
      // Children of the group may outlive the leader by a moment.
      this.signal("SIGKILL");
      await waitPortClosed(port);
      running.delete(this);
    },
    /** CPU time (user + system, ms) used so far by every live process of the group. */
    cpuMs() {
      return groupCpuMs(child.pid);
    },
    logTail(lines = 40) {
      try {
        return readFileSync(options.logFile, "utf8").split("\n").slice(-lines).join("\n");
      } catch {
        return "";
      }
    },
  };
  running.add(worker);

  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  const readyPath = options.readyPath ?? "/";
  for (;;) {
    if (exited) {
      throw new Error(
        `the Worker exited during startup (${JSON.stringify(exited)}):\n${worker.logTail()}`,
      );
    }
    if (Date.now() > deadline) {
      await worker.stop();
      throw new Error(`the Worker did not become ready in time:\n${worker.logTail()}`);
    }
    try {
      const response = await fetch(`${url}${readyPath}`, { signal: AbortSignal.timeout(2_000) });
      await response.arrayBuffer();
      if (response.status < 500) break;
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  worker.startupMs = Math.round(performance.now() - startedAt);
  // CPU time to get there (Node, Miniflare, workerd, module evaluation): unlike the wall
  // clock, hardly moved by other programs competing for the cores.
  worker.startupCpuMs = Math.round(worker.cpuMs());
  return worker;
}

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

/** Sums utime + stime of the processes whose process group is `pgid` (Linux /proc). */
export function groupCpuMs(pgid) {
  let ticks = 0;
  for (const pid of readdirSync("/proc").filter((d) => /^\d+$/.test(d))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      // Fields after the parenthesised command name: state ppid pgrp … utime(14) stime(15).
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (Number(fields[2]) === pgid) ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // the process ended meanwhile
    }
  }
  return (ticks * 1000) / TICKS_PER_SECOND;
}

async function waitExit(exited, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (!exited() && Date.now() < deadline) await sleep(50);
  return Boolean(exited());
}

async function waitPortClosed(port, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      await fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(500) });
    } catch {
      return;
    }
    await sleep(100);
  }
}
