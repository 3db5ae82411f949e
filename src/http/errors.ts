import { z } from "@hono/zod-openapi";

/** The closed set of error codes. Status and title come from this one table. */
export const ERROR_TABLE = {
  unauthorized: { status: 401, title: "Unauthorized" },
  forbidden: { status: 403, title: "Forbidden" },
  not_found: { status: 404, title: "Not Found" },
  invalid_request: { status: 400, title: "Invalid Request" },
  payload_too_large: { status: 413, title: "Payload Too Large" },
  conflict: { status: 409, title: "Conflict" },
  precondition_failed: { status: 412, title: "Precondition Failed" },
  rate_limited: { status: 429, title: "Too Many Requests" },
  unavailable: { status: 503, title: "Service Unavailable" },
  internal: { status: 500, title: "Internal Server Error" },
} as const;

export type ErrorCode = keyof typeof ERROR_TABLE;

export interface FieldError {
  path: string;
  message: string;
}

/**
 * The one exception type of the HTTP edge. Domain and Durable Object code return
 * failures as values; routes turn them into an ApiError, and `onError` renders it.
 */
export class ApiError extends Error {
  readonly code: ErrorCode;
  readonly detail: string;
  readonly errors?: FieldError[];
  /** HTTP status, normally from ERROR_TABLE; 415 is the one override (`invalid_request`). */
  readonly status: number;
  readonly headers?: Record<string, string>;

  constructor(
    code: ErrorCode,
    detail: string,
    options: { errors?: FieldError[]; status?: number; headers?: Record<string, string> } = {},
  ) {
    super(detail);
    this.code = code;
    this.detail = detail;
    this.errors = options.errors;
    this.status = options.status ?? ERROR_TABLE[code].status;
    this.headers = options.headers;
  }
}

export const invalid = (errors: FieldError[], detail?: string) =>
  new ApiError("invalid_request", detail ?? describeFieldErrors(errors), { errors });

export const invalidField = (path: string, message: string) => invalid([{ path, message }]);

function describeFieldErrors(errors: FieldError[]): string {
  const fields = [...new Set(errors.map((e) => e.path || "(body)"))];
  return `Invalid ${fields.length === 1 ? "field" : "fields"}: ${fields.join(", ")}`;
}

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: ErrorCode;
  requestId: string;
  errors?: FieldError[];
}

export function toProblem(error: ApiError, requestId: string): Problem {
  return {
    type: `https://edgemem.dev/problems/${error.code}`,
    title: ERROR_TABLE[error.code].title,
    status: error.status,
    detail: error.detail,
    code: error.code,
    requestId,
    ...(error.errors ? { errors: error.errors } : {}),
  };
}

export function problemResponse(error: ApiError, requestId: string): Response {
  const headers = new Headers(error.headers);
  headers.set("content-type", "application/problem+json");
  return new Response(JSON.stringify(toProblem(error, requestId)), {
    status: error.status,
    headers,
  });
}

export const ProblemSchema = z
  .object({
    type: z.string().openapi({ example: "https://edgemem.dev/problems/invalid_request" }),
    title: z.string().openapi({ example: "Invalid Request" }),
    status: z.number().int().openapi({ example: 400 }),
    detail: z.string().openapi({ example: "Invalid field: messages.0.content" }),
    code: z.enum(Object.keys(ERROR_TABLE) as [ErrorCode, ...ErrorCode[]]),
    requestId: z.string().openapi({ example: "01JD6W8Y0N4ZB5Q2X3K7M9P1RT" }),
    errors: z
      .array(z.object({ path: z.string(), message: z.string() }))
      .optional()
      .openapi({ description: "Every invalid field, with a dotted path." }),
  })
  .openapi("Problem", { description: "RFC 9457 problem details." });

/** OpenAPI response entries for the given codes, generated from ERROR_TABLE. */
export function errorResponses(...codes: ErrorCode[]) {
  const responses: Record<
    string,
    { description: string; content: Record<string, { schema: typeof ProblemSchema }> }
  > = {};
  for (const code of codes) {
    const { status, title } = ERROR_TABLE[code];
    const existing = responses[status];
    responses[status] = {
      description: existing ? `${existing.description}; ${code}` : `${title} (${code})`,
      content: { "application/problem+json": { schema: ProblemSchema } },
    };
  }
  if (codes.includes("invalid_request")) {
    responses[415] = {
      description: "Unsupported Media Type (invalid_request): the body is not application/json",
      content: { "application/problem+json": { schema: ProblemSchema } },
    };
  }
  return responses;
}

/** The failures every authenticated /v1 route can give. */
export const COMMON_ERRORS: ErrorCode[] = [
  "invalid_request",
  "unauthorized",
  "forbidden",
  "payload_too_large",
  "rate_limited",
  "internal",
];
