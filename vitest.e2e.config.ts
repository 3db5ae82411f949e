import { defineConfig } from "vitest/config";

/**
 * Black-box suites against a running Worker (the deploy bundle under Miniflare), started
 * once by the global setup: the typed client, the stock Zep client, the examples.
 */
export default defineConfig({
  test: {
    include: ["test/e2e/**/*.test.{ts,mjs}"],
    environment: "node",
    globalSetup: ["test/e2e/global-setup.mjs"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
