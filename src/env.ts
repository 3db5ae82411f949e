import type { ConversationMemory } from "./durable/conversation-memory";
import type { KeyRegistry } from "./durable/key-registry";
import type { MemoryIndex } from "./durable/memory-index";
import type { MemoryRecord } from "./durable/memory-record";
import type { TenantDirectory } from "./durable/tenant-directory";

export interface Env {
  CONVERSATIONS: DurableObjectNamespace<ConversationMemory>;
  DIRECTORY: DurableObjectNamespace<TenantDirectory>;
  /** One object per long-term memory: its versions, the authority on 409 and If-Match. */
  MEMORIES: DurableObjectNamespace<MemoryRecord>;
  /** One object per memory scope (user, agent, conversation): listing and full-text search. */
  MEMORY_INDEX: DurableObjectNamespace<MemoryIndex>;
  /** The one registry of minted API keys (admin traffic only). */
  KEYS: DurableObjectNamespace<KeyRegistry>;
  /** Per-key request limiter (`[[ratelimits]]` in wrangler.toml). */
  RATE_LIMITER?: RateLimit;
  /** `off` disables rate limiting for a deployment (benchmarks, trusted internal use). */
  RATE_LIMIT?: string;
  /** Long-term tier: archived segments and memory bodies. */
  ARCHIVE: KVNamespace;
  /** JSON map of API key -> tenant (secret in production). */
  API_KEYS?: string;
  /** Admin key for /v1/admin (secret). */
  ROOT_API_KEY?: string;
  /** Comma-separated allowed origins; empty means no cross-origin access; `*` means any. */
  CORS_ORIGINS?: string;
  MAX_BODY_BYTES?: string;
  MAX_CONTENT_BYTES?: string;
  MAX_MEMORY_TEXT_BYTES?: string;
  MAX_MESSAGES_PER_APPEND?: string;
  MAX_METADATA_BYTES?: string;
  /** Model summarizer for the `auto` and `model` strategies: `openai` or `workers-ai`; unset: extractive. */
  SUMMARIZER?: string;
  /** OpenAI-compatible base URL, e.g. https://api.openai.com/v1 (`/chat/completions` is appended). */
  SUMMARIZER_URL?: string;
  /** Secret. */
  SUMMARIZER_API_KEY?: string;
  SUMMARIZER_MODEL?: string;
  /** Most archived messages a running summary catches up on (default 2,000; older ones of a bulk import are not folded). */
  SUMMARY_MAX_BACKLOG?: string;
  /** `openai`: facts users state in messages that leave working memory become their memories. */
  FACT_EXTRACTOR?: string;
  /** Workers AI binding, for SUMMARIZER=workers-ai. */
  AI?: Ai;
}

export interface Principal {
  kind: "tenant" | "root";
  /** The tenant every storage name of this request is prefixed with (root: none). */
  tenant: string | null;
  /** Names the key in logs and rate limits; never the key or its hash. */
  keyId: string;
}

export interface HonoEnv {
  Bindings: Env;
  Variables: {
    requestId: string;
    principal: Principal;
    tenant: string;
  };
}
