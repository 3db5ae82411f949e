import type { MiddlewareHandler } from "hono";
import type { HonoEnv } from "../../env";

export interface SecurityHeaderOptions {
  /** Paths that serve a page or a public document, not API data (no CSP lock-down, cacheable). */
  publicPaths?: string[];
}

const API_HEADERS: Record<string, string> = {
  "x-content-type-options": "nosniff",
  "x-frame-options": "DENY",
  "referrer-policy": "no-referrer",
  "strict-transport-security": "max-age=63072000; includeSubDomains",
  // API answers are data, never documents: nothing in them may run or be framed.
  "content-security-policy": "default-src 'none'; frame-ancestors 'none'",
};

/**
 * Headers suited to a JSON API on every response, errors included. Anything not
 * public (every authenticated answer, and every error) is `cache-control: no-store`
 * unless the route chose otherwise.
 */
export function securityHeaders(options: SecurityHeaderOptions = {}): MiddlewareHandler<HonoEnv> {
  const publicPaths = new Set(options.publicPaths ?? ["/docs", "/openapi.json", "/healthz"]);
  return async function securityHeaders(c, next) {
    await next();
    const isPublic = publicPaths.has(c.req.path);
    for (const [name, value] of Object.entries(API_HEADERS)) {
      if (isPublic && name === "content-security-policy") continue;
      if (!c.res.headers.has(name)) c.res.headers.set(name, value);
    }
    if (!isPublic || c.res.status >= 400) c.res.headers.set("cache-control", "no-store");
  };
}
