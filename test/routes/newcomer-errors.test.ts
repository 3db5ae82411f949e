import { describe, expect, it } from "vitest";
import { call, freshId } from "../helpers/http";
import { expectProblem } from "../helpers/problems";

describe("what a newcomer runs into", () => {
  it("GET / points to the reference, the OpenAPI document, the inspector and the health check, without a key", async () => {
    const res = await call("GET", "/", { key: null });
    expect(res.status, res.text).toBe(200);
    expect(res.json).toMatchObject({
      docs: "/docs",
      openapi: "/openapi.json",
      inspector: "/inspector",
      health: "/healthz",
    });
  });

  it.each([
    ["DELETE", "/v1/conversations/c1/messages", "GET, HEAD, POST"],
    ["PATCH", "/v1/conversations/c1", "DELETE, GET, HEAD, PUT"],
    ["GET", "/v1/memories/search", "POST"],
    ["GET", "/v1/conversations/c1/rewind", "POST"],
    ["POST", "/healthz", "GET, HEAD"],
  ])("%s %s is 405 with Allow: %s", async (method, path, allow) => {
    const res = await call(method, path, method === "GET" ? {} : { body: {} });
    expectProblem(res, 405, "invalid_request");
    expect(res.headers.get("allow")).toBe(allow);
    expect(res.json.detail).toContain(allow);
  });

  it("still answers 401 before 405 without a key, and 404 on unknown paths", async () => {
    expectProblem(
      await call("DELETE", "/v1/conversations/c1/messages", { key: null }),
      401,
      "unauthorized",
    );
    expectProblem(await call("GET", "/v1/nowhere"), 404, "not_found");
    expectProblem(await call("GET", `/v1/memories/${freshId("mem")}`), 404, "not_found");
  });

  it("415 says to send content-type: application/json", async () => {
    for (const headers of [{ "content-type": "text/plain" }, { "content-type": "" }]) {
      const res = await call("POST", `/v1/conversations/${freshId()}/messages`, {
        body: JSON.stringify({ messages: [{ role: "user", content: "hi" }] }),
        headers,
      });
      expectProblem(res, 415, "invalid_request");
      expect(res.json.detail).toContain("content-type: application/json");
    }
  });

  it.each([
    ["/context?maxTokens=lots", "maxTokens"],
    ["/context?recall=1.5", "recall"],
    ["/messages?limit=abc", "limit"],
  ])("integer query fields say 'expected an integer' (%s)", async (query, field) => {
    const id = freshId();
    await call("POST", `/v1/conversations/${id}/messages`, {
      body: { messages: [{ role: "user", content: "x" }] },
    });
    const res = await call("GET", `/v1/conversations/${id}${query}`);
    expectProblem(res, 400, "invalid_request", [field]);
    expect(res.json.errors[0].message).toBe("expected an integer");
  });
});
