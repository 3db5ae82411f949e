import type { Env } from "../../env";
import type { SummaryStrategy } from "../../memory/conversation";
import { extractiveSummarizer } from "../../memory/summarizers/extractive";
import { openAISummarizer } from "../../memory/summarizers/openai";
import { openAIFactExtractor } from "../../memory/summarizers/openai-facts";
import type { FactExtractor, Summarizer } from "../../memory/summarizers/summarizer";
import {
  type TextGenerationRunner,
  workersAISummarizer,
} from "../../memory/summarizers/workers-ai";

const logFallback = (summarizer: string) => (reason: string) =>
  console.error(JSON.stringify({ event: "summarizer_fallback", summarizer, reason }));

/** The deployment's model summarizer, if one is configured (`SUMMARIZER`). */
function modelSummarizer(env: Env): Summarizer | null {
  if (env.SUMMARIZER === "openai" && env.SUMMARIZER_URL && env.SUMMARIZER_MODEL) {
    return openAISummarizer({
      baseUrl: env.SUMMARIZER_URL,
      apiKey: env.SUMMARIZER_API_KEY,
      model: env.SUMMARIZER_MODEL,
      onFallback: logFallback("openai"),
    });
  }
  if (env.SUMMARIZER === "workers-ai" && env.AI) {
    return workersAISummarizer({
      ai: env.AI as unknown as TextGenerationRunner,
      model: env.SUMMARIZER_MODEL,
      onFallback: logFallback("workers-ai"),
    });
  }
  return null;
}

/** The summarizer a conversation's strategy asks for; null when summaries are off. */
export function summarizerFor(env: Env, strategy: SummaryStrategy): Summarizer | null {
  if (strategy === "off") return null;
  if (strategy === "extractive") return extractiveSummarizer();
  return modelSummarizer(env) ?? extractiveSummarizer();
}

/**
 * The deployment's fact extractor (`FACT_EXTRACTOR=openai`, using the summarizer's
 * endpoint settings), or null: facts are only extracted when a model is configured.
 */
export function factExtractorFor(env: Env): FactExtractor | null {
  if (env.FACT_EXTRACTOR !== "openai" || !env.SUMMARIZER_URL || !env.SUMMARIZER_MODEL) return null;
  return openAIFactExtractor({
    baseUrl: env.SUMMARIZER_URL,
    apiKey: env.SUMMARIZER_API_KEY,
    model: env.SUMMARIZER_MODEL,
    onFallback: logFallback("facts"),
  });
}
