// Owns the retry budget of one batch: capped exponential backoff with full jitter, the attempt and
// time limits, and which failures are worth retrying at all.
import type { ResolvedRetryOptions } from './options.js';
import type { FirehoseErrorKind } from './classifyError.js';

/** Why the last attempt failed: a whole-call error of some kind, or some records answered with an `ErrorCode`. */
export type AttemptFailure = FirehoseErrorKind | 'partial';

/** What to do after a failed attempt. */
export type RetryDecision = { readonly retry: true; readonly delayMs: number } | { readonly retry: false; readonly reason: string };

/**
 * The delay before retry `attempt + 1` (attempt ≥ 1): full jitter over a capped exponential,
 * `random() × min(maxDelayMs, baseDelayMs × 2^(attempt-1))`.
 *
 * @example
 * ```ts
 * backoffDelay(3, { baseDelayMs: 100, maxDelayMs: 5000 }, () => 0.5); // 200
 * ```
 */
export function backoffDelay(
  attempt: number,
  options: { readonly baseDelayMs: number; readonly maxDelayMs: number },
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.floor(random() * ceiling);
}

/**
 * Decides, after a failed attempt, whether a batch is tried again and after which delay.
 *
 * @example
 * ```ts
 * const policy = new RetryPolicy({ maxAttempts: 8, maxRetryTimeMs: 30_000, baseDelayMs: 100, maxDelayMs: 5000, requestTimeoutMs: 15_000, outageBackoffMs: 5000 });
 * policy.next(1, 0, 'throttled'); // { retry: true, delayMs: <0..99> }
 * policy.next(1, 0, 'fatal');     // { retry: false, reason: 'a non-retryable error' }
 * ```
 */
export class RetryPolicy {
  readonly #options: ResolvedRetryOptions;
  readonly #random: () => number;

  constructor(options: ResolvedRetryOptions, random: () => number = Math.random) {
    this.#options = options;
    this.#random = random;
  }

  /** `attempt`: attempts made so far (≥ 1); `elapsedMs`: since the batch's first attempt. */
  next(attempt: number, elapsedMs: number, failure: AttemptFailure): RetryDecision {
    if (failure === 'fatal') return { retry: false, reason: 'a non-retryable error' };
    const delayMs = backoffDelay(attempt, this.#options, this.#random);
    if (attempt >= this.#options.maxAttempts || elapsedMs + delayMs > this.#options.maxRetryTimeMs) {
      return { retry: false, reason: `retry budget exhausted after ${attempt} attempts in ${Math.round(elapsedMs)} ms` };
    }
    return { retry: true, delayMs };
  }
}
