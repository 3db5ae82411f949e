import { extractiveSummarizer } from "./extractive";
import { fitSummary, progressiveSummaryPrompt } from "./progressive";
import type { ChatMessage, Summarizer, SummaryRequest } from "./summarizer";

/**
 * The part of the Workers AI binding (`env.AI`) a summarizer needs, typed structurally so
 * this module imports nothing from Cloudflare and tests can pass a plain object.
 */
export interface TextGenerationRunner {
  run(
    model: string,
    input: { messages: ChatMessage[]; max_tokens?: number; temperature?: number },
  ): Promise<unknown>;
}

export interface WorkersAISummarizerOptions {
  ai: TextGenerationRunner;
  /** Default: a small instruction-tuned model that Workers AI serves. */
  model?: string;
  /** Default 20 s. The binding takes no AbortSignal, so the wait is abandoned, not the run. */
  timeoutMs?: number;
  /** Further attempts after the first failure. Default 1. */
  retries?: number;
  fallback?: Summarizer;
  onFallback?: (reason: string) => void;
}

export const DEFAULT_WORKERS_AI_MODEL = "@cf/meta/llama-3.1-8b-instruct";

/** A summarizer backed by Workers AI. Never rejects: on failure it falls back. */
export function workersAISummarizer(options: WorkersAISummarizerOptions): Summarizer {
  const fallback = options.fallback ?? extractiveSummarizer();
  const model = options.model ?? DEFAULT_WORKERS_AI_MODEL;
  const timeoutMs = options.timeoutMs ?? 20_000;
  return {
    name: "workers-ai",
    async summarize(request: SummaryRequest): Promise<string> {
      const input = {
        messages: progressiveSummaryPrompt(request),
        max_tokens: Math.max(16, request.maxTokens),
        temperature: 0,
      };
      let reason = "no attempt";
      for (let attempt = 0; attempt <= (options.retries ?? 1); attempt++) {
        try {
          const output = await withTimeout(options.ai.run(model, input), timeoutMs);
          const summary = fitSummary(generatedText(output) ?? "", request);
          if (summary !== null) return summary;
          reason = "empty answer";
        } catch (error) {
          reason = error instanceof Error ? error.message : String(error);
        }
      }
      options.onFallback?.(reason);
      return fallback.summarize(request);
    },
  };
}

/** Workers AI text models answer `{ response }`; OpenAI-compatible ones `{ choices }`. */
export function generatedText(output: unknown): string | null {
  if (typeof output === "string") return output;
  const o = output as { response?: unknown; choices?: { message?: { content?: unknown } }[] };
  if (typeof o?.response === "string") return o.response;
  const content = o?.choices?.[0]?.message?.content;
  return typeof content === "string" ? content : null;
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timeout after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => {
    if (timer !== undefined) clearTimeout(timer);
  });
}
