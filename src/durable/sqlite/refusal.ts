import type { Result } from "../../memory/result";

/** A refusal thrown out of a transaction to roll it back (`refusable`). */
export class Refused extends Error {
  constructor(readonly result: Result<never>) {
    super("refused");
  }
}

/**
 * `transactionSync`, where throwing `Refused` rolls back everything the callback wrote and
 * returns the refusal: a failed Result returned from the callback would commit what was
 * written before it.
 */
export function refusable<T>(storage: DurableObjectStorage, write: () => T): T | Result<never> {
  try {
    return storage.transactionSync(write);
  } catch (error) {
    if (error instanceof Refused) return error.result;
    throw error;
  }
}
