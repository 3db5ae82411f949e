import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

/** Tests that need Node itself (schema validators that generate code, local fake servers). */
export default defineConfig({
  resolve: {
    alias: {
      "cloudflare:workers": fileURLToPath(
        new URL("./test/helpers/cloudflare-workers-shim.ts", import.meta.url),
      ),
    },
  },
  test: {
    include: ["test/**/*.node.test.ts"],
    environment: "node",
    testTimeout: 30_000,
  },
});
