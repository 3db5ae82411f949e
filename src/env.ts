/**
 * The Worker's bindings and vars. Namespaces are untyped here: each object's `api.ts`
 * types its stub, so this file imports no object class and nothing points back up.
 */
import type { EmbeddingVars } from "./memory/embedders/config";

/** A namespace of any object class; stubs are typed by the object's api.ts. */
type ObjectNamespace = DurableObjectNamespace<Rpc.DurableObjectBranded | undefined>;

export interface Env extends EmbeddingVars {
  /** One ConversationMemory per conversation. */
  CONVERSATIONS: ObjectNamespace;
  /** One TenantDirectory per tenant: its conversations and their owners. */
  DIRECTORY: ObjectNamespace;
  /** One object per long-term memory: its versions, the authority on 409 and If-Match. */
  MEMORIES: ObjectNamespace;
  /** One object per memory scope (user, agent, conversation): listing and full-text search. */
  MEMORY_INDEX: ObjectNamespace;
  /** The one registry of minted API keys (admin traffic only). */
  KEYS: ObjectNamespace;
  /** Per-key request limiter (`[[ratelimits]]` in wrangler.toml). */
  RATE_LIMITER?: RateLimit;
  /** `off` disables rate limiting for a deployment (benchmarks, trusted internal use). */
  RATE_LIMIT?: string;
  /** Static assets (`public/`): the inspector, and the tokenizer's rank tables read on first use. */
  ASSETS: Fetcher;
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
  /** Workers AI binding, for SUMMARIZER=workers-ai and EMBEDDINGS=workers-ai. */
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
