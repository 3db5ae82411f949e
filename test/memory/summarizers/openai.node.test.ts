import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { summarizeExtractively } from "../../../src/memory/summarizers/extractive";
import { openAISummarizer } from "../../../src/memory/summarizers/openai";
import type { SummaryRequest } from "../../../src/memory/summarizers/summarizer";
import { answer, type Behaviour, hang, startFakeOpenAI, status } from "../../helpers/fake-openai";

let fake: Awaited<ReturnType<typeof startFakeOpenAI>>;
let baseUrl = "";
beforeAll(async () => {
  fake = await startFakeOpenAI();
  baseUrl = fake.baseUrl;
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());
const received = () => fake.state.received;
const serve = (...behaviours: Behaviour[]) => {
  fake.state.behaviours = behaviours;
};

const words = (text: string) => text.split(/\s+/).filter(Boolean).length;
const request: SummaryRequest = {
  previousSummary: "user: My name is Ana and I live in Porto.",
  leaving: [
    { role: "user", content: "I adopted a cat named Miso in 2025." },
    { role: "assistant", content: "Congratulations on adopting Miso!", name: "Bot" },
  ],
  maxTokens: 40,
  count: words,
};
const extractive = summarizeExtractively(request);

function summarizer(options: Partial<Parameters<typeof openAISummarizer>[0]> = {}) {
  const fallbacks: string[] = [];
  const instance = openAISummarizer({
    baseUrl,
    apiKey: "sk-test",
    model: "tiny-summarizer",
    timeoutMs: 2000,
    retries: 2,
    backoffMs: 10,
    onFallback: (reason) => fallbacks.push(reason),
    ...options,
  });
  return { instance, fallbacks };
}

describe("openai summarizer", () => {
  it("shows the model what people said, not tool outputs or calls without words", async () => {
    serve(answer("Ana flies to Lisbon on May 3."));
    const table = JSON.stringify({
      forecast: [
        { day: 1, celsius: 21 },
        { day: 2, celsius: 23 },
      ],
    });
    await summarizer().instance.summarize({
      ...request,
      leaving: [
        { role: "user", content: "We fly to Lisbon on May 3." },
        { role: "assistant", content: "" },
        { role: "tool", content: table },
        {
          role: "user",
          content: table,
          sentContent: [{ type: "tool_result", tool_use_id: "t1", content: table }],
        },
        { role: "assistant", content: "Lisbon will be sunny." },
      ],
    });
    const prompt = JSON.stringify(received()[0]?.body);
    expect(prompt).toContain("user: We fly to Lisbon on May 3.");
    expect(prompt).toContain("assistant: Lisbon will be sunny.");
    expect(prompt).not.toContain("celsius");
    expect(prompt).not.toMatch(/assistant: \\n/);
  });

  it("sends a progressive-summary chat completion and returns the answer", async () => {
    serve(answer("Ana lives in Porto and adopted a cat, Miso, in 2025."));
    const { instance, fallbacks } = summarizer();
    expect(instance.name).toBe("openai");
    const summary = await instance.summarize(request);
    expect(summary).toBe("Ana lives in Porto and adopted a cat, Miso, in 2025.");
    expect(fallbacks).toEqual([]);
    expect(received()).toHaveLength(1);
    const [call] = received();
    expect(call?.method).toBe("POST");
    expect(call?.url).toBe("/v1/chat/completions");
    expect(call?.headers.authorization).toBe("Bearer sk-test");
    expect(call?.headers["content-type"]).toBe("application/json");
    expect(call?.body.model).toBe("tiny-summarizer");
    expect(call?.body.messages.map((m: { role: string }) => m.role)).toEqual(["system", "user"]);
    expect(call?.body.messages[0].content).toMatch(/summar/i);
    const prompt: string = call?.body.messages[1].content;
    expect(prompt).toContain("user: My name is Ana and I live in Porto.");
    expect(prompt).toContain("user: I adopted a cat named Miso in 2025.");
    expect(prompt).toContain("Bot (assistant): Congratulations on adopting Miso!");
    expect(prompt.indexOf("Porto")).toBeLessThan(prompt.indexOf("Miso"));
  });

  it("sends no authorization header without an API key and tolerates a trailing slash", async () => {
    serve(answer("Summary: Ana has a cat."));
    const { instance } = summarizer({ apiKey: undefined, baseUrl: `${baseUrl}/` });
    expect(await instance.summarize(request)).toBe("Ana has a cat.");
    expect(received()[0]?.url).toBe("/v1/chat/completions");
    expect(received()[0]?.headers.authorization).toBeUndefined();
  });

  it("cuts an answer over maxTokens down to its best sentences", async () => {
    const long = Array.from({ length: 20 }, (_, i) => `Fact number ${i} about Ana.`).join(" ");
    serve(answer(long));
    const summary = await summarizer().instance.summarize({ ...request, maxTokens: 12 });
    expect(words(summary)).toBeLessThanOrEqual(12);
    expect(summary).toContain("Fact number");
  });

  it("retries on 429 and returns the later answer", async () => {
    serve(status(429, { "retry-after": "0" }), answer("Ana has a cat named Miso."));
    const { instance, fallbacks } = summarizer();
    expect(await instance.summarize(request)).toBe("Ana has a cat named Miso.");
    expect(received()).toHaveLength(2);
    expect(fallbacks).toEqual([]);
  });

  it("falls back to extractive after repeated 500s", async () => {
    serve(status(500), status(502), status(503));
    const { instance, fallbacks } = summarizer();
    expect(await instance.summarize(request)).toBe(extractive);
    expect(received()).toHaveLength(3);
    expect(fallbacks).toEqual(["HTTP 503"]);
  });

  it("does not retry a 400 and falls back at once", async () => {
    serve(status(400), answer("never asked for"));
    const { instance, fallbacks } = summarizer();
    expect(await instance.summarize(request)).toBe(extractive);
    expect(received()).toHaveLength(1);
    expect(fallbacks).toEqual(["HTTP 400"]);
  });

  it("falls back on a malformed or empty answer", async () => {
    serve(answer("   "));
    expect(await summarizer().instance.summarize(request)).toBe(extractive);
    serve((res) => res.end("{ not json"));
    expect(await summarizer({ retries: 0 }).instance.summarize(request)).toBe(extractive);
  });

  it("falls back when the server hangs, within the timeout", async () => {
    serve(hang, hang);
    const { instance, fallbacks } = summarizer({ timeoutMs: 150, retries: 1 });
    const started = Date.now();
    expect(await instance.summarize(request)).toBe(extractive);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(received()).toHaveLength(2);
    expect(fallbacks[0]).toMatch(/^timeout/);
  });

  it("falls back when nothing listens at the URL", async () => {
    const { instance, fallbacks } = summarizer({ baseUrl: "http://127.0.0.1:1/v1", retries: 1 });
    expect(await instance.summarize(request)).toBe(extractive);
    expect(fallbacks[0]).toMatch(/^network/);
  });
});
