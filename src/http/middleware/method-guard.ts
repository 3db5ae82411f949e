import type { MiddlewareHandler } from "hono";
import type { HonoEnv } from "../../env";
import { ApiError } from "../errors";

export interface RouteEntry {
  method: string;
  path: string;
}

interface RoutePattern {
  methods: Set<string>;
  /** A path without parameters: it wins over a pattern (`/v1/memories/search` over `/v1/memories/:id`). */
  fixed: boolean;
  matches: RegExp;
}

function patternsOf(routes: readonly RouteEntry[]): RoutePattern[] {
  const byPath = new Map<string, RoutePattern>();
  for (const route of routes) {
    if (route.method === "ALL") continue; // middleware
    let pattern = byPath.get(route.path);
    if (!pattern) {
      const source = route.path
        .split("/")
        .map((part) =>
          part.startsWith(":")
            ? "[^/]+"
            : part === "*"
              ? ".*"
              : part.replace(/[.+?^${}()|[\]\\]/g, "\\$&"),
        )
        .join("/");
      pattern = {
        methods: new Set(),
        fixed: !/[:*]/.test(route.path),
        matches: new RegExp(`^${source}$`),
      };
      byPath.set(route.path, pattern);
    }
    pattern.methods.add(route.method);
  }
  return [...byPath.values()];
}

/** The methods a path is served with, or an empty list for a path no route knows. */
export function allowedMethods(patterns: readonly RoutePattern[], path: string): string[] {
  const matching = patterns.filter((p) => p.matches.test(path));
  const fixed = matching.filter((p) => p.fixed);
  const methods = new Set((fixed.length > 0 ? fixed : matching).flatMap((p) => [...p.methods]));
  if (methods.has("GET")) methods.add("HEAD");
  return [...methods].sort();
}

/**
 * A known path asked with a method it does not serve is 405 with `Allow`, not 404
 * (API.md, Methods) — including a fixed path that a parameter route would otherwise
 * take (`GET /v1/memories/search` is not a read of memory "search"). The routes are
 * read on first use, once the app has them all.
 */
export function methodGuard(routes: () => readonly RouteEntry[]): MiddlewareHandler<HonoEnv> {
  let patterns: RoutePattern[] | undefined;
  return async function methodGuard(c, next) {
    if (c.req.method === "OPTIONS") return next();
    patterns ??= patternsOf(routes());
    const allowed = allowedMethods(patterns, c.req.path);
    if (allowed.length === 0 || allowed.includes(c.req.method)) return next();
    throw new ApiError(
      "invalid_request",
      `${c.req.method} is not served here; use ${allowed.join(", ")}`,
      {
        status: 405,
        headers: { allow: allowed.join(", ") },
      },
    );
  };
}
