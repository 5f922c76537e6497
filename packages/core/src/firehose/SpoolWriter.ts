// Owns settling records into the spool: one write per group of records, counted in the ledger as
// spooled (or lost when even the spool fails) with one onError report, asynchronously or synchronously;
// and, for process exit, taking over the asynchronous writes that have not finished.
import { FiatError } from '../errors.js';
import type { DeliveryLedger } from './DeliveryLedger.js';
import type { Spool } from './Spool.js';

/** Records of one delivery stream on their way to the spool, and why. */
export interface SpoolEntry {
  readonly deliveryStream: string;
  /** Their stored lines, newline-terminated, in order. */
  readonly chunks: readonly Buffer[];
  /** Logical records in `chunks`. */
  readonly count: number;
  /** Bytes of `chunks`, released from the ledger's buffered bytes once settled. */
  readonly bytes: number;
  readonly reason: string;
  readonly cause: unknown;
  readonly code: 'DELIVERY_FAILED' | 'BUFFER_FULL';
}

interface Job {
  readonly entry: SpoolEntry;
  /** Set when `flushSync` wrote the entry itself: the asynchronous write then counts nothing and removes its file. */
  takenOver: boolean;
}

/**
 * Writes entries to the spool and settles them in the ledger.
 *
 * @example
 * ```ts
 * const writer = new SpoolWriter(spool, ledger, report);
 * await writer.write({ deliveryStream: 'fiat-audit', chunks, count: 3, bytes: 600, reason: 'retry budget exhausted', cause, code: 'DELIVERY_FAILED' });
 * ```
 */
export class SpoolWriter {
  readonly #spool: Spool;
  readonly #ledger: DeliveryLedger;
  readonly #report: (error: FiatError) => void;
  readonly #jobs = new Set<Job>();
  readonly #running = new Set<Promise<void>>();
  /** The last spool I/O failure not yet surfaced by a flush. */
  #ioError: FiatError | undefined;

  constructor(spool: Spool, ledger: DeliveryLedger, report: (error: FiatError) => void) {
    this.#spool = spool;
    this.#ledger = ledger;
    this.#report = report;
  }

  /** Writes one entry in the background; resolves (never rejects) once it is settled. */
  write(entry: SpoolEntry): Promise<void> {
    if (entry.count === 0) return Promise.resolve();
    const job: Job = { entry, takenOver: false };
    this.#jobs.add(job);
    const running = this.#spool.write(entry.deliveryStream, entry.chunks).then(
      (file) => this.#written(job, file),
      (cause: unknown) => {
        if (!job.takenOver) this.failed(entry, cause);
      },
    ).catch(() => undefined); // removing a taken-over file is best effort
    const tracked = running.finally(() => {
      this.#jobs.delete(job);
      this.#running.delete(tracked);
    });
    this.#running.add(tracked);
    return tracked;
  }

  /** Writes one entry now, synchronously. */
  writeSync(entry: SpoolEntry): void {
    if (entry.count === 0) return;
    let file: string;
    try {
      file = this.#spool.writeSync(entry.deliveryStream, entry.chunks);
    } catch (cause) {
      this.failed(entry, cause);
      return;
    }
    this.settled(entry, file);
  }

  /** The asynchronous writes not finished, taken over by the caller, who writes them itself. */
  takeOverPending(): SpoolEntry[] {
    const entries: SpoolEntry[] = [];
    for (const job of this.#jobs) {
      if (job.takenOver) continue;
      job.takenOver = true;
      entries.push(job.entry);
    }
    return entries;
  }

  /** Resolves when no asynchronous write is running (writes started meanwhile included). */
  async idle(): Promise<void> {
    while (this.#running.size > 0) await Promise.all([...this.#running]);
  }

  /** Returns and forgets the last spool I/O failure (records were lost), for `flush()` to reject with. */
  takeIoError(): FiatError | undefined {
    const error = this.#ioError;
    this.#ioError = undefined;
    return error;
  }

  async #written(job: Job, file: string): Promise<void> {
    if (job.takenOver) {
      await this.#spool.remove(file); // flushSync wrote these records already
      return;
    }
    this.settled(job.entry, file);
  }

  /** Counts and reports an entry that is on disk in `file` (written by this writer or by the overflow's own file). */
  settled(entry: SpoolEntry, file: string): void {
    this.#ledger.spooled(entry.count, entry.bytes);
    this.#report(
      new FiatError(
        entry.code,
        `${entry.count} records for delivery stream ${entry.deliveryStream} were spooled to ${file} (${entry.reason}); resend them with fiat spool replay`,
        { cause: entry.cause },
      ),
    );
  }

  /** Counts and reports an entry that could not be written: its records are lost. */
  failed(entry: SpoolEntry, ioCause: unknown): void {
    this.#ledger.lost(entry.count, entry.bytes);
    const error = new FiatError(
      'IO_FAILED',
      `could not write the spool under ${this.#spool.dir}: ${entry.count} records for ${entry.deliveryStream} are lost (${(ioCause as Error).message})`,
      { cause: ioCause },
    );
    this.#ioError = error;
    this.#report(error);
  }
}
