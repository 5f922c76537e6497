// Owns batches: cuts the Packer's sealed records into PutRecordBatch-sized batches (500 records,
// 4 MiB), runs at most maxInFlight of them at once, and knows which are waiting or running.
import type { OutboundRecord } from './OutboundRecord.js';
import { takeBatch, type Packer } from './Packer.js';

/** Records of one delivery stream sent by one `PutRecordBatch` call (and its resends). */
export interface Batch {
  readonly deliveryStream: string;
  readonly records: readonly OutboundRecord[];
}

/** Options of {@link Dispatcher}. */
export interface DispatcherOptions {
  /** Firehose records per batch. */
  readonly maxBatchRecords: number;
  /** Bytes per batch. */
  readonly maxBatchBytes: number;
  /** Batches running at once. */
  readonly maxInFlight: number;
  /** Runs one batch to its end; never rejects. */
  readonly run: (batch: Batch) => Promise<void>;
}

/**
 * Cuts batches (from a {@link Packer}, or from given records) and runs them with an in-flight limit.
 *
 * @example
 * ```ts
 * const dispatcher = new Dispatcher({ maxBatchRecords: 500, maxBatchBytes: 4 << 20, maxInFlight: 4, run });
 * dispatcher.dispatchFull(packer, 'fiat-audit'); // after each add
 * dispatcher.dispatchAll(packer);                // on flush or the interval
 * await dispatcher.idle();
 * ```
 */
export class Dispatcher {
  readonly #options: DispatcherOptions;
  readonly #waiting: Batch[] = [];
  readonly #running = new Set<Batch>();
  /** Resolved when each batch (waiting or running) ends. */
  readonly #done = new Map<Batch, { promise: Promise<void>; resolve: () => void }>();
  #idle: { promise: Promise<void>; resolve: () => void } | undefined;

  constructor(options: DispatcherOptions) {
    this.#options = options;
  }

  /** Cuts the stream's full batches (nothing when less than a batch is sealed) and starts them. */
  dispatchFull(packer: Packer, deliveryStream: string): void {
    const { maxBatchRecords, maxBatchBytes } = this.#options;
    while (packer.hasFullBatch(deliveryStream, maxBatchRecords, maxBatchBytes)) this.#cut(packer, deliveryStream);
    this.#pump();
  }

  /** Seals every open record and cuts everything into batches: what a flush sends. */
  dispatchAll(packer: Packer): void {
    packer.sealAll();
    for (const deliveryStream of packer.streamsWithSealed()) {
      while (packer.hasSealed(deliveryStream)) this.#cut(packer, deliveryStream);
    }
    this.#pump();
  }

  /** Cuts sealed `records` of one stream into batches and starts them (a replay's records). */
  dispatchRecords(deliveryStream: string, records: readonly OutboundRecord[]): void {
    const rest = [...records];
    while (rest.length > 0) this.#queue({ deliveryStream, records: takeBatch(rest, this.#options.maxBatchRecords, this.#options.maxBatchBytes) });
    this.#pump();
  }

  /** Batches cut and not finished (waiting, then running). */
  batches(): Batch[] {
    return [...this.#waiting, ...this.#running];
  }

  /** Resolves once the batches cut so far have ended (batches cut later are not waited for). */
  async settled(): Promise<void> {
    await Promise.all([...this.#done.values()].map((d) => d.promise));
  }

  /** Resolves once no batch is waiting or running (batches cut meanwhile included). */
  idle(): Promise<void> {
    if (this.#waiting.length === 0 && this.#running.size === 0) return Promise.resolve();
    if (this.#idle === undefined) {
      let resolve!: () => void;
      const promise = new Promise<void>((r) => (resolve = r));
      this.#idle = { promise, resolve };
    }
    return this.#idle.promise;
  }

  #cut(packer: Packer, deliveryStream: string): void {
    const records = packer.take(deliveryStream, this.#options.maxBatchRecords, this.#options.maxBatchBytes);
    if (records.length > 0) this.#queue({ deliveryStream, records });
  }

  #queue(batch: Batch): void {
    let resolve!: () => void;
    const promise = new Promise<void>((r) => (resolve = r));
    this.#done.set(batch, { promise, resolve });
    this.#waiting.push(batch);
  }

  #pump(): void {
    while (this.#running.size < this.#options.maxInFlight && this.#waiting.length > 0) {
      const batch = this.#waiting.shift()!;
      this.#running.add(batch);
      const finish = (): void => this.#finish(batch);
      void this.#options.run(batch).then(finish, finish);
    }
  }

  #finish(batch: Batch): void {
    this.#running.delete(batch);
    this.#done.get(batch)?.resolve();
    this.#done.delete(batch);
    this.#pump();
    if (this.#waiting.length === 0 && this.#running.size === 0 && this.#idle !== undefined) {
      const { resolve } = this.#idle;
      this.#idle = undefined;
      resolve();
    }
  }
}
