import { describe, expect, it } from "vitest";
import { summarizeExtractively } from "../../../src/memory/summarizers/extractive";
import type { SummaryRequest } from "../../../src/memory/summarizers/summarizer";
import {
  DEFAULT_WORKERS_AI_MODEL,
  generatedText,
  type TextGenerationRunner,
  workersAISummarizer,
} from "../../../src/memory/summarizers/workers-ai";

const words = (text: string) => text.split(/\s+/).filter(Boolean).length;
const request: SummaryRequest = {
  previousSummary: null,
  leaving: [{ role: "user", content: "My sister Marta moved to Porto in 2024." }],
  maxTokens: 30,
  count: words,
};

/** A stand-in for the `AI` binding: only its `run(model, input)` shape matters. */
function runner(...outcomes: (unknown | Error | "hang")[]) {
  const calls: { model: string; input: any }[] = [];
  const ai: TextGenerationRunner = {
    run(model, input) {
      calls.push({ model, input });
      const outcome = outcomes.shift();
      if (outcome === "hang") return new Promise(() => {});
      if (outcome instanceof Error) return Promise.reject(outcome);
      return Promise.resolve(outcome);
    },
  };
  return { ai, calls };
}

describe("workers-ai summarizer", () => {
  it("runs the model with the progressive prompt and returns its response", async () => {
    const { ai, calls } = runner({ response: "Marta, the user's sister, lives in Porto." });
    const summary = await workersAISummarizer({ ai }).summarize(request);
    expect(summary).toBe("Marta, the user's sister, lives in Porto.");
    expect(calls[0]?.model).toBe(DEFAULT_WORKERS_AI_MODEL);
    expect(calls[0]?.input.messages[1].content).toContain("user: My sister Marta moved");
  });

  it("retries once, then falls back to extractive", async () => {
    const reasons: string[] = [];
    const { ai, calls } = runner(new Error("3040: capacity"), new Error("3040: capacity"));
    const summarizer = workersAISummarizer({ ai, onFallback: (r) => reasons.push(r) });
    expect(await summarizer.summarize(request)).toBe(summarizeExtractively(request));
    expect(calls).toHaveLength(2);
    expect(reasons).toEqual(["3040: capacity"]);
  });

  it("falls back when the model hangs past the timeout or answers nothing", async () => {
    const hanging = runner("hang");
    const summarizer = workersAISummarizer({ ai: hanging.ai, timeoutMs: 50, retries: 0 });
    expect(await summarizer.summarize(request)).toBe(summarizeExtractively(request));
    const empty = runner({ response: "" }, { unexpected: true });
    expect(await workersAISummarizer({ ai: empty.ai }).summarize(request)).toBe(
      summarizeExtractively(request),
    );
  });

  it("reads both Workers AI and OpenAI-style outputs", () => {
    expect(generatedText({ response: "a" })).toBe("a");
    expect(generatedText({ choices: [{ message: { content: "b" } }] })).toBe("b");
    expect(generatedText("c")).toBe("c");
    expect(generatedText(null)).toBeNull();
  });
});
