// Owns the outage state shared by every batch: the shared pause after a whole call fails, and the
// breaker that, once a batch spent its whole budget, spools batches unsent until a probe succeeds.
// It is opened and closed by call outcomes only, never by accounting.

/** What a batch about to be sent may do: be sent, be sent as the one probe, or go to the spool unsent. */
export type Admission = 'send' | 'probe' | 'spool';

/**
 * The circuit breaker and shared pause. Times are epoch milliseconds passed in by the caller.
 *
 * @example
 * ```ts
 * const breaker = new CircuitBreaker(5000);
 * breaker.open(Date.now());            // a batch exhausted its budget
 * breaker.admit(Date.now());           // 'spool' for the next 5 s, then 'probe' once
 * breaker.close();                     // a call was answered: send again
 * ```
 */
export class CircuitBreaker {
  readonly #backoffMs: number;
  /** 0 while closed; else batches are spooled unsent until then, and then one probe is sent. */
  #openUntil = 0;
  #probing = false;
  /** After a whole call fails, every batch waits until then: one backoff for all, not a storm per batch. */
  #pausedUntil = 0;

  constructor(backoffMs: number) {
    this.#backoffMs = backoffMs;
  }

  /** True while batches are being spooled unsent (or a probe decides). */
  get isOpen(): boolean {
    return this.#openUntil !== 0;
  }

  /** Decides for a batch about to be sent at `now`. A `'probe'` must be ended with {@link probeEnded}. */
  admit(now: number): Admission {
    if (this.#openUntil === 0) return 'send';
    if (now < this.#openUntil || this.#probing) return 'spool';
    this.#probing = true;
    return 'probe';
  }

  /** The probe batch finished, whatever its outcome (its outcome opens or closes the breaker). */
  probeEnded(): void {
    this.#probing = false;
  }

  /** A batch spent its whole retry budget at `now`: spool unsent for the next backoff period. */
  open(now: number): void {
    this.#openUntil = now + this.#backoffMs;
  }

  /** A call was answered with at least one record acknowledged: Firehose is reachable. */
  close(): void {
    this.#openUntil = 0;
  }

  /** A whole call failed; every batch waits until `until` before its next call. */
  pauseUntil(until: number): void {
    if (until > this.#pausedUntil) this.#pausedUntil = until;
  }

  /** Milliseconds a batch must still wait at `now` before calling (0 when it may call). */
  pauseRemaining(now: number): number {
    return Math.max(0, this.#pausedUntil - now);
  }
}
