import type { Context } from "hono";
import type { ZodError, z } from "zod";
import { type FieldError, invalid, invalidField } from "./errors";
import { defaultJsonShapeLimits, jsonShapeProblem } from "./middleware/json-guard";

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

/**
 * The JSON body of a route not declared with `createRoute` (the compat APIs), validated
 * like any other: malformed JSON or a bad field is a 400 naming it.
 */
export async function validJsonBody<S extends z.ZodType>(
  c: Context,
  schema: S,
): Promise<z.infer<S>> {
  let value: unknown;
  try {
    value = JSON.parse((await c.req.text()) || "null");
  } catch {
    throw invalidField("", "the body is not valid JSON");
  }
  // Whatever its content type claims: the shape guard middleware checks JSON types only.
  const problem = jsonShapeProblem(value, defaultJsonShapeLimits(c.env));
  if (problem) throw invalidField(problem.path, problem.message);
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw invalid(fieldErrors(parsed.error, "json"), "Invalid request body");
  return parsed.data;
}
