import { describe, expect, it } from "vitest";
import { conversationObject } from "../../helpers/conversation-object";
import { call, freshId } from "../../helpers/http";

describe("append with settings (used by the compatibility APIs)", () => {
  it("applies the settings and the messages in one transaction", async () => {
    const id = freshId("atomic");
    const stub = conversationObject(id);
    const ref = { tenant: "alpha", conversationId: id };
    const first = await stub.append({
      ...ref,
      messages: [{ role: "user", content: "hello" }],
      settings: { userId: "owner-a", summary: { text: "Earlier: they met in Porto." } },
    });
    expect(first.ok).toBe(true);
    const conv = (await call("GET", `/v1/conversations/${id}`)).json;
    expect(conv).toMatchObject({
      userId: "owner-a",
      summary: { text: "Earlier: they met in Porto." },
    });
    expect(conv.stats.summaryTokens).toBeGreaterThan(0);

    // A conflicting setting refuses the whole request: no message is appended.
    const refused = await stub.append({
      ...ref,
      messages: [{ role: "user", content: "must not be stored" }],
      settings: { userId: "owner-b" },
    });
    expect(refused).toMatchObject({ ok: false, error: { code: "conflict", path: "userId" } });
    const messages = (await call("GET", `/v1/conversations/${id}/messages`)).json.messages;
    expect(messages.map((m: any) => m.content)).toEqual(["hello"]);
  });
});
