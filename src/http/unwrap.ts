import type { Failure } from "../memory/result";
import { ApiError } from "./errors";

/** Turns a domain failure into the HTTP error it means; the value otherwise. */
export function unwrap<T>(result: { value?: T; error?: Failure }): Exclude<T, undefined> {
  if (!result.error) return result.value as Exclude<T, undefined>;
  const { code, detail, path } = result.error;
  return throwFailure(code, detail, path);
}

function throwFailure(code: ApiError["code"], detail: string, path?: string): never {
  throw new ApiError(code, detail, path ? { errors: [{ path, message: detail }] } : {});
}
