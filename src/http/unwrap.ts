import type { Failure } from "../memory/result";
import { ApiError } from "./errors";

/** A domain failure as the ApiError it means. */
export function failureError(failure: Failure): ApiError {
  const { code, detail, path } = failure;
  return new ApiError(code, detail, path ? { errors: [{ path, message: detail }] } : {});
}

/** Turns a domain failure into the HTTP error it means; the value otherwise. */
export function unwrap<T>(result: { value?: T; error?: Failure }): Exclude<T, undefined> {
  if (result.error) throw failureError(result.error);
  return result.value as Exclude<T, undefined>;
}
