// Owns a logger's write-ahead log in disk mode: the folder's lock, the recovery of what a previous process left, the
// synchronous append of every stored line before log() returns (with group commit), and the removal of segments
// once the transport has delivered (or spooled) their records. ValidatedLog calls it from log/flush/close/exit.
import { join } from 'node:path';
import { FiatError } from '../errors.js';
import { acquireLockFile, describeHolder, type LockFile } from '../lockFile.js';
import type { CloseReport, Transport, TransportRecord, TransportStats } from '../transport.js';
import { encodeLastFrame, encodeRecordFrame, encodeStreamFrame, FrameBuffer } from './frame.js';
import { GroupCommit } from './GroupCommit.js';
import type { ResolvedWalOptions } from './options.js';
import { RecoveryFeed, type WalRecovery } from './RecoveryFeed.js';
import { CORRUPT_SUFFIX, listSegments, segmentName, type Segment } from './segments.js';
import { nodeWalFs, type WalFs } from './walFs.js';

/** The lock file's name inside a write-ahead folder. */
export const WAL_LOCK_FILE = '.lock';

/** Counters of a write-ahead log (`stats().wal`). */
export interface WalStats {
  /** The logger's write-ahead folder. */
  readonly dir: string;
  /** Records appended by this process (taken back ones excluded). */
  readonly records: number;
  /** Bytes appended by this process, frames included. */
  readonly bytes: number;
  /** `fdatasync` rounds completed (one covers every record appended in its window). */
  readonly syncs: number;
  /** Bytes appended but not yet covered by a completed `fdatasync` (what a power cut could lose now). */
  readonly unsyncedBytes: number;
  /** Milliseconds since the oldest append not yet covered by a completed `fdatasync` (0 when none). */
  readonly syncLagMs: number;
  /** Segment files on disk (waiting for their records to be delivered, or kept). */
  readonly segments: number;
  /** Records in those segments not yet known to be delivered (they would be delivered again after a crash). */
  readonly waitingRecords: number;
  /** Bytes of those segment files. */
  readonly diskBytes: number;
  /** Records recovered at `configure` from a previous process and handed to the transport. */
  readonly recovered: number;
  /** Segment files deleted once their records were delivered. */
  readonly released: number;
  /** Appends and `fdatasync` rounds that failed (each reported). */
  readonly failures: number;
}

/** Options of {@link WriteAheadLog.open}. */
export interface WriteAheadLogOptions extends ResolvedWalOptions {
  readonly transport: Transport;
  /** Receives problems that no caller is waiting for; must not throw (a throwing one is ignored). */
  readonly onError?: (error: FiatError) => void;
  /** Clock for segment ages, in epoch milliseconds. Default: `Date.now`. */
  readonly clock?: () => number;
  /** File-system calls (tests inject failures). Default: the real file system. */
  readonly fs?: WalFs;
}


function describe(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}

/** Records the transport dropped (neither delivered nor spooled), from its stats when it counts them. */
function lostOf(stats: TransportStats): number {
  const lost = (stats as { lost?: unknown }).lost;
  return typeof lost === 'number' ? lost : 0;
}

/** True when every record the transport received is delivered, or spooled to disk (the Firehose transport). */
function allSettled(stats: TransportStats): boolean {
  const spooled = (stats as { spooled?: unknown }).spooled;
  return stats.pending === 0 && stats.delivered + (typeof spooled === 'number' ? spooled : 0) === stats.received;
}

/**
 * A logger's write-ahead log (`durability: 'disk'`). `open` takes the folder's lock, hands what a previous process
 * left to the transport, and returns the log; `append` makes each stored line durable before `log()` returns.
 *
 * @example
 * ```ts
 * const wal = WriteAheadLog.open({ ...resolveWalOptions({ durability: 'disk' }, 'billing')!, transport });
 * wal.append(record); transport.write(record);
 * await wal.flush(); // fdatasync'd, delivered, and the delivered segments deleted
 * ```
 */
