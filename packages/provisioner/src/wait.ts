// Owns waiting with a deadline: every polling loop of the CLI (smoke, delivery stream status,
// Athena queries) goes through pollUntil, so none sleeps past its deadline.

/** Options of {@link pollUntil}. */
export interface PollOptions<T> {
  /** One poll: the value when the wait is over, `undefined` to poll again. Required. */
  readonly poll: () => Promise<T | undefined>;
  /** Absolute deadline on the `now` clock, in ms. Required. */
  readonly deadline: number;
  /** First delay between polls in ms. Required. */
  readonly initialDelayMs: number;
  /** Longest delay between polls in ms. Required. */
  readonly maxDelayMs: number;
  /** Each next delay is this many times the previous one. Default: 1.5. */
  readonly factor?: number;
  /** The clock. Default: `Date.now`. */
  readonly now?: () => number;
  /** How to wait. Default: `setTimeout`. */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Told, before each sleep, how long the wait has lasted (ms). Default: none. */
  readonly onWait?: (elapsedMs: number) => void;
}

/** How a {@link pollUntil} ended: with the poll's value, or at the deadline without one. */
export type PollOutcome<T> = { readonly done: true; readonly value: T; readonly elapsedMs: number } | { readonly done: false; readonly elapsedMs: number };

/**
 * Waits `ms` milliseconds with `setTimeout`.
 *
 * @example
 * ```ts
 * await sleepFor(250);
 * ```
 */
export function sleepFor(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Polls until `poll` returns a value or the deadline passes. Delays back off from `initialDelayMs`
 * by `factor` up to `maxDelayMs`, and no sleep goes past the deadline: the last poll starts at the
 * deadline at the latest, so the wait ends within one poll's latency of it.
 *
 * @example
 * ```ts
 * const outcome = await pollUntil({ poll: async () => ((await status()) === 'ACTIVE' ? true : undefined), deadline: Date.now() + 60_000, initialDelayMs: 1000, maxDelayMs: 5000 });
 * if (!outcome.done) throw new Error(`still waiting after ${outcome.elapsedMs} ms`);
 * ```
 */
export async function pollUntil<T>(options: PollOptions<T>): Promise<PollOutcome<T>> {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? sleepFor;
  const factor = options.factor ?? 1.5;
  const started = now();
  let delay = options.initialDelayMs;
  for (;;) {
    const value = await options.poll();
    if (value !== undefined) return { done: true, value, elapsedMs: now() - started };
    const remaining = options.deadline - now();
    if (remaining <= 0) return { done: false, elapsedMs: now() - started };
    options.onWait?.(now() - started);
    await sleep(Math.min(delay, remaining));
    delay = Math.min(Math.round(delay * factor), options.maxDelayMs);
  }
}
