import type { Env as EdgememEnv } from "../src/env";

declare global {
  namespace Cloudflare {
    interface Env extends EdgememEnv {}
  }
}
