import { describe, expect, it } from "vitest";
import { call, freshId } from "../../helpers/http";

// The object keeps its tokenizer and whether it is being erased between requests
// (`ConversationFacts` in settings.ts); these go through the object's own writes that change them.
const path = (id: string) => `/v1/conversations/${id}`;
const text = "hello world ".repeat(10);
const approxTokens = Math.ceil(new TextEncoder().encode(text).byteLength / 4);

async function appendTokens(id: string): Promise<number> {
  const res = await call("POST", `${path(id)}/messages`, {
    body: { messages: [{ role: "user", content: text }] },
  });
  expect(res.status).toBe(201);
  return res.json.messages[0].tokens;
}

describe("what the conversation object remembers between requests", () => {
  it("counts with a tokenizer set by PUT after the object had counted with another", async () => {
    const id = freshId();
    const o200k = await appendTokens(id);
    expect(o200k).not.toBe(approxTokens);
    expect((await call("POST", `${path(id)}/rewind`, { body: { afterSeq: 0 } })).status).toBe(200);
    const put = await call("PUT", path(id), { body: { tokenizer: "approx" } });
    expect(put.status).toBe(200);
    expect(await appendTokens(id)).toBe(approxTokens);
  });

  it("keeps counting with its tokenizer when a PUT to change it is refused", async () => {
    const id = freshId();
    const o200k = await appendTokens(id);
    const refused = await call("PUT", path(id), { body: { tokenizer: "approx" } });
    expect(refused.status).toBe(409);
    expect(await appendTokens(id)).toBe(o200k);
  });

  it("starts afresh after a delete: the new conversation has the default tokenizer again", async () => {
    const id = freshId();
    await call("PUT", path(id), { body: { tokenizer: "approx" } });
    expect(await appendTokens(id)).toBe(approxTokens);
    expect((await call("DELETE", path(id))).status).toBe(200);
    expect((await call("GET", path(id))).status).toBe(404);
    const recreated = await appendTokens(id);
    expect(recreated).not.toBe(approxTokens);
    expect((await call("GET", path(id))).json.tokenizer).toBe("o200k_base");
  });
});
