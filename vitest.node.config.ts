import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

/**
 * Tests that need Node itself (schema validators that generate code, local fake servers),
 * and those of the benchmarks' own parts (test/bench, plain JavaScript like bench/).
 */
export default defineConfig({
  resolve: {
    alias: {
      "cloudflare:workers": fileURLToPath(
        new URL("./test/helpers/cloudflare-workers-shim.ts", import.meta.url),
      ),
    },
  },
  test: {
    include: ["test/**/*.node.test.ts", "test/**/*.node.test.mjs"],
    environment: "node",
    testTimeout: 30_000,
    // As in vitest.config.ts: what a passing test logs (the access log of each request it
    // makes) stays out of the output; a failing test's log is shown.
    silent: "passed-only",
  },
});
