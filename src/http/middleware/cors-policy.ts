import type { MiddlewareHandler } from "hono";
import { cors } from "hono/cors";
import type { Env, HonoEnv } from "../../env";

export interface CorsPolicyOptions {
  /** The origins allowed to call from a browser; default: the comma-separated `CORS_ORIGINS`. */
  origins?: (env: Env) => string | undefined;
}

const ALLOW_HEADERS = [
  "authorization",
  "content-type",
  "idempotency-key",
  "if-match",
  "x-request-id",
  "x-metal-api-key",
];

/** No origin allowed: no CORS headers at all (browsers then refuse cross-origin reads). */
const noCrossOrigin: MiddlewareHandler<HonoEnv> = (_c, next) => next();

function corsFor(source: string): MiddlewareHandler<HonoEnv> {
  const origins = source
    .split(",")
    .map((o) => o.trim())
    .filter(Boolean);
  // Hono's cors would still touch every response (Vary, a placeholder Response copied twice).
  if (origins.length === 0) return noCrossOrigin;
  return cors({
    origin: origins.includes("*") ? "*" : origins,
    allowHeaders: ALLOW_HEADERS,
    exposeHeaders: ["x-request-id", "retry-after"],
    maxAge: 600,
  });
}

/**
 * CORS for the deployment's allowed origins (none by default). The origins come from
 * a var, so the handler is built on the first request, and again only if the var changes.
 */
export function corsPolicy(options: CorsPolicyOptions = {}): MiddlewareHandler<HonoEnv> {
  const originsOf = options.origins ?? ((env: Env) => env.CORS_ORIGINS);
  let built: { source: string; handler: MiddlewareHandler<HonoEnv> } | undefined;
  return function corsPolicy(c, next) {
    const source = originsOf(c.env) ?? "";
    if (built?.source !== source) built = { source, handler: corsFor(source) };
    return built.handler(c, next);
  };
}
