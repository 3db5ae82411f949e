import { describe, expect, it } from "vitest";
import { encodeCursor } from "../../src/memory/cursor";
import { call, freshId } from "../helpers/http";
import { expectProblem } from "../helpers/problems";

const YEAR = 31_536_000;

describe("numbers have upper bounds: 400 naming the field, never a 5xx", () => {
  it("memory ttlSeconds beyond a year is 400 on create and patch (1e13 was a RangeError, a 500)", async () => {
    for (const ttlSeconds of [1e13, YEAR + 1]) {
      const res = await call("POST", "/v1/memories", {
        body: { userId: freshId("u"), text: "x", ttlSeconds },
      });
      expectProblem(res, 400, "invalid_request", ["ttlSeconds"]);
    }
    const ok = await call("POST", "/v1/memories", {
      body: { userId: freshId("u"), text: "a year", ttlSeconds: YEAR },
    });
    expect(ok.status, ok.text).toBe(201);
    const patched = await call("PATCH", `/v1/memories/${ok.json.id}`, {
      body: { ttlSeconds: 1e13 },
    });
    expectProblem(patched, 400, "invalid_request", ["ttlSeconds"]);
  });

  it("conversation ttlSeconds beyond a year is 400, and nothing is stored", async () => {
    const id = freshId("ttl");
    for (const ttlSeconds of [1e13, YEAR + 1]) {
      expectProblem(
        await call("PUT", `/v1/conversations/${id}`, { body: { ttlSeconds } }),
        400,
        "invalid_request",
        ["ttlSeconds"],
      );
    }
    expect((await call("GET", `/v1/conversations/${id}`)).status).toBe(404);
    expect(
      (await call("PUT", `/v1/conversations/${id}`, { body: { ttlSeconds: YEAR } })).status,
    ).toBe(201);
  });

  it("a message cursor with a seq the server never issues is 400 naming cursor, not an endless 503", async () => {
    const id = freshId("cursor");
    await call("POST", `/v1/conversations/${id}/messages`, {
      body: { messages: [{ role: "user", content: "one" }] },
    });
    for (const forged of [
      { s: -5, o: "asc" },
      { s: 0, o: "asc" },
      { s: -1, o: "desc" },
    ]) {
      const res = await call(
        "GET",
        `/v1/conversations/${id}/messages?cursor=${encodeCursor(forged)}`,
      );
      expectProblem(res, 400, "invalid_request", ["cursor"]);
    }
  });
});
