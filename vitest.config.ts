import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

export const TEST_KEYS = {
  "test-key-alpha": "alpha",
  "test-key-beta": "beta",
};

export default defineConfig({
  plugins: [
    cloudflareTest({
      wrangler: { configPath: "./wrangler.toml" },
      miniflare: {
        bindings: {
          API_KEYS: JSON.stringify(TEST_KEYS),
          ROOT_API_KEY: "test-root-key",
          CORS_ORIGINS: "https://app.example",
        },
      },
    }),
  ],
  test: {
    include: ["test/**/*.test.ts"],
    exclude: ["test/e2e/**"],
    testTimeout: 30_000,
  },
});
