import type { ApiResult } from '../api/hipchat-client';

export interface RetryOptions {
  /** First retry delay; doubles per attempt. */
  baseDelayMs: number;
  /** Cap on a single delay. */
  maxDelayMs: number;
  /** Attempts (network errors, 5xx) after which the item is dead-lettered. */
  maxAttempts: number;
}

export const DEFAULT_RETRY: RetryOptions = { baseDelayMs: 1_000, maxDelayMs: 300_000, maxAttempts: 30 };

export type Outcome =
  | { kind: 'delivered' }
  | { kind: 'retry'; delayMs: number; error: string }
  | { kind: 'reauthenticate' }
  | { kind: 'rate_limited' }
  | { kind: 'fail'; error: string };

/** Exponential backoff with jitter: a delay in [d/2, d] where d = min(max, base · 2^(attempt-1)). */
export function backoffMs(attempt: number, options: RetryOptions, random: () => number = Math.random): number {
  const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/** A transient failure: retry after backoff, or dead-letter once the attempts are used up. */
export function transientFailure(error: string, attemptsSoFar: number, options: RetryOptions, random?: () => number): Outcome {
  const attempt = attemptsSoFar + 1;
  if (attempt >= options.maxAttempts) return { kind: 'fail', error: `${error} (gave up after ${attempt} attempts)` };
  return { kind: 'retry', delayMs: backoffMs(attempt, options, random), error };
}

/**
 * What to do with HipChat's answer. 2xx delivered; 429 wait and resend (not a failure); 401 once: new
 * token and resend; 5xx and 408 retried with backoff; any other 4xx is final (resending cannot help).
 */
export function decide(
  result: ApiResult,
  state: { attemptsSoFar: number; reauthenticated: boolean },
  options: RetryOptions,
  random?: () => number,
): Outcome {
  const error = result.errorMessage ?? `HTTP ${result.status}`;
  if (result.ok) return { kind: 'delivered' };
  if (result.status === 429) return { kind: 'rate_limited' };
  if (result.status === 401) {
    return state.reauthenticated ? { kind: 'fail', error: `${error} (refused again with a new token)` } : { kind: 'reauthenticate' };
  }
  if (result.status >= 500 || result.status === 408) return transientFailure(error, state.attemptsSoFar, options, random);
  return { kind: 'fail', error };
}
