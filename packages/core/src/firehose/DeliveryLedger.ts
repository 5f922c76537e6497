// Owns every counter of the Firehose transport and the invariant "every record received is delivered,
// spooled, lost or pending": each method moves records from pending to exactly one outcome, and
// stats() only reads. Nothing else in the transport keeps a count.
import { FIREHOSE_BILLING_STEP_BYTES, type FirehoseTransportStats } from './options.js';

/**
 * Rounds a Firehose record size up to Firehose's 5 KB (5,120-byte) billing step.
 *
 * @example
 * ```ts
 * billedBytesOf(260); // 5120
 * billedBytesOf(12_000); // 15360
 * ```
 */
export function billedBytesOf(recordBytes: number): number {
  return Math.max(1, Math.ceil(recordBytes / FIREHOSE_BILLING_STEP_BYTES)) * FIREHOSE_BILLING_STEP_BYTES;
}

/** A settled Firehose record as the ledger sees it: its logical records and bytes. */
export interface LedgerRecord {
  readonly count: number;
  readonly bytes: number;
}

/**
 * The transport's counters. Records enter with {@link accepted} and leave pending through exactly one
 * of {@link acknowledged}, {@link spooled} or {@link lost}; replayed spool records are counted apart.
 *
 * @example
 * ```ts
 * const ledger = new DeliveryLedger();
 * ledger.accepted(120);
 * ledger.acknowledged({ count: 1, bytes: 120 });
 * ledger.stats(); // { received: 1, delivered: 1, pending: 0, … }
 * ```
 */
export class DeliveryLedger {
  #received = 0;
  #pending = 0;
  #delivered = 0;
  #spooled = 0;
  #lost = 0;
  #retried = 0;
  #uncertainResends = 0;
  #calls = 0;
  #objects = 0;
  #bytes = 0;
  #billedBytes = 0;
  #bufferedBytes = 0;
  #peakBufferedBytes = 0;
  #replayed = 0;
  #replayRejected = 0;

  /** Bytes of records in memory, not yet acknowledged or spooled. */
  get bufferedBytes(): number {
    return this.#bufferedBytes;
  }

  /** One record of `bytes` taken by the transport: pending, and held in memory. */
  accepted(bytes: number): void {
    this.#received += 1;
    this.#pending += 1;
    this.held(bytes);
  }

  /** A Firehose record acknowledged: its logical records are delivered and leave memory. */
  acknowledged(record: LedgerRecord): void {
    this.#pending -= record.count;
    this.#delivered += record.count;
    this.#sent(record);
    this.released(record.bytes);
  }

  /** `count` records (of `bytes` bytes) are on disk in the spool. */
  spooled(count: number, bytes: number): void {
    this.#pending -= count;
    this.#spooled += count;
    this.released(bytes);
  }

  /** `count` records (of `bytes` bytes) could be neither delivered nor spooled. */
  lost(count: number, bytes: number): void {
    this.#pending -= count;
    this.#lost += count;
    this.released(bytes);
  }

  /** One `PutRecordBatch` call made. */
  called(): void {
    this.#calls += 1;
  }

  /** `count` logical records sent again; `uncertain` when the failed call may have been applied. */
  resent(count: number, uncertain: boolean): void {
    this.#retried += count;
    if (uncertain) this.#uncertainResends += count;
  }

  /** A Firehose record resent from the spool was acknowledged (not one of this transport's own records). */
  replayAcknowledged(record: LedgerRecord): void {
    this.#replayed += record.count;
    this.#sent(record);
  }

  /** `count` spool lines were quarantined by a replay. */
  replayRejected(count: number): void {
    this.#replayRejected += count;
  }

  /** `bytes` more held in memory (records, or a replay's lines). */
  held(bytes: number): void {
    this.#bufferedBytes += bytes;
    if (this.#bufferedBytes > this.#peakBufferedBytes) this.#peakBufferedBytes = this.#bufferedBytes;
  }

  /** `bytes` no longer held. */
  released(bytes: number): void {
    this.#bufferedBytes -= bytes;
  }

  /** Throws when the invariant does not hold (a bug in the transport): used by tests. */
  check(): void {
    const settled = this.#delivered + this.#spooled + this.#lost;
    if (this.#pending < 0 || settled + this.#pending !== this.#received || this.#bufferedBytes < 0) {
      throw new Error(`ledger out of balance: received ${this.#received} ≠ settled ${settled} + pending ${this.#pending} (buffered ${this.#bufferedBytes})`);
    }
  }

  /** A snapshot of every counter. */
  stats(): FirehoseTransportStats {
    return {
      received: this.#received,
      delivered: this.#delivered,
      pending: this.#pending,
      failed: this.#spooled + this.#lost,
      objects: this.#objects,
      bytes: this.#bytes,
      retried: this.#retried,
      spooled: this.#spooled,
      lost: this.#lost,
      putRecordBatchCalls: this.#calls,
      billedBytes: this.#billedBytes,
      bufferedBytes: this.#bufferedBytes,
      peakBufferedBytes: this.#peakBufferedBytes,
      uncertainResends: this.#uncertainResends,
      replayed: this.#replayed,
      replayRejected: this.#replayRejected,
    };
  }

  #sent(record: LedgerRecord): void {
    this.#objects += 1;
    this.#bytes += record.bytes;
    this.#billedBytes += billedBytesOf(record.bytes);
  }
}
