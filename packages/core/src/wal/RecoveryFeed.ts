// Owns the delivery of what a previous process left in a write-ahead folder: reads its segments one at a time (so
// memory holds at most one segment), checks every frame, and hands each record to the transport byte for byte, in
// the order it was written, before any new record.
import { join } from 'node:path';
import { FiatError, isFiatError } from '../errors.js';
import { resolveStreamNames, type StreamNames } from '../names.js';
import type { Transport, TransportRecord } from '../transport.js';
import { SegmentReader, type Frame } from './frame.js';
import type { Segment } from './segments.js';
import type { WalFs } from './walFs.js';

/** What was recovered at `configure` from a previous process's write-ahead files. */
export interface WalRecovery {
  /** Records found and handed to the transport (delivered again: at-least-once). */
  readonly records: number;
  /** Segment files found. */
  readonly segments: number;
  /** Damaged frames skipped (their segments are kept as `.corrupt`); each segment's count went to `onError`. */
  readonly corrupt: number;
  /** Bytes of writes cut by the crash (a frame without its newline at a segment's end), dropped. */
  readonly tornBytes: number;
  /**
   * The latest stored line of each stream the previous process wrote, by stream name — also when that record was
   * already delivered (the log keeps each stream's latest line for this) — e.g. to continue a hash chain from its
   * `chain_seq` and `chain_hash`. Empty when the previous process closed cleanly (or there was none).
   */
  readonly lastLines: ReadonlyMap<string, string>;
}

/** Where a feed stands: done, or paused because the transport refused a record for lack of room. */
export type FeedState = 'done' | 'paused';

const EVENT_ID_START = '{"event_id":"';

/** The `event_id` of a stored line (the envelope writes it first). */
function eventIdOf(line: string): string {
  if (line.startsWith(EVENT_ID_START) && line.charCodeAt(EVENT_ID_START.length + 36) === 0x22) {
    return line.slice(EVENT_ID_START.length, EVENT_ID_START.length + 36);
  }
  const parsed = JSON.parse(line) as { event_id?: unknown };
  return typeof parsed.event_id === 'string' ? parsed.event_id : '';
}

/** Stream names read back from a segment, validated as configure validates them (they reach paths). */
function checkedNames(value: unknown): StreamNames | undefined {
  const v = value as Partial<StreamNames> | null;
  if (typeof v !== 'object' || v === null || typeof v.stream !== 'string') return undefined;
  try {
    const names = resolveStreamNames(v.stream, { table: v.table!, prefix: v.prefix!, deliveryStream: v.deliveryStream! });
    return names.table === v.table && names.prefix === v.prefix && names.deliveryStream === v.deliveryStream ? names : undefined;
  } catch {
    return undefined;
  }
}

/** Options of a {@link RecoveryFeed}. */
export interface RecoveryFeedOptions {
  readonly fs: WalFs;
  readonly dir: string;
  readonly files: readonly { seq: number; name: string }[];
  readonly transport: Transport;
  readonly report: (error: FiatError) => void;
  /** Called once every record of a segment was handed over (or skipped), with that segment. */
  readonly segmentDone: (segment: Segment) => void;
}

/**
 * Hands the records of leftover segments to a transport.
 *
 * @example
 * ```ts
 * const feed = new RecoveryFeed({ fs, dir, files: listSegments(fs, dir), transport, report, segmentDone });
 * if (feed.feed() === 'paused') await transport.flush(); // then feed() again
 * ```
 */
export class RecoveryFeed {
  readonly #options: RecoveryFeedOptions;
  readonly #lastLines = new Map<string, string>();
  /** The same latest lines as records (names and time too), for the new process to keep. */
  readonly lastRecords = new Map<string, TransportRecord>();
  #file = 0;
  #segment: Segment | undefined;
  #reader: SegmentReader | undefined;
  /** A frame read but not handed over yet (the transport was full). */
  #pending: Frame | undefined;
  #names = new Map<number, StreamNames>();
  #records = 0;
  #corrupt = 0;
  #tornBytes = 0;

  constructor(options: RecoveryFeedOptions) {
    this.#options = options;
  }

