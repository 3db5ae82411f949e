import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { HonoEnv } from "../env";
import { ApiError, type ErrorCode, problemResponse } from "./errors";

/** Hono's own rejections (405, a malformed body …) by status, as codes of the one table. */
const STATUS_CODES: Record<number, ErrorCode> = {
  400: "invalid_request",
  401: "unauthorized",
  403: "forbidden",
  404: "not_found",
  405: "invalid_request",
  409: "conflict",
  412: "precondition_failed",
  413: "payload_too_large",
  415: "invalid_request",
  429: "rate_limited",
  503: "unavailable",
};

/** What to do about Hono's own rejections, where its message names only the status. */
const HINTS: Record<number, string> = {
  415: "The body must be JSON: send it with the header content-type: application/json",
};

/**
 * Any thrown value as the ApiError it means. Anything unexpected is logged with the
 * request id and becomes a bare 500: no internal reason ever reaches a response.
 */
export function asApiError(error: unknown, c: Context<HonoEnv>): ApiError {
  if (error instanceof ApiError) return error;
  if (error instanceof HTTPException && STATUS_CODES[error.status]) {
    const code = STATUS_CODES[error.status] as ErrorCode;
    const detail = HINTS[error.status] ?? (error.message || "Request rejected");
    return new ApiError(code, detail, { status: error.status });
  }
  console.error(
    JSON.stringify({
      event: "unhandled_error",
      requestId: c.get("requestId"),
      error: String(error),
    }),
  );
  return new ApiError("internal", "Something went wrong on our side; retrying is safe");
}

/** The headers an ApiError carries (www-authenticate, retry-after), set on `response`. */
export function withErrorHeaders(response: Response, error: ApiError): Response {
  for (const [name, value] of Object.entries(error.headers ?? {})) {
    response.headers.set(name, value);
  }
  return response;
}

/** `onError` of `/v1`: any error as problem+json, keeping headers middleware already set. */
export function renderProblem(error: unknown, c: Context<HonoEnv>): Response {
  const requestId = c.get("requestId") ?? crypto.randomUUID();
  const response = problemResponse(asApiError(error, c), requestId);
  for (const [name, value] of c.res.headers) {
    if (!response.headers.has(name)) response.headers.set(name, value);
  }
  return response;
}
