import { defineConfig } from "vitest/config";

/** Tests that need Node itself (schema validators that generate code, which workerd forbids). */
export default defineConfig({
  test: {
    include: ["test/node/**/*.test.ts"],
    environment: "node",
    testTimeout: 30_000,
  },
});
