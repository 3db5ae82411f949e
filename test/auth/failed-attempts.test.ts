import { describe, expect, it } from "vitest";
import { FailedAttempts } from "../../src/auth/failed-attempts";

describe("FailedAttempts", () => {
  it("refuses a client after its budget of failures, until its window ends", () => {
    let now = 1_000_000;
    const attempts = new FailedAttempts({ maxFailures: 3, windowMs: 60_000, now: () => now });
    for (let i = 0; i < 3; i++) {
      expect(attempts.retryAfterSeconds("a")).toBe(0);
      attempts.recordFailure("a");
    }
    expect(attempts.retryAfterSeconds("a")).toBe(60);
    expect(attempts.retryAfterSeconds("b")).toBe(0);
    now += 45_500;
    expect(attempts.retryAfterSeconds("a")).toBe(15);
    now += 14_500;
    expect(attempts.retryAfterSeconds("a")).toBe(0);
    attempts.recordFailure("a");
    expect(attempts.retryAfterSeconds("a")).toBe(0);
  });

  it("keeps at most maxClients counts, forgetting the oldest", () => {
    const attempts = new FailedAttempts({ maxFailures: 1, maxClients: 100 });
    for (let i = 0; i < 1_000; i++) attempts.recordFailure(`client-${i}`);
    expect(attempts.size).toBe(100);
    expect(attempts.retryAfterSeconds("client-999")).toBeGreaterThan(0);
    expect(attempts.retryAfterSeconds("client-0")).toBe(0);
  });
});
