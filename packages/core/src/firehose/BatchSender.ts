// Owns sending one batch: a PutRecordBatch call, then resends of only the records that failed, paced
// by the RetryPolicy and the shared pause, until every record is acknowledged or the batch gives up.
// The result is a BatchOutcome; acknowledgements are reported as they happen.
import { isFiatError } from '../errors.js';
import type { CircuitBreaker } from './CircuitBreaker.js';
import { classifyFirehoseError, describeError } from './classifyError.js';
import type { FirehosePort } from './FirehosePort.js';
import type { PutRecordBatchOutput } from './options.js';
import type { OutboundRecord } from './OutboundRecord.js';
import type { AttemptFailure, RetryPolicy } from './RetryPolicy.js';

/**
 * How one batch ended: every record acknowledged; refused unsent (the breaker is open); given up (the
 * records left, and why); or aborted by close.
 */
export type BatchOutcome =
  | { readonly kind: 'delivered' }
  | { readonly kind: 'refused'; readonly records: readonly OutboundRecord[] }
  | { readonly kind: 'failed'; readonly records: readonly OutboundRecord[]; readonly reason: string; readonly cause: unknown }
  | { readonly kind: 'aborted'; readonly records: readonly OutboundRecord[] };

/** Told about each call and acknowledgement as it happens (the ledger, for live records or replays). */
export interface BatchSink {
  /** One `PutRecordBatch` call is made. */
  called(): void;
  /** A record was acknowledged (and settled by the sender; records settled elsewhere are not reported). */
  acknowledged(record: OutboundRecord): void;
  /** `count` logical records are sent again; `uncertain` when the failed call may have been applied. */
  resent(count: number, uncertain: boolean): void;
}

/** What {@link BatchSender} needs. */
export interface BatchSenderDeps {
  readonly port: FirehosePort;
  readonly policy: RetryPolicy;
  /** Paused after whole-call failures, closed by acknowledgements, opened when a budget is spent. */
  readonly breaker: CircuitBreaker;
  readonly requestTimeoutMs: number;
  /** Clock in epoch milliseconds. Default: `Date.now`. */
  readonly now?: () => number;
}

interface CallResult {
  readonly failed: OutboundRecord[];
  readonly failure: AttemptFailure;
  readonly cause: unknown;
  readonly uncertain: boolean;
  readonly wholeCall: boolean;
  /** Overrides the policy's reason when the batch gives up (a client that cannot be built). */
  readonly reason?: string;
}

const DELIVERED: BatchOutcome = { kind: 'delivered' };

function countOf(records: readonly OutboundRecord[]): number {
  return records.reduce((n, r) => n + r.count, 0);
}

