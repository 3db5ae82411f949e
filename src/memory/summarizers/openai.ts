import { extractiveSummarizer } from "./extractive";
import { fitSummary, progressiveSummaryPrompt, sleep } from "./progressive";
import type { ChatMessage, Summarizer, SummaryRequest } from "./summarizer";

export interface OpenAICompatibleOptions {
  /** e.g. `https://api.openai.com/v1`; `/chat/completions` is appended. */
  baseUrl: string;
  /** Sent as `Authorization: Bearer …` when given (local servers often need none). */
  apiKey?: string;
  model: string;
  /** Per attempt. Default 20 s. */
  timeoutMs?: number;
  /** Further attempts after the first, on 429, 5xx, network errors and timeouts. Default 2. */
  retries?: number;
  /** First pause between attempts, doubled each time. Default 500 ms. */
  backoffMs?: number;
  /** Longest pause honoured from a `retry-after` header. Default 10 s. */
  maxBackoffMs?: number;
  /** Where the summary comes from when the model fails. Default: extractive. */
  fallback?: Summarizer;
  /** Told why a call fell back (the caller logs it; never part of a response). */
  onFallback?: (reason: string) => void;
  fetch?: typeof fetch;
}

/** Why one attempt failed, and whether another attempt may succeed. */
export class ChatCompletionError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

/**
 * Calls an OpenAI-compatible `POST {baseUrl}/chat/completions` and returns the first
 * choice's text. Throws `ChatCompletionError`; retrying is the caller's business.
 */
export async function chatCompletion(
  options: OpenAICompatibleOptions,
  messages: ChatMessage[],
  extra: Record<string, unknown> = {},
): Promise<string> {
  const url = `${options.baseUrl.replace(/\/+$/, "")}/chat/completions`;
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (options.apiKey) headers.authorization = `Bearer ${options.apiKey}`;
  let response: Response;
  try {
    response = await (options.fetch ?? fetch)(url, {
      method: "POST",
      headers,
      body: JSON.stringify({ model: options.model, messages, ...extra }),
      signal: AbortSignal.timeout(options.timeoutMs ?? 20_000),
    });
  } catch (error) {
    const reason = error instanceof Error && error.name === "TimeoutError" ? "timeout" : "network";
    throw new ChatCompletionError(`${reason}: ${String(error)}`, true);
  }
  if (!response.ok) {
    await response.body?.cancel();
    const retryable = response.status === 429 || response.status >= 500;
    throw new ChatCompletionError(
      `HTTP ${response.status}`,
      retryable,
      retryAfterMs(response.headers.get("retry-after")),
    );
  }
  let body: unknown;
  try {
    body = await response.json();
  } catch (error) {
    // A body cut off by the timeout is as retryable as a timeout before the headers.
    throw new ChatCompletionError(`unreadable body: ${String(error)}`, true);
  }
  const content = (body as { choices?: { message?: { content?: unknown } }[] })?.choices?.[0]
    ?.message?.content;
  if (typeof content !== "string") throw new ChatCompletionError("no choices[0].message", false);
  return content;
}

/** Runs `attempt` up to 1 + retries times with exponential backoff on retryable failures. */
export async function withRetries<T>(
  attempt: () => Promise<T>,
  options: Pick<OpenAICompatibleOptions, "retries" | "backoffMs" | "maxBackoffMs">,
  pause: (ms: number) => Promise<void> = sleep,
): Promise<T> {
  const retries = options.retries ?? 2;
  const backoff = options.backoffMs ?? 500;
  const maxBackoff = options.maxBackoffMs ?? 10_000;
  for (let n = 0; ; n++) {
    try {
      return await attempt();
    } catch (error) {
      const retryable = !(error instanceof ChatCompletionError) || error.retryable;
      if (!retryable || n >= retries) throw error;
      const hinted = error instanceof ChatCompletionError ? error.retryAfterMs : undefined;
      await pause(Math.min(maxBackoff, hinted ?? backoff * 2 ** n));
    }
  }
}

/**
 * A summarizer backed by any OpenAI-compatible endpoint (OpenAI, Azure-style gateways,
 * vLLM, Ollama, llama.cpp server …). Never rejects: after the retries it falls back.
 */
export function openAISummarizer(options: OpenAICompatibleOptions): Summarizer {
  const fallback = options.fallback ?? extractiveSummarizer();
  return {
    name: "openai",
    async summarize(request: SummaryRequest): Promise<string> {
      try {
        const answer = await withRetries(
          () =>
            chatCompletion(options, progressiveSummaryPrompt(request), {
              temperature: 0,
              max_tokens: Math.max(16, request.maxTokens),
            }),
          options,
        );
        const summary = fitSummary(answer, request);
        if (summary !== null) return summary;
        options.onFallback?.("empty answer");
      } catch (error) {
        options.onFallback?.(error instanceof Error ? error.message : String(error));
      }
      return fallback.summarize(request);
    },
  };
}

function retryAfterMs(header: string | null): number | undefined {
  if (header === null) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}
