import type { Context, MiddlewareHandler } from "hono";
import { identify } from "../../auth/keys";
import type { HonoEnv, Principal } from "../../env";
import { ApiError } from "../errors";

export interface AuthOptions {
  /** `tenant` routes take tenant keys only; `root` routes (admin) take the root key only. */
  scope: "tenant" | "root";
  /**
   * Where else than `Authorization: Bearer` a client may put the key (the compat APIs:
   * Motorhead's `x-metal-api-key` header or a path segment).
   */
  keyFrom?: (c: Context<HonoEnv>) => string | undefined;
}

/** The auth scheme's name is case-insensitive (RFC 9110, 11.1). */
const BEARER = /^Bearer\s+([\x21-\x7e]{1,512})$/i;

/**
 * Who a presented key is, or a 401. A store that cannot answer (KV down) is a 503,
 * never a 401 that would tell a client its good key is bad.
 */
async function authenticate(
  c: Parameters<MiddlewareHandler<HonoEnv>>[0],
  presented: string,
): Promise<Principal> {
  let principal: Principal | null;
  try {
    principal = await identify(c.env, presented);
  } catch (error) {
    console.error(
      JSON.stringify({
        event: "key_lookup_error",
        requestId: c.get("requestId"),
        error: String(error),
      }),
    );
    throw new ApiError("unavailable", "Cannot check API keys right now; retrying is safe");
  }
  if (!principal) {
    throw new ApiError("unauthorized", "Unknown API key", {
      headers: { "www-authenticate": 'Bearer realm="edgemem", error="invalid_token"' },
    });
  }
  return principal;
}

/**
 * Authenticates `Authorization: Bearer <key>` (or where `keyFrom` finds it) and sets the
 * request's principal and tenant. `/v1` and the compat APIs share it.
 */
export function apiKeyAuth(options: AuthOptions = { scope: "tenant" }): MiddlewareHandler<HonoEnv> {
  return async function apiKeyAuth(c, next) {
    const header = c.req.header("authorization");
    const key = (header ? BEARER.exec(header)?.[1] : undefined) ?? options.keyFrom?.(c);
    if (!key) {
      throw new ApiError("unauthorized", "Send your API key as `Authorization: Bearer <key>`", {
        headers: { "www-authenticate": 'Bearer realm="edgemem"' },
      });
    }
    const principal = await authenticate(c, key);
    // Set before the scope check, so a refused attempt is logged with the key that made it.
    c.set("principal", principal);
    if (principal.kind !== options.scope) {
      throw new ApiError(
        "forbidden",
        options.scope === "root"
          ? "Administration needs the root key"
          : "The root key administers keys; use a tenant key here",
      );
    }
    if (principal.tenant) c.set("tenant", principal.tenant);
    // Authenticated answers are per-tenant data: never cached by anyone.
    c.header("cache-control", "no-store");
    await next();
  };
}