  /** What was recovered so far. */
  get recovery(): WalRecovery {
    return { records: this.#records, segments: this.#options.files.length, corrupt: this.#corrupt, tornBytes: this.#tornBytes, lastLines: this.#lastLines };
  }

  /** Hands records over until every segment is done, or the transport refuses one for lack of room (`'paused'`). */
  feed(): FeedState {
    for (;;) {
      if (this.#segment === undefined && !this.#open()) return 'done';
      const segment = this.#segment!;
      const reader = this.#reader!;
      for (let frame = this.#pending ?? reader.next(); frame !== undefined; frame = reader.next()) {
        this.#pending = undefined;
        if (frame.kind === 'stream') this.#declare(segment, frame.ref, frame.names);
        else if (frame.kind === 'last') this.#remember(segment, frame);
        else if (!this.#handOver(segment, frame)) {
          this.#pending = frame;
          return 'paused';
        }
      }
      this.#tornBytes += reader.tornBytes;
      if (reader.corrupt > 0) this.#damaged(segment, reader.corrupt, `${reader.corrupt} damaged frame(s)`);
      this.#segment = undefined;
      this.#reader = undefined;
      this.#options.segmentDone(segment);
    }
  }

  /** Reads the next segment; false when none is left. An unreadable one is reported and kept. */
  #open(): boolean {
    while (this.#file < this.#options.files.length) {
      const { seq, name } = this.#options.files[this.#file++]!;
      const path = join(this.#options.dir, name);
      const segment: Segment = { seq, path, fd: undefined, bytes: 0, records: 0, end: 0, openedAt: 0, streams: new Map(), kept: false, corrupt: false };
      let data: Buffer;
      try {
        data = this.#options.fs.read(path);
      } catch (cause) {
        this.#options.report(new FiatError('IO_FAILED', `cannot read the write-ahead segment ${path}: ${String((cause as Error).message)}; it is kept for the next start`, { cause }));
        segment.kept = true;
        this.#options.segmentDone(segment);
        continue;
      }
      segment.bytes = data.length;
      this.#segment = segment;
      this.#reader = new SegmentReader(data);
      this.#names = new Map();
      return true;
    }
    return false;
  }

  #declare(segment: Segment, ref: number, value: unknown): void {
    const names = checkedNames(value);
    if (names === undefined) this.#damaged(segment, 1, `a stream declaration with invalid names (${JSON.stringify(value).slice(0, 200)})`);
    else this.#names.set(ref, names);
  }

  /** The record a line frame stands for, or undefined (reported) when it is damaged. */
  #recordOf(segment: Segment, frame: Extract<Frame, { kind: 'record' | 'last' }>): TransportRecord | undefined {
    const names = this.#names.get(frame.ref);
    if (names === undefined) {
      this.#damaged(segment, 1, `a line of undeclared stream #${frame.ref}`);
      return undefined;
    }
    try {
      return { names, line: frame.line, eventId: eventIdOf(frame.line), time: frame.time };
    } catch {
      this.#damaged(segment, 1, 'a line that is not JSON');
      return undefined;
    }
  }

  /** A stream's latest line, already delivered: remembered, not delivered again. */
  #remember(segment: Segment, frame: Extract<Frame, { kind: 'last' }>): void {
    const record = this.#recordOf(segment, frame);
    if (record === undefined) return;
    this.#lastLines.set(record.names.stream, record.line);
    this.lastRecords.set(record.names.stream, record);
  }

  /** Hands one record over; false when the transport has no room even after writing out what it holds. */
  #handOver(segment: Segment, frame: Extract<Frame, { kind: 'record' }>): boolean {
    const record = this.#recordOf(segment, frame);
    if (record === undefined) return true;
    const outcome = this.#write(record);
    if (outcome === 'full') return false;
    if (outcome === 'written') {
      this.#records += 1;
      segment.records += 1;
      this.#lastLines.set(record.names.stream, record.line);
      this.lastRecords.set(record.names.stream, record);
    } else {
      segment.kept = true;
    }
    return true;
  }

  /** Writes a record; on `BUFFER_FULL` writes out what the transport holds (flushSync) and tries once more. */
  #write(record: TransportRecord): 'written' | 'full' | 'refused' {
    const transport = this.#options.transport;
    for (let attempt = 0; ; attempt += 1) {
      try {
        transport.write(record);
        return 'written';
      } catch (error) {
        if (isFiatError(error, 'BUFFER_FULL')) {
          if (attempt > 0 || transport.flushSync === undefined) return 'full';
          try {
            transport.flushSync();
          } catch {
            return 'full'; // written out later: the recovery pauses and tries again
          }
          continue;
        }
        this.#options.report(
          new FiatError('DELIVERY_FAILED', `the ${transport.kind} transport refused a recovered ${record.names.stream} record (${describe(error)}); its segment is kept for the next start`, { cause: error }),
        );
        return 'refused';
      }
    }
  }

  #damaged(segment: Segment, count: number, what: string): void {
    this.#corrupt += count;
    segment.corrupt = true;
    this.#options.report(new FiatError('IO_FAILED', `write-ahead segment ${segment.path} holds ${what}, skipped; the file is kept as ${segment.path}.corrupt`));
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
