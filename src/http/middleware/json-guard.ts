import type { MiddlewareHandler } from "hono";
import type { Env, HonoEnv } from "../../env";
import { limitsFrom } from "../../limits";
import { invalidField } from "../errors";

export interface JsonShapeLimits {
  /** Deepest nesting of objects and arrays in a body (the body itself is depth 1). */
  maxDepth: number;
  /** Most items of any one array. */
  maxArrayItems: number;
  /** Most keys of any one object. */
  maxObjectKeys: number;
}

export interface JsonGuardOptions {
  limits?: (env: Env) => JsonShapeLimits;
}

/** Generous for every body the API defines; tight enough that no validator chokes. */
export function defaultJsonShapeLimits(env: Env): JsonShapeLimits {
  return {
    maxDepth: 32,
    maxArrayItems: Math.max(1000, limitsFrom(env).messagesPerAppend),
    maxObjectKeys: 1000,
  };
}

const JSON_MEDIA_TYPE = /^application\/([\w.-]+\+)?json$/i;

/** Where a value breaks the shape limits, as a dotted path and a reason; null if it does not. */
export function jsonShapeProblem(
  value: unknown,
  limits: JsonShapeLimits,
): { path: string; message: string } | null {
  // Iterative, so a hostile nesting depth cannot overflow the stack.
  const stack: Array<[unknown, number, string]> = [[value, 1, ""]];
  while (stack.length > 0) {
    const [node, depth, path] = stack.pop() as [unknown, number, string];
    if (node === null || typeof node !== "object") continue;
    if (depth > limits.maxDepth) {
      return { path, message: `nests deeper than ${limits.maxDepth} levels` };
    }
    if (Array.isArray(node)) {
      if (node.length > limits.maxArrayItems) {
        return { path, message: `has more than ${limits.maxArrayItems} items` };
      }
    } else if (Object.keys(node).length > limits.maxObjectKeys) {
      return { path, message: `has more than ${limits.maxObjectKeys} keys` };
    }
    for (const [key, child] of Object.entries(node)) {
      if (child !== null && typeof child === "object") {
        stack.push([child, depth + 1, path ? `${path}.${key}` : key]);
      }
    }
  }
  return null;
}

/**
 * Refuses JSON bodies whose shape alone would make validation expensive (a
 * 300,000-item array makes the schema library overflow its stack) before any
 * validator or handler sees them. Malformed JSON passes through: the route's
 * validator answers it with 400.
 */
export function jsonBodyGuard(options: JsonGuardOptions = {}): MiddlewareHandler<HonoEnv> {
  const limitsOf = options.limits ?? defaultJsonShapeLimits;
  return async function jsonBodyGuard(c, next) {
    if (!c.req.raw.body) return next();
    const mediaType = (c.req.header("content-type") ?? "").split(";")[0]?.trim() ?? "";
    if (!JSON_MEDIA_TYPE.test(mediaType)) return next();
    let value: unknown;
    try {
      value = await c.req.json();
    } catch {
      return next();
    }
    const problem = jsonShapeProblem(value, limitsOf(c.env));
    if (problem) throw invalidField(problem.path, problem.message);
    // Hono parses the cached text again on every `json()` call: the route's validator
    // takes this parse instead (it reads the value, never changes it).
    c.req.json = <T>() => Promise.resolve(value as T);
    return next();
  };
}
