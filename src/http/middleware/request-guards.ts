import type { MiddlewareHandler } from "hono";
import type { HonoEnv } from "../../env";
import { bodySizeLimit } from "./body-size";
import { jsonBodyGuard } from "./json-guard";
import { rateLimit } from "./rate-limit";

/**
 * What every authenticated route runs after authentication, in this order: the rate
 * limit (so unauthenticated requests never spend a key's budget), the body-size limit
 * and the JSON shape guard (so nobody unauthenticated makes us read or parse a body).
 * `/v1` mounts them in `app.ts`; the compat APIs, which find keys their own way, after
 * their own authentication.
 */
export function requestGuards(): MiddlewareHandler<HonoEnv>[] {
  return [rateLimit(), bodySizeLimit(), jsonBodyGuard()];
}
