/**
 * Failed authentications per client, counted in the isolate. Keys are 256-bit secrets,
 * so guessing one is hopeless; what this bounds is the cost of trying (a SHA-256 and,
 * for keys of the minted shape, a KV read each) and guessing at short static keys.
 * The counter lives in one isolate's memory, so the bound is per isolate and
 * approximate, like the rate limiter's; a flood from many addresses is the WAF's job.
 */
export interface FailedAttemptsOptions {
  /** Failures a client may have within `windowMs` before it is refused. */
  maxFailures?: number;
  /** How long a client's count lasts after its first failure. */
  windowMs?: number;
  /** Clients tracked at once; past it the oldest entry is forgotten (memory stays bounded). */
  maxClients?: number;
  now?: () => number;
}

interface Count {
  failures: number;
  /** When the count started (the client's first failure of the window). */
  since: number;
}

export const FAILED_AUTH_LIMIT = 20;
export const FAILED_AUTH_WINDOW_MS = 60_000;
const MAX_CLIENTS = 10_000;

export class FailedAttempts {
  private readonly counts = new Map<string, Count>();
  private readonly maxFailures: number;
  private readonly windowMs: number;
  private readonly maxClients: number;
  private readonly now: () => number;

  constructor(options: FailedAttemptsOptions = {}) {
    this.maxFailures = options.maxFailures ?? FAILED_AUTH_LIMIT;
    this.windowMs = options.windowMs ?? FAILED_AUTH_WINDOW_MS;
    this.maxClients = options.maxClients ?? MAX_CLIENTS;
    this.now = options.now ?? Date.now;
  }

  /** Seconds until `client` may try again, or 0 when it may try now. */
  retryAfterSeconds(client: string): number {
    const count = this.current(client);
    if (!count || count.failures < this.maxFailures) return 0;
    return Math.max(1, Math.ceil((count.since + this.windowMs - this.now()) / 1000));
  }

  recordFailure(client: string): void {
    const count = this.current(client);
    if (count) {
      count.failures++;
      return;
    }
    if (this.counts.size >= this.maxClients) {
      const oldest = this.counts.keys().next().value;
      if (oldest !== undefined) this.counts.delete(oldest);
    }
    this.counts.set(client, { failures: 1, since: this.now() });
  }

  /** How many clients are tracked (for tests of the bound). */
  get size(): number {
    return this.counts.size;
  }

  private current(client: string): Count | undefined {
    const count = this.counts.get(client);
    if (count && this.now() - count.since >= this.windowMs) {
      this.counts.delete(client);
      return undefined;
    }
    return count;
  }
}
