import { EdgememError, retryAfterSeconds } from "./errors.js";

export interface EdgememClientOptions {
  /** Where the Worker is, e.g. `http://localhost:8787` or `https://edgemem.example.workers.dev`. */
  baseUrl: string;
  /** A tenant key (or the root key, for the `admin*` methods). */
  apiKey: string;
  /** The fetch to use; default the global one. */
  fetch?: typeof fetch;
  /** Retries after a network error, a 429 or a 5xx (default 3; 0 turns retrying off). */
  maxRetries?: number;
  /** First backoff in ms (default 200), doubled per retry with full jitter. */
  retryBaseMs?: number;
  /** Longest wait between attempts in ms, `retry-after` included (default 10,000). */
  retryMaxMs?: number;
  /** Per-attempt timeout in ms (default 30,000). */
  timeoutMs?: number;
  /** Sent with every request (tracing headers, say). */
  headers?: Record<string, string>;
}

export interface RequestOptions {
  query?: Record<string, string | number | undefined>;
  body?: unknown;
  headers?: Record<string, string>;
}

const RETRYABLE_STATUS = (status: number) => status === 429 || status >= 500;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** HTTP for the client: auth, JSON, timeouts, and retries with backoff. */
export class Transport {
  private readonly baseUrl: string;
  private readonly apiKey: string;
  private readonly fetchImpl: typeof fetch;
  private readonly maxRetries: number;
  private readonly retryBaseMs: number;
  private readonly retryMaxMs: number;
  private readonly timeoutMs: number;
  private readonly headers: Record<string, string>;

  constructor(options: EdgememClientOptions) {
    if (!options.baseUrl) throw new TypeError("baseUrl is required");
    if (!options.apiKey) throw new TypeError("apiKey is required");
    this.baseUrl = options.baseUrl.replace(/\/+$/, "");
    this.apiKey = options.apiKey;
    this.fetchImpl = options.fetch ?? ((input, init) => fetch(input, init));
    this.maxRetries = options.maxRetries ?? 3;
    this.retryBaseMs = options.retryBaseMs ?? 200;
    this.retryMaxMs = options.retryMaxMs ?? 10_000;
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.headers = options.headers ?? {};
  }

  async json<T>(
    method: string,
    path: string,
    options: RequestOptions = {},
    onRetry?: () => void,
  ): Promise<T> {
    const response = await this.request(method, path, options, onRetry);
    return (await response.json()) as T;
  }

  /** One call, retried on network errors, 429 and 5xx; any other error answer throws EdgememError. */
  async request(
    method: string,
    path: string,
    options: RequestOptions = {},
    onRetry?: () => void,
  ): Promise<Response> {
    const url = new URL(`${this.baseUrl}${path}`);
    for (const [name, value] of Object.entries(options.query ?? {})) {
      if (value !== undefined) url.searchParams.set(name, String(value));
    }
    const headers: Record<string, string> = {
      ...this.headers,
      ...options.headers,
      authorization: `Bearer ${this.apiKey}`,
      accept: "application/json",
    };
    let body: string | undefined;
    if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers["content-type"] = "application/json";
    }
    for (let attempt = 0; ; attempt++) {
      if (attempt > 0) onRetry?.();
      let response: Response;
      try {
        response = await this.fetchImpl(url, {
          method,
          headers,
          body,
          signal: AbortSignal.timeout(this.timeoutMs),
        });
      } catch (error) {
        if (attempt >= this.maxRetries) throw error;
        await sleep(this.backoff(attempt));
        continue;
      }
      if (response.ok) return response;
      if (RETRYABLE_STATUS(response.status) && attempt < this.maxRetries) {
        const retryAfter = retryAfterSeconds(response.headers.get("retry-after"));
        await response.body?.cancel().catch(() => {});
        await sleep(
          retryAfter === undefined
            ? this.backoff(attempt)
            : Math.min(retryAfter * 1000, this.retryMaxMs),
        );
        continue;
      }
      throw await EdgememError.from(response);
    }
  }

  private backoff(attempt: number): number {
    const ceiling = Math.min(this.retryMaxMs, this.retryBaseMs * 2 ** attempt);
    return Math.random() * ceiling;
  }
}
