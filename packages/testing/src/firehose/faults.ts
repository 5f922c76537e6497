// Owns the fake Firehose's fault injection: the settings (changeable at any time), the seeded random
// source that drives the rates, and the decisions taken for each put call.
import { connectionRefused, FakeFirehoseError } from './errors.js';

/** Which error code a failed record in a `PutRecordBatch` answer carries. */
export type FakeRecordErrorCode = 'ServiceUnavailableException' | 'InternalFailure' | 'mixed';

/**
 * Fault injection of the fake Firehose (in memory or behind the HTTP server). Fractions are
 * in [0, 1] and drawn from the fake's seeded random source. Every field can be changed at any time.
 *
 * @example
 * ```ts
 * const fake = createFakeFirehose({ faults: { throttleRate: 0.3, failRecordRate: 0.1 } });
 * fake.faults.throttleNext = 2; // the next two put calls are throttled
 * ```
 */
export interface FakeFirehoseFaults {
  /** Put calls still to throttle (`ServiceUnavailableException`, nothing written). Default: 0. */
  throttleNext: number;
  /** Fraction of put calls throttled. Default: 0. */
  throttleRate: number;
  /** Fraction of the records of each `PutRecordBatch` answered with an `ErrorCode` (not written). Default: 0. */
  failRecordRate: number;
  /** Error code of those records. Default: `'ServiceUnavailableException'`. */
  failRecordCode: FakeRecordErrorCode;
  /** Put calls still to "lose": the records are written, then the call fails (the duplicate-maker). Default: 0. */
  loseResponseNext: number;
  /** Fraction of put calls whose response is lost. Default: 0. */
  loseResponseRate: number;
  /** When true, every call fails like an unreachable endpoint (connection refused). Default: false. */
  down: boolean;
  /** Errors (by AWS name) thrown by the next put calls, one per call, e.g. `['ResourceNotFoundException']`. Default: `[]`. */
  failNextCalls: string[];
}

/** No faults: every field at its default. */
export function noFaults(initial: Partial<FakeFirehoseFaults> = {}): FakeFirehoseFaults {
  return {
    throttleNext: 0,
    throttleRate: 0,
    failRecordRate: 0,
    failRecordCode: 'ServiceUnavailableException',
    loseResponseNext: 0,
    loseResponseRate: 0,
    down: false,
    failNextCalls: [],
    ...initial,
  };
}

/** A small seeded PRNG (mulberry32), so fault injection is repeatable. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The fault decisions for put calls, drawn from one seeded random source.
 *
 * @example
 * ```ts
 * const injector = new FaultInjector(noFaults({ throttleNext: 1 }), seeded(1));
 * injector.beforeWrite(); // throws ServiceUnavailableException once
 * ```
 */
export class FaultInjector {
  constructor(
    readonly faults: FakeFirehoseFaults,
    readonly random: () => number,
  ) {}

  /** Throws the fault that refuses a call before anything is written, if any. */
  beforeWrite(): void {
    const faults = this.faults;
    if (faults.down) throw connectionRefused();
    const forced = faults.failNextCalls.shift();
    if (forced !== undefined) throw new FakeFirehoseError(forced, `${forced} (injected by the fake)`);
    if (faults.throttleNext > 0) {
      faults.throttleNext -= 1;
      throw new FakeFirehoseError('ServiceUnavailableException', 'Slow down.');
    }
    if (faults.throttleRate > 0 && this.random() < faults.throttleRate) throw new FakeFirehoseError('ServiceUnavailableException', 'Slow down.');
  }

  /** The `ErrorCode` of a record refused inside a successful call, or `undefined` to write it. */
  recordFailure(): 'ServiceUnavailableException' | 'InternalFailure' | undefined {
    const faults = this.faults;
    if (!(faults.failRecordRate > 0 && this.random() < faults.failRecordRate)) return undefined;
    if (faults.failRecordCode !== 'mixed') return faults.failRecordCode;
    return this.random() < 0.5 ? 'ServiceUnavailableException' : 'InternalFailure';
  }

  /** True when this call's response is lost after its records were written. */
  responseLost(): boolean {
    if (this.faults.loseResponseNext > 0) {
      this.faults.loseResponseNext -= 1;
      return true;
    }
    return this.faults.loseResponseRate > 0 && this.random() < this.faults.loseResponseRate;
  }
}
