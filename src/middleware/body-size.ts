import type { MiddlewareHandler } from "hono";
import type { Env, HonoEnv } from "../env";
import { ApiError } from "../errors";
import { limitsFrom } from "../limits";

export interface BodySizeOptions {
  /** The most bytes a request body may have; default: the deployment's `MAX_BODY_BYTES`. */
  maxBytes?: (env: Env) => number;
}

const tooLarge = (max: number) =>
  new ApiError("payload_too_large", `The request body is larger than the limit of ${max} bytes`);

/**
 * Rejects a body over the limit before any work is done on it. A declared
 * `content-length` over the limit is refused without reading; otherwise the bytes
 * that actually arrive are counted (chunked bodies have no length, and a declared
 * one is a claim, not a bound), and reading stops at the first byte too many.
 */
export function bodySizeLimit(options: BodySizeOptions = {}): MiddlewareHandler<HonoEnv> {
  const maxBytes = options.maxBytes ?? ((env: Env) => limitsFrom(env).bodyBytes);
  return async function bodySizeLimit(c, next) {
    const body = c.req.raw.body;
    if (!body) return next();
    const max = maxBytes(c.env);
    const declared = Number(c.req.header("content-length"));
    if (Number.isFinite(declared) && declared > max) throw tooLarge(max);
    const reader = body.getReader();
    const chunks: Uint8Array[] = [];
    let size = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > max) {
        await reader.cancel().catch(() => {});
        throw tooLarge(max);
      }
      chunks.push(value);
    }
    const buffer = new Uint8Array(size);
    let offset = 0;
    for (const chunk of chunks) {
      buffer.set(chunk, offset);
      offset += chunk.byteLength;
    }
    c.req.raw = new Request(c.req.raw, { body: buffer });
    await next();
  };
}
