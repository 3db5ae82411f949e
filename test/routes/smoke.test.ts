import { describe, expect, it } from "vitest";
import { call, freshId } from "../helpers/http";

describe("smoke", () => {
  it("serves health", async () => {
    const res = await call("GET", "/healthz", { key: null });
    expect(res.status).toBe(200);
    expect(res.json.ok).toBe(true);
  });
  it("appends and reads", async () => {
    const id = freshId();
    const res = await call("POST", `/v1/conversations/${id}/messages`, {
      body: { messages: [{ role: "user", content: "hello there" }] },
    });
    expect(res.status, res.text).toBe(201);
    const list = await call("GET", `/v1/conversations/${id}/messages`);
    expect(list.status, list.text).toBe(200);
    expect(list.json.messages[0].content).toBe("hello there");
  });
});