/** Waits `ms` (0: not at all), or until `signal` aborts. Never rejects. */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  if (ms <= 0 || signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

/**
 * Sends batches: one call, then partial resends within the retry budget.
 *
 * @example
 * ```ts
 * const sender = new BatchSender({ port, policy, breaker, requestTimeoutMs: 15_000 });
 * const outcome = await sender.send('fiat-audit', records, sink, signal);
 * if (outcome.kind === 'failed') spool(outcome.records, outcome.reason);
 * ```
 */
export class BatchSender {
  readonly #deps: BatchSenderDeps;
  readonly #now: () => number;

  constructor(deps: BatchSenderDeps) {
    this.#deps = deps;
    this.#now = deps.now ?? Date.now;
  }

  /**
   * Sends `records` to `deliveryStream` until each is acknowledged, the budget is spent, or `signal`
   * aborts — unless the breaker refuses the batch (or admits it as its one probe).
   */
  async send(deliveryStream: string, records: readonly OutboundRecord[], sink: BatchSink, signal: AbortSignal): Promise<BatchOutcome> {
    const admission = this.#deps.breaker.admit(this.#now());
    if (admission === 'spool') return { kind: 'refused', records };
    try {
      return await this.#attempts(deliveryStream, records, sink, signal);
    } finally {
      if (admission === 'probe') this.#deps.breaker.probeEnded();
    }
  }

  async #attempts(deliveryStream: string, records: readonly OutboundRecord[], sink: BatchSink, signal: AbortSignal): Promise<BatchOutcome> {
    const { policy, breaker } = this.#deps;
    const started = this.#now();
    let pending = records;
    for (let attempt = 1; ; attempt += 1) {
      pending = pending.filter((r) => !r.settled);
      if (pending.length === 0) return DELIVERED;
      await sleep(breaker.pauseRemaining(this.#now()), signal);
      if (signal.aborted) return { kind: 'aborted', records: pending };
      sink.called();
      const result = await this.#call(deliveryStream, pending, sink, signal);
      if (result.failed.length === 0) return DELIVERED;
      if (signal.aborted) return { kind: 'aborted', records: result.failed };
      const decision = policy.next(attempt, this.#now() - started, result.failure);
      if (!decision.retry) {
        if (result.failure !== 'fatal') breaker.open(this.#now());
        return { kind: 'failed', records: result.failed, reason: result.reason ?? `${decision.reason}: ${describeError(result.cause)}`, cause: result.cause };
      }
      if (result.wholeCall) breaker.pauseUntil(this.#now() + decision.delayMs);
      sink.resent(countOf(result.failed.filter((r) => !r.settled)), result.uncertain);
      await sleep(decision.delayMs, signal);
      pending = result.failed;
    }
  }

  async #call(deliveryStream: string, pending: readonly OutboundRecord[], sink: BatchSink, signal: AbortSignal): Promise<CallResult> {
    let response: PutRecordBatchOutput | undefined;
    try {
      response = await this.#put(deliveryStream, pending, signal);
    } catch (error) {
      if (isFiatError(error, 'CONFIG_INVALID')) {
        return { failed: [...pending], failure: 'fatal', cause: error, uncertain: false, wholeCall: true, reason: 'the Firehose client could not be created' };
      }
      const kind = classifyFirehoseError(error);
      return { failed: [...pending], failure: kind, cause: error, uncertain: kind === 'unknown', wholeCall: true };
    }
    return this.#settle(pending, response, sink);
  }

  /** Reads `RequestResponses`: entries with a `RecordId` are acknowledged, the others fail alone. */
  #settle(pending: readonly OutboundRecord[], response: PutRecordBatchOutput | undefined, sink: BatchSink): CallResult {
    const responses = response?.RequestResponses ?? [];
    const failed: OutboundRecord[] = [];
    let cause: unknown;
    let uncertain = false;
    let answered = false;
    pending.forEach((record, i) => {
      const entry = responses[i];
      if (entry !== undefined && (entry.ErrorCode === undefined || entry.ErrorCode === null)) {
        answered = true;
        if (record.settle()) sink.acknowledged(record);
        return;
      }
      failed.push(record);
      if (entry?.ErrorCode != null) {
        cause = Object.assign(new Error(entry.ErrorMessage ?? entry.ErrorCode), { name: entry.ErrorCode });
      } else {
        cause = new Error('PutRecordBatch answered without an entry for this record');
        uncertain = true;
      }
    });
    if (answered) this.#deps.breaker.close();
    return { failed, failure: 'partial', cause, uncertain, wholeCall: false };
  }

  /** One call, abandoned as a `TimeoutError` after `requestTimeoutMs` (the client's request is aborted too). */
  async #put(deliveryStream: string, records: readonly OutboundRecord[], signal: AbortSignal): Promise<PutRecordBatchOutput> {
    const input = { DeliveryStreamName: deliveryStream, Records: records.map((r) => ({ Data: r.data })) };
    const controller = new AbortController();
    const onAbort = (): void => controller.abort();
    signal.addEventListener('abort', onAbort, { once: true });
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        const error = new Error(`PutRecordBatch to ${deliveryStream} timed out after ${this.#deps.requestTimeoutMs} ms`);
        error.name = 'TimeoutError';
        reject(error); // first, so that the race ends with the timeout and not with the client's abort error
        controller.abort();
      }, this.#deps.requestTimeoutMs);
    });
    try {
      return await Promise.race([this.#deps.port.putRecordBatch(input, controller.signal), timeout]);
    } finally {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
    }
  }
}