export class WriteAheadLog {
  readonly dir: string;
  /** What was recovered from a previous process at open (its `lastLines` let a hash chain continue). */
  readonly recovery: WalRecovery;
  readonly #options: WriteAheadLogOptions;
  readonly #fs: WalFs;
  readonly #clock: () => number;
  readonly #transport: Transport;
  readonly #lock: Extract<LockFile, { acquired: true }>;
  readonly #commit: GroupCommit;
  readonly #frames = new FrameBuffer();
  /** Segments closed (or recovered) whose records may not be delivered yet, oldest first. */
  readonly #closed: Segment[] = [];
  readonly #timer: NodeJS.Timeout;
  #active: Segment | undefined;
  #lastSeq: number;
  /** Undo information of the last append (its segment, the size before, a stream it declared), fields not an object: no allocation per record. */
  #lastSegment: Segment | undefined;
  #lastSize = 0;
  #lastDeclared: TransportRecord['names'] | undefined;
  /** The last append's stream and that stream's latest record before it (restored if it is taken back). */
  #lastStream = '';
  #lastPrevious: TransportRecord | undefined;
  /**
   * Each stream's latest record (by stream name), appended or recovered. Every segment starts with them as "last
   * line" frames, so that the log always knows them — e.g. to continue a hash chain after a crash — even once their
   * records were delivered and their segments deleted.
   */
  readonly #latest = new Map<string, TransportRecord>();
  /** Records handed to the transport through this log (appended or recovered): a segment's `end` is a value of it. */
  #handed = 0;
  #records = 0;
  #appendFailures = 0;
  #released = 0;
  #recovering: Promise<void> | undefined;
  #releasing: Promise<void> | undefined;
  #releaseAgain = false;
  #lastReleaseAt = 0;
  #closing = false;
  /** Ends a recovery pause early (close). */
  #wake: (() => void) | undefined;

  /**
   * Opens the write-ahead log of a folder. Throws `CONFIG_INVALID` when another process (or another open logger
   * of this one) holds the folder, naming the holder; `IO_FAILED` when the folder cannot be created or read.
   */
  static open(options: WriteAheadLogOptions): WriteAheadLog {
    return new WriteAheadLog(options);
  }

