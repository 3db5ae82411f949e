import { describe, expect, it } from "vitest";
import { call, freshId } from "../helpers/http";

const MH = "/compat/motorhead";
const ZEP = "/api/v1/sessions";

describe("one conversation, three APIs", () => {
  it("written through Motorhead, read through /v1 and Zep", async () => {
    const id = freshId("cross");
    await call("POST", `${MH}/sessions/${id}/memory`, {
      body: {
        messages: [
          { role: "Human", content: "I'm Ana" },
          { role: "AI", content: "Hi Ana" },
        ],
        context: "Ana is planning a trip.",
      },
    });
    const v1 = await call("GET", `/v1/conversations/${id}/messages`);
    expect(v1.json.messages.map((m: any) => [m.seq, m.role, m.content])).toEqual([
      [1, "user", "I'm Ana"],
      [2, "assistant", "Hi Ana"],
    ]);
    expect((await call("GET", `/v1/conversations/${id}`)).json.summary.text).toBe(
      "Ana is planning a trip.",
    );
    const zep = await call("GET", `${ZEP}/${id}/memory`);
    expect(zep.json.messages.map((m: any) => [m.role, m.content])).toEqual([
      ["Human", "I'm Ana"],
      ["AI", "Hi Ana"],
    ]);
    expect(zep.json.messages[0].uuid).toBe(v1.json.messages[0].id);
    expect(zep.json.summary.content).toBe("Ana is planning a trip.");
    const context = await call("GET", `/v1/conversations/${id}/context`);
    expect(context.status).toBe(200);
    expect(JSON.stringify(context.json.messages)).toContain("Hi Ana");
  });

  it("written through /v1, read through Motorhead and Zep", async () => {
    const id = freshId("cross");
    await call("POST", `/v1/conversations/${id}/messages`, {
      body: {
        messages: [
          { role: "system", content: "You are terse.", pinned: true },
          { role: "user", content: "hello" },
          { role: "assistant", content: "hi" },
        ],
      },
    });
    const mh = await call("GET", `${MH}/sessions/${id}/memory`);
    expect(mh.json.messages).toEqual([
      { role: "AI", content: "hi" },
      { role: "Human", content: "hello" },
      { role: "system", content: "You are terse." },
    ]);
    const zep = await call("GET", `${ZEP}/${id}/memory`);
    expect(zep.json.messages.map((m: any) => m.role)).toEqual(["system", "Human", "AI"]);
  });

  it("written through Zep, read through Motorhead; deleted through Motorhead, gone for Zep", async () => {
    const id = freshId("cross");
    await call("POST", `${ZEP}/${id}/memory`, {
      body: { messages: [{ role: "Human", content: "zep wrote this" }], metadata: {} },
    });
    expect((await call("GET", `${MH}/sessions/${id}/memory`)).json.messages).toEqual([
      { role: "Human", content: "zep wrote this" },
    ]);
    await call("DELETE", `${MH}/sessions/${id}/memory`);
    expect((await call("GET", `${ZEP}/${id}/memory`)).status).toBe(404);
  });
});
