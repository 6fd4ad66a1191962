/**
 * Packer's retry.Config.Run: call `fn` until it succeeds. After a failure it waits `delayMs` (2 s) and tries
 * again, unless `startTimeoutMs` has passed since the first try (0: no limit), `tries` attempts were made,
 * or `shouldRetry` rejects the error; then the last error is thrown. Cancelling `signal` stops the wait and
 * rejects with a cancellation.
 */
import { cancelledError, errorMessage, KilnError, type Logger } from "../sdk/index.js";

export interface RetryOptions {
  /** Stop retrying once this long has passed since the first attempt; 0 means no limit. */
  readonly startTimeoutMs?: number;
  /** Pause between attempts; default 2 s. */
  readonly delayMs?: number;
  /** At most this many attempts; 0 or absent means no limit. */
  readonly tries?: number;
  readonly shouldRetry?: (err: unknown) => boolean;
  readonly log?: Logger;
}

/** Thrown when `tries` attempts all failed (Packer's RetryExhaustedError). */
export class RetryExhaustedError extends KilnError {
  override readonly name = "RetryExhaustedError";
  constructor(readonly last: unknown) {
    super("RETRY_EXHAUSTED", `retry count exhausted. Last err: ${errorMessage(last)}`, { cause: last });
  }
}

export async function retry<T>(
  options: RetryOptions,
  signal: AbortSignal,
  fn: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const delayMs = options.delayMs ?? 2000;
  const deadline = options.startTimeoutMs ? Date.now() + options.startTimeoutMs : Number.POSITIVE_INFINITY;
  for (let attempt = 1; ; attempt++) {
    if (signal.aborted) throw cancelledError(signal.reason);
    try {
      return await fn(signal);
    } catch (err) {
      if (signal.aborted) throw err;
      if (options.shouldRetry !== undefined && !options.shouldRetry(err)) throw err;
      if (options.tries && attempt >= options.tries) throw new RetryExhaustedError(err);
      options.log?.log(`Retryable error: ${errorMessage(err)}`);
      if (Date.now() >= deadline) throw err;
      await sleep(delayMs, signal);
    }
  }
}

/** Resolves after `ms`, or rejects with a cancellation when `signal` fires first. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(cancelledError(signal.reason));
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(cancelledError(signal.reason));
    };
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal.addEventListener("abort", onAbort, { once: true });
  });
}
