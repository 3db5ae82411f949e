// `npm run dev`: wrangler dev with local Durable Objects and KV, quiet offline. The Worker
// never reads `request.cf`, so wrangler's fetch of a real one from Cloudflare (a stack
// trace when offline) is turned off, unless CLOUDFLARE_CF_FETCH_ENABLED says otherwise.
// Extra arguments go to wrangler (`npm run dev -- --port 8788`).
import { spawn } from "node:child_process";

const child = spawn(
  "wrangler",
  ["dev", "--persist-to", ".wrangler/state", ...process.argv.slice(2)],
  {
    stdio: "inherit",
    shell: process.platform === "win32",
    env: { CLOUDFLARE_CF_FETCH_ENABLED: "false", ...process.env },
  },
);
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
