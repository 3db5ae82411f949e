import type { Context } from "hono";
import type { ZodError } from "zod";
import { type FieldError, invalid } from "./errors";

const HEADER_NAMES: Record<string, string> = { "idempotency-key": "Idempotency-Key" };

export function fieldErrors(error: ZodError, target: string): FieldError[] {
  return error.issues.map((issue) => {
    let path = issue.path.map(String).join(".");
    if (target === "header") path = HEADER_NAMES[path] ?? path;
    if (issue.code === "unrecognized_keys") {
      const prefix = path ? `${path}.` : "";
      return { path: `${prefix}${issue.keys.join(",")}`, message: "unknown field" };
    }
    return { path, message: issue.message };
  });
}

/** The one validation hook: every bad field of every request target becomes problem+json. */
export function validationHook(
  result: { success: true } | { success: false; error: ZodError; target?: string },
  _c: Context,
): void {
  if (!result.success) throw invalid(fieldErrors(result.error, result.target ?? "json"));
}
