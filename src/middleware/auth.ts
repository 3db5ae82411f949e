import type { MiddlewareHandler } from "hono";
import { identify } from "../auth/keys";
import type { HonoEnv } from "../env";
import { ApiError } from "../errors";

export interface AuthOptions {
  /** `tenant` routes take tenant keys only; `root` routes (admin) take the root key only. */
  scope: "tenant" | "root";
}

const BEARER = /^Bearer ([\x21-\x7e]{1,512})$/;

/** Authenticates `Authorization: Bearer <key>` and sets the request's principal and tenant. */
export function apiKeyAuth(options: AuthOptions = { scope: "tenant" }): MiddlewareHandler<HonoEnv> {
  return async function apiKeyAuth(c, next) {
    const header = c.req.header("authorization");
    const match = header ? BEARER.exec(header) : null;
    if (!match?.[1]) {
      throw new ApiError("unauthorized", "Send your API key as `Authorization: Bearer <key>`", {
        headers: { "www-authenticate": 'Bearer realm="edgemem"' },
      });
    }
    const principal = await identify(c.env, match[1]);
    if (!principal) {
      throw new ApiError("unauthorized", "Unknown API key", {
        headers: { "www-authenticate": 'Bearer realm="edgemem", error="invalid_token"' },
      });
    }
    if (principal.kind !== options.scope) {
      throw new ApiError(
        "forbidden",
        options.scope === "root"
          ? "Administration needs the root key"
          : "The root key administers keys; use a tenant key here",
      );
    }
    c.set("principal", principal);
    if (principal.tenant) c.set("tenant", principal.tenant);
    // Authenticated answers are per-tenant data: never cached by anyone.
    c.header("cache-control", "no-store");
    await next();
  };
}
