import type { Problem } from "./types.js";

const CODES: Record<number, string> = {
  400: "invalid_request",
  401: "unauthorized",
  403: "forbidden",
  404: "not_found",
  409: "conflict",
  412: "precondition_failed",
  413: "payload_too_large",
  429: "rate_limited",
  503: "unavailable",
};

/** An error answer of the API, with the fields of its problem+json body. */
export class EdgememError extends Error implements Problem {
  readonly status: number;
  readonly code: string;
  readonly type: string;
  readonly title: string;
  readonly detail: string;
  readonly requestId: string;
  readonly errors?: { path: string; message: string }[];
  /** Seconds the server asked to wait (429), when it said. */
  readonly retryAfter?: number;

  constructor(problem: Problem, retryAfter?: number) {
    super(`${problem.status} ${problem.code}: ${problem.detail}`);
    this.name = "EdgememError";
    this.status = problem.status;
    this.code = problem.code;
    this.type = problem.type;
    this.title = problem.title;
    this.detail = problem.detail;
    this.requestId = problem.requestId;
    if (problem.errors) this.errors = problem.errors;
    if (retryAfter !== undefined) this.retryAfter = retryAfter;
  }

  /** The error a response means, from its problem+json body or, failing that, its status. */
  static async from(response: Response): Promise<EdgememError> {
    const text = await response.text().catch(() => "");
    let body: Partial<Problem> = {};
    try {
      const parsed = JSON.parse(text);
      if (parsed && typeof parsed === "object") body = parsed;
    } catch {
      // Not JSON (a proxy's page, say): described by the status alone.
    }
    const status = response.status;
    const code =
      typeof body.code === "string"
        ? body.code
        : (CODES[status] ?? (status >= 500 ? "internal" : "invalid_request"));
    return new EdgememError(
      {
        type: typeof body.type === "string" ? body.type : "about:blank",
        title:
          typeof body.title === "string" ? body.title : response.statusText || `HTTP ${status}`,
        status,
        detail:
          typeof body.detail === "string" ? body.detail : text.slice(0, 500) || `HTTP ${status}`,
        code,
        requestId:
          typeof body.requestId === "string"
            ? body.requestId
            : (response.headers.get("x-request-id") ?? ""),
        ...(Array.isArray(body.errors) ? { errors: body.errors } : {}),
      },
      retryAfterSeconds(response.headers.get("retry-after")),
    );
  }
}

/** `retry-after` in seconds (a number of seconds or an HTTP date), or undefined. */
export function retryAfterSeconds(value: string | null): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, (date - Date.now()) / 1000);
}