  private constructor(options: WriteAheadLogOptions) {
    this.#options = options;
    this.dir = options.dir;
    this.#fs = options.fs ?? nodeWalFs;
    this.#clock = options.clock ?? Date.now;
    this.#transport = options.transport;
    this.#lock = this.#takeLock();
    this.#commit = new GroupCommit({ fs: this.#fs, dir: this.dir, syncMs: Math.max(1, options.syncMs), report: (e) => this.#report(e), clock: this.#clock });
    let files: { seq: number; name: string }[];
    try {
      files = listSegments(this.#fs, this.dir);
    } catch (cause) {
      this.#lock.release();
      throw new FiatError('IO_FAILED', `cannot read the write-ahead folder ${this.dir}: ${describe(cause)}`, { cause });
    }
    this.#lastSeq = files.at(-1)?.seq ?? 0;
    const feed = new RecoveryFeed({ fs: this.#fs, dir: this.dir, files, transport: this.#transport, report: (e) => this.#report(e), segmentDone: (s) => this.#recovered(s) });
    if (feed.feed() === 'paused') {
      // Never rejects unhandled: a failure while draining is reported, and the segments stay for the next start.
      this.#recovering = this.#drainRecovery(feed).catch((error: unknown) => this.#report(new FiatError('IO_FAILED', `write-ahead recovery in ${this.dir} stopped: ${describe(error)}`, { cause: error })));
    }
    this.recovery = feed.recovery;
    for (const [stream, record] of feed.lastRecords) this.#latest.set(stream, record);
    if (files.length > 0 && this.#recovering === undefined) this.#startRelease();
    this.#timer = setInterval(() => this.#tick(), Math.min(options.segmentMs, 1000));
    this.#timer.unref();
  }

  #takeLock(): Extract<LockFile, { acquired: true }> {
    try {
      this.#fs.mkdirp(this.dir);
    } catch (cause) {
      throw new FiatError('IO_FAILED', `cannot create the write-ahead folder ${this.dir}: ${describe(cause)}`, { cause });
    }
    const lock = acquireLockFile(join(this.dir, WAL_LOCK_FILE));
    if (!lock.acquired) {
      throw new FiatError(
        'CONFIG_INVALID',
        `the write-ahead folder ${this.dir} is in use by ${describeHolder(lock.holder)}: two loggers cannot share one; close() the other, or give this logger its own walDir (or app)`,
      );
    }
    return lock;
  }

  /**
   * Appends a stored line (the final bytes the transport will store) and, with `walSyncMs: 0`, fdatasyncs it.
   * Synchronous: when it returns, the line is in the operating system's page cache (it survives SIGKILL), and on
   * disk within `walSyncMs`. Throws `IO_FAILED` when it cannot be written, with nothing left in the log.
   */
  append(record: TransportRecord): void {
    if (this.#active !== undefined && this.#active.bytes >= this.#options.segmentBytes) this.#rotate();
    const segment = this.#active ?? this.#openSegment();
    const sizeBefore = segment.bytes;
    const declared = segment.streams.has(record.names) ? undefined : record.names;
    const ref = this.#declare(segment, record.names, sizeBefore);
    const length = encodeRecordFrame(this.#frames, ref, record.time, record.line);
    try {
      this.#writeAll(segment, this.#frames.buffer, sizeBefore, length);
    } catch (error) {
      if (declared !== undefined) segment.streams.delete(declared);
      throw error;
    } finally {
      this.#frames.trim();
    }
    this.#lastSegment = segment;
    this.#lastSize = sizeBefore;
    this.#lastDeclared = declared;
    this.#lastStream = record.names.stream;
    this.#lastPrevious = this.#latest.get(record.names.stream);
    this.#latest.set(record.names.stream, record);
    segment.records += 1;
    segment.end = ++this.#handed;
    this.#records += 1;
    this.#commit.appended(segment.fd!, segment.bytes - sizeBefore);
    if (this.#options.syncMs === 0) this.#syncNow();
  }

  /** fdatasync now (walSyncMs 0); on failure the record is taken back and `IO_FAILED` thrown. */
  #syncNow(): void {
    try {
      this.#commit.syncNowSync();
    } catch (error) {
      this.undoLast();
      this.#appendFailures += 1;
      throw error;
    }
  }

  /** Takes back the last append (the transport refused the record, so it must not be delivered later). */
  undoLast(): void {
    const segment = this.#lastSegment;
    this.#lastSegment = undefined;
    if (segment === undefined || segment !== this.#active) return;
    try {
      this.#fs.truncate(segment.fd!, this.#lastSize);
    } catch (cause) {
      this.#report(new FiatError('IO_FAILED', `could not take back a refused record from ${segment.path} (${describe(cause)}): it may be delivered at the next start`, { cause }));
      this.#rotate();
      return;
    }
    segment.bytes = this.#lastSize;
    segment.records -= 1;
    segment.end = --this.#handed;
    this.#records -= 1;
    if (this.#lastDeclared !== undefined) segment.streams.delete(this.#lastDeclared);
    if (this.#lastPrevious === undefined) this.#latest.delete(this.#lastStream);
    else this.#latest.set(this.#lastStream, this.#lastPrevious);
    this.#commit.touched(segment.fd!);
  }

  /** Writes `length` bytes of `data` at the end of `segment`; on failure truncates back to `sizeBefore` and throws. */
  #writeAll(segment: Segment, data: Buffer, sizeBefore: number, length = data.length): void {
    const fd = segment.fd!;
    try {
      for (let done = 0; done < length; ) done += this.#fs.write(fd, data, done, length - done);
      segment.bytes += length;
    } catch (cause) {
      this.#appendFailures += 1;
      try {
        this.#fs.truncate(fd, sizeBefore);
        segment.bytes = sizeBefore;
      } catch {
        // The partial frame stays at the end of this segment: close it, so that it remains a torn tail there.
        segment.bytes = sizeBefore;
        this.#rotate();
      }
      throw new FiatError('IO_FAILED', `the record could not be made durable: writing the write-ahead log ${segment.path} failed: ${describe(cause)}`, { cause });
    }
  }

  /** The segment's ref of a stream, declaring it (an `s` frame) first if needed. */
  #declare(segment: Segment, names: TransportRecord['names'], sizeBefore: number): number {
    let ref = segment.streams.get(names);
    if (ref === undefined) {
      ref = segment.streams.size;
      this.#writeAll(segment, encodeStreamFrame(ref, names), sizeBefore);
      segment.streams.set(names, ref);
    }
    return ref;
  }

  /** Writes each stream's latest line (`l` frames) at the start of a fresh or emptied segment. Throws IO_FAILED. */
  #writeLatest(segment: Segment): void {
    const sizeBefore = segment.bytes;
    try {
      for (const record of this.#latest.values()) {
        const ref = this.#declare(segment, record.names, sizeBefore);
        this.#writeAll(segment, this.#frames.buffer, sizeBefore, encodeLastFrame(this.#frames, ref, record.time, record.line));
      }
    } catch (error) {
      segment.streams.clear();
      throw error;
    }
    if (segment.bytes > sizeBefore) this.#commit.appended(segment.fd!, segment.bytes - sizeBefore);
  }

  #openSegment(): Segment {
    const seq = this.#lastSeq + 1;
    const path = join(this.dir, segmentName(seq));
    let fd: number;
    try {
      fd = this.#fs.openAppend(path);
    } catch (cause) {
      this.#appendFailures += 1;
      throw new FiatError('IO_FAILED', `the record could not be made durable: cannot create the write-ahead segment ${path}: ${describe(cause)}`, { cause });
    }
    this.#lastSeq = seq;
    this.#commit.created();
    const segment: Segment = { seq, path, fd, bytes: 0, records: 0, end: this.#handed, openedAt: this.#clock(), streams: new Map(), kept: false, corrupt: false };
    this.#active = segment;
    this.#writeLatest(segment);
    return segment;
  }

  /** Closes the active segment (if it holds anything) and starts a release: flush the transport, delete what it covers. */
  #rotate(): void {
    const segment = this.#active;
    if (segment === undefined) return;
    this.#active = undefined;
    this.#lastSegment = undefined;
    this.#commit.retire(segment.fd!);
    segment.fd = undefined;
    this.#closed.push(segment);
    if (!this.#closing) this.#startRelease();
  }

  /** A recovered segment was handed over: it is released by the next transport flush that starts after now. */
  #recovered(segment: Segment): void {
    segment.end = this.#handed += segment.records;
    this.#closed.push(segment);
  }

  /** The transport had no room for recovered records: writes them as it makes room, before anything is released. */
  async #drainRecovery(feed: RecoveryFeed): Promise<void> {
    while (!this.#closing) {
      let failed = false;
      try {
        await this.#transport.flush();
      } catch {
        failed = true; // the transport reported it
      }
      const before = feed.recovery.records;
      if (feed.feed() === 'done') break;
      if (failed || feed.recovery.records === before) await this.#pause(1000);
    }
    this.#recovering = undefined;
    if (!this.#closing) this.#startRelease();
  }

  /** Waits `ms` (without keeping the process alive), or until close() wakes it. */
  #pause(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(() => resolve(), ms);
      timer.unref();
      this.#wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  /**
   * Resolves once an fdatasync covers every record appended before the call and the transport has delivered (or
   * spooled) them; then deletes the segments that flush covered. Rejects with the transport's or the sync's error.
   */
  async flush(): Promise<void> {
    if (this.#recovering !== undefined) await this.#recovering;
    const mark = this.#handed;
    const lost = lostOf(this.#transport.stats());
    await Promise.all([this.#commit.sync(), this.#transport.flush()]);
    this.#release(mark, lost);
  }

  /** Flushes the transport in the background and deletes what it covered. Never rejects. */
  #startRelease(): void {
    if (this.#releasing !== undefined) {
      this.#releaseAgain = true;
      return;
    }
    this.#lastReleaseAt = this.#clock();
    const mark = this.#handed;
    const run = async (): Promise<void> => {
      const lost = lostOf(this.#transport.stats());
      await this.#transport.flush();
      this.#release(mark, lost);
    };
    this.#releasing = run()
      .catch(() => undefined) // the transport reported its failure; the segments wait for the next release
      .finally(() => {
        this.#releasing = undefined;
        if (this.#releaseAgain && !this.#closing) {
          this.#releaseAgain = false;
          this.#startRelease();
        }
      });
  }

  /**
   * Deletes the segments whose records were all handed over before `mark`, now that a transport flush started
   * after them resolved — unless the transport dropped records meanwhile (its `lost` grew): then they are kept
   * for the next start, which delivers them again.
   */
  #release(mark: number, lostBefore: number): void {
    if (lostOf(this.#transport.stats()) > lostBefore) return this.#keepCovered(mark);
    for (const segment of [...this.#closed]) {
      if (segment.end > mark || segment.kept) continue;
      if (this.#remove(segment)) this.#closed.splice(this.#closed.indexOf(segment), 1);
    }
    const active = this.#active;
    if (active !== undefined && active.records > 0 && active.end <= mark) this.#empty(active);
    else if (active === undefined && this.#latest.size > 0 && this.#closed.length === 0 && !this.#closing) this.#keepLatest(() => this.#openSegment());
  }

  #keepCovered(mark: number): void {
    const covered = this.#closed.filter((s) => s.end <= mark && !s.kept);
    for (const segment of covered) segment.kept = true;
    if (this.#active !== undefined && this.#active.end <= mark) {
      this.#active.kept = true;
      this.#rotate();
    }
    this.#report(new FiatError('DELIVERY_FAILED', `the ${this.#transport.kind} transport dropped records: the write-ahead segments that may hold them are kept in ${this.dir} and delivered again at the next start`));
  }

  /** Deletes (or, when damaged, renames aside) a segment whose records are delivered; false if that failed. */
  #remove(segment: Segment): boolean {
    try {
      if (segment.corrupt) this.#fs.rename(segment.path, `${segment.path}${CORRUPT_SUFFIX}`);
      else this.#fs.unlink(segment.path);
      this.#released += 1;
      return true;
    } catch (cause) {
      if ((cause as { code?: string }).code === 'ENOENT') return true;
      this.#report(new FiatError('IO_FAILED', `could not delete the delivered write-ahead segment ${segment.path}: ${describe(cause)} (its records would be delivered again after a crash)`, { cause }));
      return false;
    }
  }

  /** Empties the active segment in place (all its records are delivered): cheaper than a new file per flush. */
  #empty(segment: Segment): void {
    try {
      this.#fs.truncate(segment.fd!, 0);
    } catch {
      this.#rotate(); // deleted by the next release instead
      return;
    }
    segment.bytes = 0;
    segment.records = 0;
    segment.streams.clear();
    segment.openedAt = this.#clock();
    this.#lastSegment = undefined;
    this.#commit.touched(segment.fd!);
    this.#keepLatest(() => this.#writeLatest(segment));
  }

  /** Writes the streams' latest lines (see #latest); a failure is reported (the records themselves are delivered). */
  #keepLatest(write: () => unknown): void {
    try {
      write();
    } catch (error) {
      this.#report(new FiatError('IO_FAILED', `could not keep the streams' latest lines in ${this.dir}: ${describe(error)}`, { cause: error }));
    }
  }

  /** Runs every second at most; never throws. Closes an aged segment, retries a release that failed. */
  #tick(): void {
    try {
      const now = this.#clock();
      const active = this.#active;
      if (active !== undefined && active.records > 0 && (now - active.openedAt >= this.#options.segmentMs || active.bytes >= this.#options.segmentBytes)) {
        this.#rotate();
      } else if (this.#closed.some((s) => !s.kept) && this.#recovering === undefined && now - this.#lastReleaseAt >= this.#options.segmentMs) {
        this.#startRelease();
      }
    } catch (cause) {
      this.#report(new FiatError('IO_FAILED', `the write-ahead log's timer failed: ${describe(cause)}`, { cause }));
    }
  }

  /**
   * Syncs, closes the transport (with `options`), and — when the transport delivered or spooled everything — deletes
   * every segment; otherwise they stay for the next start. Releases the folder's lock. Never rejects for the log.
   */
  async close(options?: { readonly timeoutMs?: number }): Promise<CloseReport> {
    this.#closing = true;
    clearInterval(this.#timer);
    this.#commit.stop();
    this.#wake?.();
    try {
      if (this.#recovering !== undefined) await this.#recovering;
      await this.#commit.sync().catch((error: FiatError) => this.#report(error));
      const report = await this.#transport.close(options);
      if (this.#releasing !== undefined) await this.#releasing;
      this.#finish();
      return report;
    } finally {
      this.#commit.closeAll();
      this.#lock.release();
    }
  }

  /**
   * The process 'exit' handler's part: fdatasyncs what is unsynced, has the transport write everything
   * synchronously (`flushSync`), deletes the segments when everything was delivered or spooled, and releases the
   * lock. Never throws.
   */
  exitSync(): void {
    this.#closing = true;
    clearInterval(this.#timer);
    this.#commit.stop();
    try {
      this.#commit.syncNowSync();
    } catch (error) {
      this.#report(error as FiatError);
    }
    try {
      this.#transport.flushSync?.();
      this.#finish();
    } catch {
      // Nothing can be reported any more; the segments stay for the next start.
    }
    this.#commit.closeAll();
    this.#lock.release();
  }

  /** After a close: deletes every segment if the transport settled everything, else says what is kept. */
  #finish(): void {
    if (this.#active !== undefined) this.#rotate();
    const kept = this.#closed.filter((s) => s.kept).length;
    if (kept === 0 && allSettled(this.#transport.stats())) {
      this.#commit.closeAll();
      for (const segment of [...this.#closed]) if (this.#remove(segment)) this.#closed.splice(this.#closed.indexOf(segment), 1);
      return;
    }
    if (this.#closed.length > 0) {
      this.#report(new FiatError('DELIVERY_FAILED', `${this.#closed.length} write-ahead segment(s) with records not known to be delivered stay in ${this.dir}: they are delivered at the next configure with this folder`));
    }
  }

  /**
   * The latest line of a stream (by stream name) this log holds, appended by this process or recovered from the
   * previous one, also when it was delivered already; `undefined` when none.
   *
   * @example
   * ```ts
   * const line = wal.latestLine('Audit'); // '{"event_id":"…",…,"chain_seq":41,"chain_hash":"…"}\n'
   * ```
   */
  latestLine(stream: string): string | undefined {
    return this.#latest.get(stream)?.line;
  }

  /** Counters for `stats().wal`. */
  stats(): WalStats {
    const segments = [...this.#closed, ...(this.#active === undefined ? [] : [this.#active])];
    return {
      dir: this.dir,
      records: this.#records,
      bytes: this.#commit.appendedBytes,
      syncs: this.#commit.syncs,
      unsyncedBytes: this.#commit.appendedBytes - this.#commit.syncedBytes,
      syncLagMs: this.#commit.lagMs(),
      segments: segments.length,
      waitingRecords: segments.reduce((n, s) => n + s.records, 0),
      diskBytes: segments.reduce((n, s) => n + s.bytes, 0),
      recovered: this.recovery.records,
      released: this.#released,
      failures: this.#appendFailures + this.#commit.failures,
    };
  }

  #report(error: FiatError): void {
    try {
      this.#options.onError?.(error);
    } catch {
      // An onError that throws must not break the log; the problem is counted in stats() already.
    }
  }
}
