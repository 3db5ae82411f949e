import { describe, expect, it } from "vitest";
import { ALPHA, BETA, call, freshId } from "../helpers/http";
import { expectProblem } from "../helpers/problems";

describe("tenant isolation", () => {
  it("tenant beta cannot read, list, append to or delete alpha's conversation of the same id", async () => {
    const id = freshId("shared-name");
    const owner = freshId("user");
    await call("PUT", `/v1/conversations/${id}`, { key: ALPHA, body: { userId: owner } });
    await call("POST", `/v1/conversations/${id}/messages`, {
      key: ALPHA,
      body: { messages: [{ role: "user", content: "alpha's secret" }] },
    });

    expectProblem(await call("GET", `/v1/conversations/${id}`, { key: BETA }), 404, "not_found");
    expectProblem(
      await call("GET", `/v1/conversations/${id}/messages`, { key: BETA }),
      404,
      "not_found",
    );
    expectProblem(await call("DELETE", `/v1/conversations/${id}`, { key: BETA }), 404, "not_found");
    const list = await call("GET", `/v1/conversations?userId=${owner}`, { key: BETA });
    expect(list.json.conversations).toEqual([]);

    // Beta's append with the same id creates beta's own conversation.
    const betaAppend = await call("POST", `/v1/conversations/${id}/messages`, {
      key: BETA,
      body: { messages: [{ role: "user", content: "beta's own" }] },
    });
    expect(betaAppend.json.messages[0].seq).toBe(1);

    const alpha = await call("GET", `/v1/conversations/${id}/messages`, { key: ALPHA });
    expect(alpha.json.messages.map((m: { content: string }) => m.content)).toEqual([
      "alpha's secret",
    ]);
    expect((await call("GET", `/v1/conversations/${id}`, { key: ALPHA })).json.userId).toBe(owner);
  });
});
