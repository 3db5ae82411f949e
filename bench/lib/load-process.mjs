// Runs one load scenario in its own Node process (bench/lib/load.mjs), so the load generator
// never shares an event loop or a core's time slice with the orchestrator; resolves with the
// figures it prints as its last line.
import { spawn } from "node:child_process";
import { join } from "node:path";
import { ROOT } from "./worker-process.mjs";

export function runLoad(spec) {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [join(ROOT, "bench/lib/load.mjs"), JSON.stringify(spec)],
      {
        stdio: ["ignore", "pipe", "inherit"],
      },
    );
    let out = "";
    child.stdout.on("data", (d) => {
      out += d;
    });
    child.on("error", reject);
    child.on("exit", (code) => {
      const line = out.trim().split("\n").at(-1);
      if (code !== 0 || !line) reject(new Error(`load generator exited with ${code}`));
      else resolve(JSON.parse(line));
    });
  });
}
