import type { MiddlewareHandler } from "hono";
import type { HonoEnv } from "../../env";

/**
 * One structured JSON line per request. It names the matched route pattern, never
 * the raw URL or headers, so no key that travels in a path or header is logged;
 * the caller is named by its key id.
 */
export function accessLog(): MiddlewareHandler<HonoEnv> {
  return async function accessLog(c, next) {
    const started = Date.now();
    await next();
    console.log(
      JSON.stringify({
        event: "request",
        requestId: c.get("requestId"),
        tenant: c.get("tenant") ?? null,
        keyId: c.get("principal")?.keyId ?? null,
        method: c.req.method,
        route: c.req.routePath,
        status: c.res.status,
        latencyMs: Date.now() - started,
      }),
    );
  };
}
