import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";
import { startLocalEmbedder } from "./test/helpers/local-embedder.ts";
import { TEST_KEYS } from "./vitest.config.ts";

/**
 * Workerd suites with semantic search on (`*.semantic.test.ts`): the Worker embeds through
 * EMBEDDINGS=openai against the real local model (test/helpers/local-embedder.ts), which a
 * test can switch into faults. One file at a time: the switch is shared.
 */
const embedder = await startLocalEmbedder();

export default defineConfig({
  plugins: [
    cloudflareTest({
      wrangler: { configPath: "./wrangler.toml" },
      miniflare: {
        bindings: {
          API_KEYS: JSON.stringify(TEST_KEYS),
          RATE_LIMIT: "off",
          EMBEDDINGS: "openai",
          EMBEDDINGS_URL: embedder.url,
          EMBEDDINGS_MODEL: "universal-sentence-encoder-lite",
          EMBEDDINGS_TIMEOUT_MS: "1000",
          EMBEDDINGS_DIMENSIONS: "512",
          EMBEDDER_CONTROL_URL: embedder.control,
        },
      },
    }),
  ],
  test: {
    include: ["test/**/*.semantic.test.ts"],
    setupFiles: ["./test/helpers/kv-limits-setup.ts"],
    fileParallelism: false,
    testTimeout: 60_000,
    silent: "passed-only",
  },
});
