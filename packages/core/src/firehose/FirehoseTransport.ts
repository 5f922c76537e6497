// Owns the live Firehose transport: wires the parts (Packer → Dispatcher → BatchSender, with the
// CircuitBreaker, the DeliveryLedger, the SpoolWriter and the OverflowSpooler) and implements Transport —
// admission within maxBufferBytes, flush, flushSync, close, stats — and the replay on start.
import { FiatError } from '../errors.js';
import { positiveNumber } from '../env.js';
import type { TransportRecord } from '../transport.js';
import { BatchSender, type BatchOutcome, type BatchSink } from './BatchSender.js';
import { BufferPool } from './BufferPool.js';
import { CircuitBreaker } from './CircuitBreaker.js';
import { describeError } from './classifyError.js';
import { DeliveryLedger } from './DeliveryLedger.js';
import { Dispatcher, type Batch } from './Dispatcher.js';
import { createFirehosePort } from './FirehosePort.js';
import {
  FIREHOSE_MAX_RECORD_BYTES,
  resolveFirehoseOptions,
  type FirehoseCloseReport,
  type FirehoseTransport,
  type FirehoseTransportOptions,
  type FirehoseTransportStats,
  type ResolvedFirehoseOptions,
} from './options.js';
import type { OutboundRecord } from './OutboundRecord.js';
import { OverflowSpooler } from './OverflowSpooler.js';
import { Packer } from './Packer.js';
import { runReplay, safeReport, type ReplayReport } from './replaySpool.js';
import { RetryPolicy } from './RetryPolicy.js';
import { Spool } from './Spool.js';
import { SpoolWriter, type SpoolEntry } from './SpoolWriter.js';

/** The overflow's share of `maxBufferBytes`: an eighth, at most 4 MiB. */
function overflowCapOf(maxBufferBytes: number): number {
  return Math.max(1, Math.min(4 * 1024 * 1024, Math.floor(maxBufferBytes / 8)));
}

function countOf(records: readonly OutboundRecord[]): number {
  return records.reduce((n, r) => n + r.count, 0);
}

/** The live transport. Make one with {@link createFirehoseTransport}. */
class LiveFirehoseTransport implements FirehoseTransport {
  readonly kind = 'firehose';
  readonly spoolDir: string;
  readonly #options: ResolvedFirehoseOptions;
  readonly #report: (error: FiatError) => void;
  readonly #ledger = new DeliveryLedger();
  readonly #abort = new AbortController();
  readonly #pool: BufferPool;
  readonly #packer: Packer;
  readonly #dispatcher: Dispatcher;
  readonly #sender: BatchSender;
  readonly #writer: SpoolWriter;
  readonly #overflow: OverflowSpooler;
  readonly #recordsLimit: number;
  readonly #timer: NodeJS.Timeout;
  readonly #sink: BatchSink;
  #closed = false;
  #closing: Promise<FirehoseCloseReport> | undefined;
  #startup: Promise<void> | undefined;
  #replay: ReplayReport | undefined;

  constructor(options: FirehoseTransportOptions) {
    const resolved = resolveFirehoseOptions(options);
    const { maxBufferBytes, maxRecordBytes, recycleBuffers, retry } = resolved;
    this.#options = resolved;
    this.#report = safeReport(options.onError);
    const spool = new Spool(options.spoolDir);
    this.spoolDir = spool.dir;
    this.#pool = new BufferPool({ bufferBytes: maxRecordBytes, maxPooled: Math.ceil(maxBufferBytes / maxRecordBytes) + 1, recycle: recycleBuffers });
    this.#packer = new Packer({ packing: resolved.packing, pool: this.#pool });
    this.#dispatcher = new Dispatcher({ ...resolved, run: (batch) => this.#runBatch(batch) });
    const breaker = new CircuitBreaker(retry.outageBackoffMs);
    this.#sender = new BatchSender({ port: createFirehosePort(options), policy: new RetryPolicy(retry, resolved.random), breaker, requestTimeoutMs: retry.requestTimeoutMs });
    this.#writer = new SpoolWriter(spool, this.#ledger, this.#report);
    const overflowCap = overflowCapOf(maxBufferBytes);
    const reason = `maxBufferBytes ${maxBufferBytes} reached while Firehose is slow or down`;
    this.#overflow = new OverflowSpooler({ spool, writer: this.#writer, ledger: this.#ledger, capBytes: overflowCap, reason });
    this.#recordsLimit = resolved.onFull === 'throw' ? maxBufferBytes : maxBufferBytes - overflowCap;
    this.#sink = {
      called: () => this.#ledger.called(),
      acknowledged: (record) => {
        this.#ledger.acknowledged(record);
        record.release(this.#pool);
      },
      resent: (count, uncertain) => this.#ledger.resent(count, uncertain),
    };
    this.#timer = setInterval(() => this.#dispatcher.dispatchAll(this.#packer), resolved.flushIntervalMs);
    this.#timer.unref();
    if (resolved.replaySpoolOnStart) this.#startup = this.#replayOnStart(spool);
  }

