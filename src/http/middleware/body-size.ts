import type { MiddlewareHandler } from "hono";
import type { Env, HonoEnv } from "../../env";
import { limitsFrom } from "../../limits";
import { ApiError } from "../errors";

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
 * The counted bytes are decoded once into Hono's body cache, where every later
 * reader (`c.req.text()`, `c.req.json()`, the validators) takes them from.
 */
export function bodySizeLimit(options: BodySizeOptions = {}): MiddlewareHandler<HonoEnv> {
  const maxBytes = options.maxBytes ?? ((env: Env) => limitsFrom(env).bodyBytes);
  return async function bodySizeLimit(c, next) {
    const body = c.req.raw.body;
    if (!body) return next();
    const max = maxBytes(c.env);
    const declared = Number(c.req.header("content-length"));
    if (Number.isFinite(declared) && declared > max) throw tooLarge(max);
    const text = await readTextWithin(body, max);
    if (text === null) throw tooLarge(max);
    // Hono's cache holds pending reads (its type names the methods); `text()`, `json()` use it.
    (c.req.bodyCache as { text?: Promise<string> }).text = Promise.resolve(text);
    await next();
  };
}

/** The body as UTF-8 text (as `Request.text()` decodes it), or null past `max` bytes. */
async function readTextWithin(
  body: ReadableStream<Uint8Array>,
  max: number,
): Promise<string | null> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let size = 0;
  let text = "";
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return text + decoder.decode();
    size += value.byteLength;
    if (size > max) {
      await reader.cancel().catch(() => {});
      return null;
    }
    text += decoder.decode(value, { stream: true });
  }
}
