import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { openAIFactExtractor, parseFacts } from "../../../src/memory/summarizers/openai-facts";
import type { LeavingMessage } from "../../../src/memory/summarizers/summarizer";
import { answer, hang, startFakeOpenAI, status } from "../../helpers/fake-openai";

let fake: Awaited<ReturnType<typeof startFakeOpenAI>>;
beforeAll(async () => {
  fake = await startFakeOpenAI();
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());

const leaving: LeavingMessage[] = [
  { id: "m1", role: "user", content: "I'm vegetarian and my sister Marta lives in Porto." },
  { id: "m2", role: "assistant", content: "Noted, vegetarian options only." },
  { role: "user", content: "a message without an id cannot be a source" },
  { id: "m4", role: "user", content: "What's the capital of France?" },
  // Anthropic puts a tool's output in a user message: not the user's words.
  {
    id: "m5",
    role: "user",
    content: "The user's account is premium.",
    sentContent: [
      { type: "tool_result", tool_use_id: "t1", content: "The user's account is premium." } as {
        type: string;
      },
    ],
  },
];

const extractor = (options = {}) =>
  openAIFactExtractor({
    baseUrl: fake.baseUrl,
    apiKey: "sk-facts",
    model: "tiny-extractor",
    timeoutMs: 200,
    retries: 1,
    backoffMs: 5,
    ...options,
  });

describe("openai fact extractor", () => {
  it("offers only the user's messages with ids and keeps facts with known sources", async () => {
    fake.state.behaviours = [
      answer(
        '```json\n{"facts":[{"text":"The user is vegetarian.","sources":["m1"]},' +
          '{"text":"The user\'s sister Marta lives in Porto.","sources":["m1","m9"]},' +
          '{"text":"Invented.","sources":["m2"]},{"text":"No source."}]}\n```',
      ),
    ];
    const facts = await extractor().extract(leaving);
    expect(facts).toEqual([
      { text: "The user is vegetarian.", sourceIds: ["m1"] },
      { text: "The user's sister Marta lives in Porto.", sourceIds: ["m1"] },
    ]);
    const [call] = fake.state.received;
    expect(call?.headers.authorization).toBe("Bearer sk-facts");
    expect(call?.body.model).toBe("tiny-extractor");
    const prompt: string = call?.body.messages[1].content;
    expect(prompt).toContain("[m1] I'm vegetarian");
    expect(prompt).toContain("[m4] What's the capital");
    expect(prompt).not.toContain("Noted");
    expect(prompt).not.toContain("without an id");
    expect(prompt).not.toContain("premium");
  });

  it("asks nothing when no user message has an id", async () => {
    expect(await extractor().extract([{ role: "user", content: "hi" }])).toEqual([]);
    expect(fake.state.received).toHaveLength(0);
  });

  it("returns no facts on errors, hangs and garbage", async () => {
    fake.state.behaviours = [status(500), status(503)];
    expect(await extractor().extract(leaving)).toEqual([]);
    fake.state.behaviours = [hang, hang];
    expect(await extractor().extract(leaving)).toEqual([]);
    fake.state.behaviours = [answer("I could not find any facts, sorry.")];
    expect(await extractor().extract(leaving)).toEqual([]);
  });

  it("parses leniently, validates strictly", () => {
    const known = new Set(["a"]);
    expect(parseFacts('{"facts":[{"text":" x ","sources":["a","a"]}]}', known)).toEqual([
      { text: "x", sourceIds: ["a"] },
    ]);
    expect(
      parseFacts('{"facts":[{"text":"x","sources":["a"]},{"text":"X","sources":["a"]}]}', known),
    ).toHaveLength(1);
    expect(parseFacts('{"facts": "nope"}', known)).toEqual([]);
    expect(parseFacts("{broken", known)).toEqual([]);
    expect(parseFacts(`{"facts":[{"text":"${"y".repeat(600)}","sources":["a"]}]}`, known)).toEqual(
      [],
    );
  });
});
