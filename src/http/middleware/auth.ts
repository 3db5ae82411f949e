import type { Context, MiddlewareHandler } from "hono";
import { FailedAttempts } from "../../auth/failed-attempts";
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

/** Failed authentications per client address, shared by every authenticated route of the isolate. */
const failedAttempts = new FailedAttempts();

/** The client's address as Cloudflare saw it; one bucket for all when there is none (local runs). */
const clientOf = (c: Context<HonoEnv>) => c.req.header("cf-connecting-ip") ?? "unknown";

/** The auth scheme's name is case-insensitive (RFC 9110, 11.1). */
const BEARER = /^Bearer\s+([\x21-\x7e]{1,512})$/i;

/**
 * Who a presented key is, or a 401. A store that cannot answer (KV down) is a 503,
 * never a 401 that would tell a client its good key is bad.
 */
async function authenticate(c: Context<HonoEnv>, presented: string): Promise<Principal> {
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

function presentedKey(c: Context<HonoEnv>, options: AuthOptions): string {
  const header = c.req.header("authorization");
  const key = (header ? BEARER.exec(header)?.[1] : undefined) ?? options.keyFrom?.(c);
  if (!key) {
    throw new ApiError("unauthorized", "Send your API key as `Authorization: Bearer <key>`", {
      headers: { "www-authenticate": 'Bearer realm="edgemem"' },
    });
  }
  return key;
}

/**
 * Authenticates `Authorization: Bearer <key>` (or where `keyFrom` finds it) and sets the
 * request's principal and tenant. `/v1` and the compat APIs share it.
 */
export function apiKeyAuth(options: AuthOptions = { scope: "tenant" }): MiddlewareHandler<HonoEnv> {
  return async function apiKeyAuth(c, next) {
    // Throttled before the key is even looked at: a client over its budget of failures
    // learns nothing more, not even whether its next key is good. RATE_LIMIT=off: no throttle.
    const throttled = c.env.RATE_LIMIT !== "off";
    const client = clientOf(c);
    const wait = throttled ? failedAttempts.retryAfterSeconds(client) : 0;
    if (wait > 0) {
      throw new ApiError(
        "rate_limited",
        `Too many failed authentications from this client; retry after ${wait} seconds`,
        { headers: { "retry-after": String(wait) } },
      );
    }
    let principal: Principal;
    try {
      principal = await authenticate(c, presentedKey(c, options));
    } catch (error) {
      if (throttled && error instanceof ApiError && error.code === "unauthorized") {
        failedAttempts.recordFailure(client);
      }
      throw error;
    }
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
