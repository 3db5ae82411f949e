import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";
import { startFakeModel } from "./test/helpers/fake-model.ts";

export const TEST_KEYS = {
  "test-key-alpha": "alpha",
  "test-key-beta": "beta",
};

const fakeModel = await startFakeModel();

export default defineConfig({
  plugins: [
    cloudflareTest({
      wrangler: { configPath: "./wrangler.toml" },
      miniflare: {
        bindings: {
          API_KEYS: JSON.stringify(TEST_KEYS),
          ROOT_API_KEY: "test-root-key",
          CORS_ORIGINS: "https://app.example",
          // Suites send hundreds of requests a second with one key; the rate-limit
          // test switches limiting on against STRICT_RATE_LIMITER below.
          RATE_LIMIT: "off",
          // The model summarizer and fact extractor talk to test/helpers/fake-model.ts.
          SUMMARIZER: "openai",
          SUMMARIZER_URL: fakeModel.url,
          SUMMARIZER_MODEL: "fake-model",
          FACT_EXTRACTOR: "openai",
        },
        ratelimits: {
          STRICT_RATE_LIMITER: { namespace_id: "9001", simple: { limit: 3, period: 10 } },
        },
      },
    }),
  ],
  test: {
    include: ["test/**/*.test.ts"],
    // Production's KV limits (operations per invocation, sizes) around the real binding.
    setupFiles: ["./test/helpers/kv-limits-setup.ts"],
    // e2e, reliability and `*.node.test.ts` suites run in Node with their own configs.
    // The 100,000-message check runs apart: `npm run test:scale`.
    exclude: [
      "test/e2e/**",
      "test/**/*.node.test.ts",
      // Semantic search suites run with an embedder: vitest.semantic.config.ts.
      "test/**/*.semantic.test.ts",
      "test/reliability/**",
      ...(process.env.EDGEMEM_SCALE ? [] : ["test/scale/**"]),
    ],
    testTimeout: 30_000,
    silent: "passed-only",
  },
});
