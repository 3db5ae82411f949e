import { expect } from "vitest";

/** Asserts an RFC 9457 problem of API.md's shape, and that it names the given fields. */
export function expectProblem(
  res: { status: number; headers: Headers; json: any; text: string },
  status: number,
  code: string,
  fields: string[] = [],
) {
  expect(res.status, res.text).toBe(status);
  expect(res.headers.get("content-type")).toContain("application/problem+json");
  expect(res.json).toMatchObject({
    status,
    code,
    type: expect.any(String),
    title: expect.any(String),
  });
  expect(res.json.requestId).toBe(res.headers.get("x-request-id"));
  expect(typeof res.json.detail).toBe("string");
  expect(res.text).not.toMatch(/\bat .*\.(ts|js):\d+/);
  const paths = (res.json.errors ?? []).map((e: { path: string }) => e.path);
  for (const field of fields) expect(paths, res.text).toContain(field);
}
