import { afterEach, beforeEach } from "vitest";
import { installKvLimits, kvLimitReport, resetKvLimitReport } from "./production-limits";

// Every workerd test runs under production's KV limits (see production-limits.ts). A
// limit broken anywhere fails the test, even where the code caught the error it threw.
installKvLimits();
beforeEach(() => resetKvLimitReport());
afterEach(() => {
  const { violations } = kvLimitReport();
  if (violations.length > 0) {
    throw new Error(`production KV limits broken:\n${[...new Set(violations)].join("\n")}`);
  }
});
