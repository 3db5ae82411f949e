/** Expected failures of domain and Durable Object code, as values (thrown only at the HTTP edge). */
export type Failure = {
  code: "not_found" | "conflict" | "invalid_request" | "precondition_failed" | "unavailable";
  detail: string;
  /** The request field at fault, for `errors[].path`. */
  path?: string;
};

export type Result<T> =
  | { ok: true; value: T; error?: undefined }
  | { ok: false; error: Failure; value?: undefined };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const fail = (code: Failure["code"], detail: string, path?: string): Result<never> => ({
  ok: false,
  error: { code, detail, ...(path ? { path } : {}) },
});