  write(record: TransportRecord): void {
    if (this.#closed) throw new FiatError('LOGGER_CLOSED', 'the firehose transport is closed');
    const deliveryStream = record.names.deliveryStream;
    const bytes = Buffer.byteLength(record.line, 'utf8');
    if (bytes > FIREHOSE_MAX_RECORD_BYTES) {
      throw new FiatError('RECORD_TOO_LARGE', `a record for ${deliveryStream} is ${bytes} bytes, over the 1,024,000-byte Firehose record limit`);
    }
    if (this.#ledger.bufferedBytes - this.#overflow.heldBytes + bytes > this.#recordsLimit) {
      if (this.#options.onFull === 'throw') {
        throw new FiatError(
          'BUFFER_FULL',
          `maxBufferBytes (${this.#options.maxBufferBytes}) of unacknowledged records reached for ${deliveryStream}; retry later or raise maxBufferBytes`,
        );
      }
      this.#overflow.reserve(bytes);
      this.#ledger.accepted(bytes);
      this.#overflow.add(deliveryStream, record.line, bytes);
      return;
    }
    this.#ledger.accepted(bytes);
    this.#packer.add(deliveryStream, record.line, bytes);
    this.#dispatcher.dispatchFull(this.#packer, deliveryStream);
  }

  async flush(): Promise<void> {
    if (this.#startup !== undefined) await this.#startup;
    await this.#sendBuffered();
    const error = this.#writer.takeIoError();
    if (error !== undefined) throw error;
  }

  flushSync(): void {
    try {
      const entries: SpoolEntry[] = [];
      for (const [deliveryStream, records] of this.#packer.drain()) entries.push(this.#spoolEntry(deliveryStream, records));
      for (const batch of this.#dispatcher.batches()) entries.push(this.#spoolEntry(batch.deliveryStream, batch.records));
      entries.push(...this.#writer.takeOverPending());
      for (const deliveryStream of new Set(entries.map((e) => e.deliveryStream))) {
        this.#writer.writeSync(mergeEntries(deliveryStream, entries.filter((e) => e.deliveryStream === deliveryStream)));
      }
      this.#overflow.sealAllSync();
    } catch (error) {
      this.#report(new FiatError('IO_FAILED', `flushSync() failed: ${describeError(error)}`, { cause: error }));
    }
  }

  close(options?: { readonly timeoutMs?: number }): Promise<FirehoseCloseReport> {
    this.#closing ??= this.#close(options ?? {});
    return this.#closing;
  }

  stats(): FirehoseTransportStats {
    return this.#ledger.stats();
  }

  /**
   * Sends what is buffered and waits for what exists now — the batches cut (each ends once its records are
   * acknowledged or on disk) and the overflow files — but not for records logged meanwhile, so that a
   * flush ends under constant load.
   */
  async #sendBuffered(): Promise<void> {
    this.#dispatcher.dispatchAll(this.#packer);
    this.#overflow.drain();
    await this.#dispatcher.settled();
    await this.#overflow.idle();
  }

  async #close(options: { readonly timeoutMs?: number }): Promise<FirehoseCloseReport> {
    const timeoutMs = options.timeoutMs;
    if (timeoutMs !== undefined) positiveNumber(timeoutMs, 'timeoutMs', 1);
    this.#closed = true;
    clearInterval(this.#timer);
    const flushing = (async () => {
      if (this.#startup !== undefined) await this.#startup;
      await this.#sendBuffered();
      await this.#writer.idle();
    })();
    let timedOut = false;
    if (timeoutMs === undefined) {
      await flushing.catch(() => undefined);
    } else {
      let timer: NodeJS.Timeout | undefined;
      const expired = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutMs)));
      const outcome = await Promise.race([flushing.then(() => 'done' as const, () => 'done' as const), expired]);
      clearTimeout(timer);
      timedOut = outcome === 'timeout';
      if (timedOut) await this.#abortAndSpool(timeoutMs);
    }
    this.#abort.abort();
    const s = this.#ledger.stats();
    return { delivered: s.delivered, undelivered: s.received - s.delivered, spooled: s.spooled, lost: s.lost, timedOut, spoolDir: this.spoolDir, ...(this.#replay !== undefined ? { replay: this.#replay } : {}) };
  }

  /** Stops sending (aborts calls and backoffs) and spools everything not acknowledged. */
  async #abortAndSpool(timeoutMs: number): Promise<void> {
    this.#abort.abort();
    const reason = `close() timed out after ${timeoutMs} ms`;
    const jobs: Promise<void>[] = [];
    for (const [deliveryStream, records] of this.#packer.drain()) jobs.push(this.#spoolRecords(deliveryStream, records, reason, undefined));
    for (const batch of this.#dispatcher.batches()) jobs.push(this.#spoolRecords(batch.deliveryStream, batch.records, reason, undefined));
    this.#overflow.drain();
    await Promise.all(jobs);
    await this.#overflow.idle();
    await this.#writer.idle();
  }

  async #runBatch(batch: Batch): Promise<void> {
    const outcome: BatchOutcome = await this.#sender.send(batch.deliveryStream, batch.records, this.#sink, this.#abort.signal);
    if (outcome.kind === 'refused') {
      const reason = 'Firehose was unreachable moments ago (circuit open; a probe batch is sent every outageBackoffMs)';
      await this.#spoolRecords(batch.deliveryStream, outcome.records, reason, undefined);
    } else if (outcome.kind === 'failed') {
      await this.#spoolRecords(batch.deliveryStream, outcome.records, outcome.reason, outcome.cause);
    }
  }

  /** Settles the records not yet settled into the spool; they stay counted in memory until they are on disk. */
  #spoolRecords(deliveryStream: string, records: readonly OutboundRecord[], reason: string, cause: unknown): Promise<void> {
    const taken = records.filter((r) => r.settle());
    if (taken.length === 0) return Promise.resolve();
    const entry: SpoolEntry = { deliveryStream, chunks: taken.map((r) => r.data), count: countOf(taken), bytes: taken.reduce((n, r) => n + r.bytes, 0), reason, cause, code: 'DELIVERY_FAILED' };
    return this.#writer.write(entry).finally(() => {
      for (const record of taken) record.release(this.#pool);
    });
  }

  /** Settles records for a synchronous spool write (flushSync); their buffers are left to the collector (a call may still read them). */
  #spoolEntry(deliveryStream: string, records: readonly OutboundRecord[]): SpoolEntry {
    const taken = records.filter((r) => r.settle());
    const reason = 'flushSync() before the process exits';
    return { deliveryStream, chunks: taken.map((r) => r.data), count: countOf(taken), bytes: taken.reduce((n, r) => n + r.bytes, 0), reason, cause: undefined, code: 'DELIVERY_FAILED' };
  }

  #replayOnStart(spool: Spool): Promise<void> {
    const context = { spool, sender: this.#sender, pool: this.#pool, ledger: this.#ledger, options: this.#options, validators: {}, report: this.#report, signal: this.#abort.signal };
    return runReplay(context).then(
      (report) => void (this.#replay = report),
      (cause: unknown) => this.#report(new FiatError('DELIVERY_FAILED', `replaying the spool ${this.spoolDir} on start failed: ${describeError(cause)}`, { cause })),
    );
  }
}

/** One spool entry of a stream out of several (their lines concatenated): one file per stream on exit. */
function mergeEntries(deliveryStream: string, entries: readonly SpoolEntry[]): SpoolEntry {
  return {
    deliveryStream,
    chunks: entries.flatMap((e) => e.chunks),
    count: entries.reduce((n, e) => n + e.count, 0),
    bytes: entries.reduce((n, e) => n + e.bytes, 0),
    reason: 'flushSync() before the process exits',
    cause: undefined,
    code: 'DELIVERY_FAILED',
  };
}

/**
 * The Amazon Data Firehose transport: packs newline-terminated lines into Firehose records,
 * sends them with `PutRecordBatch` within Firehose's limits, resends only the records that
 * failed, retries whole-call failures within a budget, and spools what it cannot deliver to
 * fsync'd NDJSON files (`fiat spool replay` resends them). Memory is bounded by `maxBufferBytes`.
 * The AWS SDK is loaded only when the first batch is sent with `clientConfig` (or a `FirehoseClient`).
 *
 * @example
 * ```ts
 * import { createFirehoseTransport } from '@fiat/core/firehose';
 * const transport = createFirehoseTransport({ clientConfig: { region: 'eu-west-1' } });
 * const logger = ValidatedLog.configure(transport, { app: 'billing', email: 'team@example.com', streams: [Audit] });
 * ```
 */
export function createFirehoseTransport(options: FirehoseTransportOptions): FirehoseTransport {
  return new LiveFirehoseTransport(options);
}
