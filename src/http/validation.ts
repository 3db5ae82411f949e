import type { Context } from "hono";
import type { ZodError, z } from "zod";
import { type FieldError, invalid, invalidField } from "./errors";
import { defaultJsonShapeLimits, jsonShapeProblem } from "./middleware/json-guard";

const HEADER_NAMES: Record<string, string> = { "idempotency-key": "Idempotency-Key" };

export function fieldErrors(error: ZodError, target: string): FieldError[] {
  return unionOptionIssues(error.issues).map((issue) => {
    let path = issue.path.map(String).join(".");
    if (target === "header") path = HEADER_NAMES[path] ?? path;
    if (issue.code === "unrecognized_keys") {
      const prefix = path ? `${path}.` : "";
      return { path: `${prefix}${issue.keys.join(",")}`, message: "unknown field" };
    }
    return { path, message: issue.message };
  });
}

type Issue = ZodError["issues"][number];

/**
 * The issues to report, with a failed union of a chat message and a Responses API item
 * replaced by the issues of the one the value was meant for: an option that failed on its
 * discriminator (no such `role`, no such `type`) or on `type` itself (a chat message has
 * none) was not meant. Of the rest, the one with the fewest issues; when none is left,
 * each option's discriminator issue. Zod's own "Invalid input" would name no field.
 */
function unionOptionIssues(issues: readonly Issue[]): Issue[] {
  return issues.flatMap((issue) => {
    if (issue.code !== "invalid_union" || issue.errors.length === 0) return [issue];
    const options = issue.errors.map((option) => unionOptionIssues(option));
    const notMeant = (option: Issue[]) =>
      option.some((inner) => isDiscriminatorIssue(inner) || inner.path.join(".") === "type");
    if (!options.some(notMeant)) return [issue];
    const meant = options.filter((option) => !notMeant(option));
    const chosen =
      meant.length > 0 ? [meant.reduce((a, b) => (b.length < a.length ? b : a))] : options;
    return chosen.flat().map((inner) => ({ ...inner, path: [...issue.path, ...inner.path] }));
  });
}

const isDiscriminatorIssue = (issue: Issue) =>
  issue.code === "invalid_union" && issue.errors.length === 0 && "discriminator" in issue;

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
