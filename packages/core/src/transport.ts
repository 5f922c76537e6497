import type { StreamNames } from './names.js';

/** One encoded record handed to a transport. */
export interface TransportRecord {
  /** Where the record goes: table, prefix and delivery stream. */
  readonly names: StreamNames;
  /** The stored JSON line, ending with `\n`. */
  readonly line: string;
  /** The record's `event_id`, kept across retries so duplicates can be removed downstream. */
  readonly eventId: string;
  /** Epoch milliseconds when the record was logged (its arrival time, as Firehose counts it). */
  readonly time: number;
}

/** Counters a transport keeps; every record logged ends in exactly one of these outcomes or is still pending. */
export interface TransportStats {
  /** Records handed to the transport. */
  readonly received: number;
  /** Records durably written (a lake file renamed into place, or acknowledged by Firehose). */
  readonly delivered: number;
  /** Records neither delivered nor failed yet (buffered or in flight). */
  readonly pending: number;
  /** Records that could not be written and were kept for a retry or spooled. */
  readonly failed: number;
  /** Files (local) or Firehose records written. */
  readonly objects: number;
  /** Uncompressed bytes of the records delivered. */
  readonly bytes: number;
}

/** What `close()` reports. */
export interface CloseReport {
  /** Records delivered over the transport's life. */
  readonly delivered: number;
  /** Records that could not be delivered before closing (their location is given by the transport). */
  readonly undelivered: number;
}

/**
 * Where encoded records go. `write` must be synchronous and cheap; buffering and I/O happen
 * behind it. Implement this to plug in your own destination.
 *
 * @example
 * ```ts
 * const lines: string[] = [];
 * const memory: Transport = {
 *   kind: 'memory',
 *   write: (record) => void lines.push(record.line),
 *   flush: async () => {},
 *   close: async () => ({ delivered: lines.length, undelivered: 0 }),
 *   stats: () => ({ received: lines.length, delivered: lines.length, pending: 0, failed: 0, objects: 0, bytes: 0 }),
 * };
 * const logger = ValidatedLog.configure(memory, { app: 'demo', email: 'a@b.c', streams: [Audit] });
 * ```
 */
export interface Transport {
  /** A short name for messages, e.g. `local` or `firehose`. */
  readonly kind: string;
  /** Takes one record. Never throws for delivery problems; those surface through `flush` and `onError`. */
  write(record: TransportRecord): void;
  /** Resolves when every record written before the call is delivered (or spooled). */
  flush(): Promise<void>;
  /**
   * Writes everything still buffered synchronously (called from a process 'exit' handler, where no
   * promise can settle any more). Optional: transports without it lose what they buffer on `process.exit()`.
   */
  flushSync?(): void;
  /** Flushes, stops timers and intake, and reports what could not be delivered. */
  close(options?: { readonly timeoutMs?: number }): Promise<CloseReport>;
  stats(): TransportStats;
}
