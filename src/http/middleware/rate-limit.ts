import type { MiddlewareHandler } from "hono";
import type { Env, HonoEnv } from "../../env";
import { ApiError } from "../errors";

export interface RateLimitOptions {
  /** The limiter binding; default `RATE_LIMITER` (`[[ratelimits]]` in wrangler.toml). */
  limiter?: (env: Env) => RateLimit | undefined;
  /** Sent as `retry-after`: the binding's period, after which its window has moved on. */
  retryAfterSeconds?: number;
}

/** The `simple.period` of the `RATE_LIMITER` binding in wrangler.toml. */
export const RATE_LIMIT_PERIOD_SECONDS = 10;

let warnedMissingBinding = false;

/**
 * Counts each request against its API key (by key id, never the secret) and
 * answers 429 once the key's budget for the period is spent. Runs after auth, so
 * unauthenticated requests cannot spend a tenant's budget. `RATE_LIMIT=off`
 * switches it off for a deployment. If the limiter is missing or fails, requests
 * pass and the fault is logged: a broken counter must not take the API down.
 */
export function rateLimit(options: RateLimitOptions = {}): MiddlewareHandler<HonoEnv> {
  const limiterOf = options.limiter ?? ((env: Env) => env.RATE_LIMITER);
  const retryAfter = String(options.retryAfterSeconds ?? RATE_LIMIT_PERIOD_SECONDS);
  return async function rateLimit(c, next) {
    const principal = c.get("principal");
    if (c.env.RATE_LIMIT === "off" || !principal) return next();
    const limiter = limiterOf(c.env);
    if (!limiter) {
      if (!warnedMissingBinding) {
        warnedMissingBinding = true;
        console.error(
          JSON.stringify({ event: "config_error", detail: "RATE_LIMITER binding is missing" }),
        );
      }
      return next();
    }
    let allowed = true;
    try {
      allowed = (await limiter.limit({ key: principal.keyId })).success;
    } catch (error) {
      console.error(
        JSON.stringify({
          event: "rate_limiter_error",
          requestId: c.get("requestId"),
          error: String(error),
        }),
      );
    }
    if (!allowed) {
      throw new ApiError(
        "rate_limited",
        `Too many requests with this API key; retry after ${retryAfter} seconds`,
        { headers: { "retry-after": retryAfter } },
      );
    }
    return next();
  };
}
