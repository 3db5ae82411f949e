import { defineConfig } from "vitest/config";

// Reliability suites run in Node: they start, SIGKILL and restart the Worker as child processes,
// which the workerd pool of vitest.config.ts cannot do. One file at a time: both load the machine.
export default defineConfig({
  test: {
    include: ["test/reliability/**/*.test.mjs"],
    environment: "node",
    pool: "forks",
    fileParallelism: false,
    testTimeout: 300_000,
    hookTimeout: 180_000,
  },
});
