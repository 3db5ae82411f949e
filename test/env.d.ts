import type { Env as EdgememEnv } from "../src/env";

declare global {
  namespace Cloudflare {
    interface Env extends EdgememEnv {
      /** The local embedder's switch (vitest.semantic.config.ts only). */
      EMBEDDER_CONTROL_URL?: string;
    }
  }
}
