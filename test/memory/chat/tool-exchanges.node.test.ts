import OpenAI from "openai";
import type { ChatCompletionMessageParam } from "openai/resources/chat/completions";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { toolExchangeUnits } from "../../../src/memory/chat/tool-exchanges";
import { answer, startFakeOpenAI, strictChat } from "../../helpers/fake-openai.ts";

let server: Awaited<ReturnType<typeof startFakeOpenAI>>;
let openai: OpenAI;

beforeAll(async () => {
  server = await startFakeOpenAI({ otherwise: strictChat(answer("ok")) });
  openai = new OpenAI({ apiKey: "test", baseURL: server.baseUrl, maxRetries: 0 });
});
afterAll(() => server.close());

const weather = {
  id: "call_1",
  type: "function" as const,
  function: { name: "get_weather", arguments: '{"city":"Lisbon"}' },
};

/** A conversation's turns as an app stores them, with the tool exchange's answer lost on one call. */
const history: ChatCompletionMessageParam[] = [
  { role: "system", content: "You are terse." },
  { role: "user", content: [{ type: "text", text: "Weather in Lisbon?" }] },
  { role: "assistant", content: null, tool_calls: [weather] },
  { role: "tool", content: '{"celsius":21}', tool_call_id: "call_1" },
  { role: "assistant", content: "21 °C." },
  { role: "tool", content: "an answer whose call is gone", tool_call_id: "call_0" },
  { role: "user", content: "And in Porto?" },
  { role: "assistant", content: null, tool_calls: [{ ...weather, id: "call_2" }] },
];

describe("a strict chat-completions stand-in, through the openai SDK", () => {
  it("accepts the turns toolExchangeUnits keeps", async () => {
    const kept = [...toolExchangeUnits([...history].reverse())].reverse().flat();
    expect(kept.map((m) => m.role)).toEqual([
      "system",
      "user",
      "assistant",
      "tool",
      "assistant",
      "user",
    ]);
    const completion = await openai.chat.completions.create({ model: "fake", messages: kept });
    expect(completion.choices[0]?.message.content).toBe("ok");
    expect(server.state.received.at(-1)?.body.messages).toEqual(kept);
  });

  it("rejects the raw history with OpenAI's 400, naming the broken rules", async () => {
    const error = await openai.chat.completions
      .create({ model: "fake", messages: history })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    const message = (error as InstanceType<typeof OpenAI.BadRequestError>).message;
    expect(message).toContain("preceeding message with 'tool_calls'");
    expect(message).toContain("did not have response messages: call_2");
  });
});
