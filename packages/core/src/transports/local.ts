import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, renameSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { moveIntoPlace, writeFileAtomic, writeFileAtomicSync, writeTempFile } from '../atomicFile.js';
import { FiatError } from '../errors.js';
import { DATA_DIRS, resolveDataDir, type DataDirContext } from '../dataDirs.js';
import { positiveNumber } from '../env.js';
import type { StreamNames } from '../names.js';
import { BufferPool } from '../firehose/BufferPool.js';
import type { CloseReport, Transport, TransportRecord, TransportStats } from '../transport.js';
import { appendLine, compressLakeBuffer, compressLakeBufferAsync, gzippedNow, lakeBufferWeight, newLakeBuffer, type LakeBuffer } from './lakeBuffer.js';
import { removeStaleTempFiles, STALE_TEMP_AGE_MS } from './staleTemp.js';

/** Chunks that buffered lines are written into: 256 KiB (less for smaller files), reused once a file is compressed. */
const CHUNK_BYTES = 256 * 1024;
const MIN_CHUNK_BYTES = 4 * 1024;

/** Default size at which a lake file is written: 1 MiB of uncompressed records, as Firehose's 1 MB hint. */
export const DEFAULT_LOCAL_BUFFER_BYTES = 1024 * 1024;
/** Default age at which a lake file is written: 60 s, as Firehose's 60 s hint. */
export const DEFAULT_LOCAL_BUFFER_INTERVAL_MS = 60_000;
/** Default bound of the local transport's memory: 64 MiB, as the Firehose transport's. */
export const DEFAULT_LOCAL_MAX_BUFFER_BYTES = 64 * 1024 * 1024;
/** Default lake folder when neither `lakeDir` nor `FIAT_LAKE_DIR` is set, outside AWS Lambda (there: `/tmp/fiat-lake`). */
export const DEFAULT_LAKE_DIR = DATA_DIRS.lake.local;

/** Options of the embedded local lake transport. */
export interface LocalTransportOptions {
  /** Folder of the lake. Default: `FIAT_LAKE_DIR`, else `/tmp/fiat-lake` in AWS Lambda, else `.fiat/lake` (relative to the working directory). */
  readonly lakeDir?: string;
  /** Uncompressed bytes per stream before a file is written. Default: 1 MiB. */
  readonly bufferBytes?: number;
  /** Milliseconds before a stream's buffered records are written anyway (and failed files retried). Default: 60,000. */
  readonly bufferIntervalMs?: number;
  /**
   * gzip level, 1 (fastest) to 9 (smallest). Default: 1 — measured on audit records, level 1 compresses
   * about twice as fast as zlib's default 6 for files about 14% larger.
   */
  readonly compressionLevel?: number;
  /**
   * Bytes of records in memory: buffered, being compressed or written, and kept after a failed write.
   * Default: 64 MiB.
   */
  readonly maxBufferBytes?: number;
  /**
   * Past `maxBufferBytes`: `'block'` writes lake files synchronously in `log()` (backpressure: the
   * producer slows down, memory stays bounded, nothing is refused), or `'throw'` a `BUFFER_FULL`
   * `FiatError` from `log()`. `'block'` is the local counterpart of the Firehose transport's `'spool'`.
   * Default: `'block'`.
   */
  readonly onFull?: 'block' | 'throw';
  /** Called when writing a file fails or records are dropped; a throwing `onError` is ignored. Default: none. */
  readonly onError?: (error: FiatError) => void;
  /** Clock for the age of buffers and of leftover temporary files, in epoch milliseconds. Default: `Date.now`. */
  readonly clock?: () => number;
}

/** Counters of the local transport: `received = delivered + failed + lost + pending`. */
export interface LocalTransportStats extends TransportStats {
  /** Records dropped because their file could not be written while memory was full (each reported through `onError`). */
  readonly lost: number;
  /** Bytes of records in memory: buffered, being written, or kept after a failed write. */
  readonly bufferedBytes: number;
  /** The highest `bufferedBytes` seen; never above `maxBufferBytes`. */
  readonly peakBufferedBytes: number;
  /** Lake files written synchronously (backpressure, or `flushSync`). */
  readonly syncWrites: number;
}

/** What the local transport's `close()` reports. */
export interface LocalCloseReport extends CloseReport {
  /** Records dropped over the transport's life (included in `undelivered`). */
  readonly lost: number;
}

/** The embedded local lake transport. */
export interface LocalTransport extends Transport {
  readonly kind: 'local';
  /** The absolute lake folder. */
  readonly lakeDir: string;
  flushSync(): void;
  close(options?: { readonly timeoutMs?: number }): Promise<LocalCloseReport>;
  stats(): LocalTransportStats;
}

/**
 * Resolves the lake folder: the option, else `FIAT_LAKE_DIR`, else `/tmp/fiat-lake` in AWS Lambda
 * (`AWS_LAMBDA_FUNCTION_NAME` set), else `.fiat/lake`, as an absolute path (see `resolveDataDir`).
 *
 * @example
 * ```ts
 * resolveLakeDir(); // '/home/me/project/.fiat/lake'
 * ```
 */
export function resolveLakeDir(lakeDir?: string, context?: DataDirContext): string {
  return resolveDataDir('lake', lakeDir, context);
}

/**
 * The object key Firehose would give a file delivered at `time`: `<prefix>dt=YYYY-MM-DD/<stream>-1-YYYY-MM-DD-HH-mm-ss-<uuid>.gz`.
 *
 * @example
 * ```ts
 * lakeObjectKey(resolveStreamNames('Audit'), Date.UTC(2026, 10, 26, 9, 5, 7));
 * // 'audit/dt=2026-11-26/fiat-audit-1-2026-11-26-09-05-07-<uuid>.gz'
 * ```
 */
export function lakeObjectKey(names: StreamNames, time: number, id: string = randomUUID()): string {
  const iso = new Date(time).toISOString();
  const day = iso.slice(0, 10);
  const clock = `${iso.slice(11, 13)}-${iso.slice(14, 16)}-${iso.slice(17, 19)}`;
  return `${names.prefix}dt=${day}/${names.deliveryStream}-1-${day}-${clock}-${id}.gz`;
}

/**
 * Writes a gzip file so that it appears at `target` only complete: written and fsync'd under
 * `<lakeDir>/_tmp/`, then renamed into place. A crash never leaves half a file in the lake.
 *
 * @example
 * ```ts
 * await writeLakeFile('/lake', lakeObjectKey(names, Date.now()), gzipSync(lines));
 * ```
 */
export async function writeLakeFile(lakeDir: string, key: string, data: Buffer): Promise<void> {
  await writeFileAtomic(lakeDir, key, data);
}

/** One asynchronous file write; `flushSync` can take it over at any stage. */
interface Job {
  readonly buffer: LakeBuffer;
  readonly key: string;
  stage: 'gzip' | 'write' | 'rename';
  /** Bytes the job counts in memory: the lines, then the gzip bytes once compressed. */
  weight: number;
  tmp?: string;
  takenOver: boolean;
  /** Never rejects: the error of a failed write, or undefined. */
  done: Promise<FiatError | undefined>;
}

/**
 * The embedded local lake: gzip NDJSON files in exactly the layout Firehose gives S3, buffered
 * by size and age like Firehose, in at most `maxBufferBytes` of memory. Files appear only
 * complete; timers never keep the process alive and never throw; no promise it makes rejects
 * unhandled. A failed write keeps its records for the next flush (within the memory bound) and is
 * reported to `onError` and `stats()`.
 *
 * @example
 * ```ts
 * const transport = createLocalTransport({ lakeDir: '/tmp/lake', bufferIntervalMs: 1000 });
 * const logger = ValidatedLog.configure(transport, { app: 'demo', email: 'me@example.com', streams: [Audit] });
 * ```
 */
export function createLocalTransport(options: LocalTransportOptions = {}): LocalTransport {
  return new LocalLake(options);
}

class LocalLake implements LocalTransport {
  readonly kind = 'local' as const;
  readonly lakeDir: string;
  readonly #bufferBytes: number;
  readonly #intervalMs: number;
  readonly #level: number;
  readonly #maxBufferBytes: number;
  readonly #onFull: 'block' | 'throw';
  readonly #onError: ((error: FiatError) => void) | undefined;
  readonly #clock: () => number;
  readonly #pool: BufferPool;
  /** Free chunks the timer's trim always keeps: one file's worth. */
  readonly #poolFloor: number;
  readonly #open = new Map<string, LakeBuffer>();
  readonly #jobs = new Set<Job>();
  readonly #retained: LakeBuffer[] = [];
  /** Background writes taken over by flushSync, still cleaning up their temporary file. */
  readonly #abandoned = new Set<Promise<unknown>>();
  readonly #timer: NodeJS.Timeout;
  readonly #cleanup: Promise<unknown>;
  #openBytes = 0;
  #jobBytes = 0;
  #retainedBytes = 0;
  #peak = 0;
  #received = 0;
  #delivered = 0;
  #failed = 0;
  #lost = 0;
  #objects = 0;
  #bytes = 0;
  #syncWrites = 0;
  #closed = false;

  constructor(options: LocalTransportOptions) {
    this.lakeDir = resolveLakeDir(options.lakeDir);
    this.#bufferBytes = positiveNumber(options.bufferBytes, 'bufferBytes', DEFAULT_LOCAL_BUFFER_BYTES);
    this.#intervalMs = positiveNumber(options.bufferIntervalMs, 'bufferIntervalMs', DEFAULT_LOCAL_BUFFER_INTERVAL_MS);
    this.#maxBufferBytes = positiveNumber(options.maxBufferBytes, 'maxBufferBytes', DEFAULT_LOCAL_MAX_BUFFER_BYTES);
    this.#level = options.compressionLevel ?? 1;
    if (!Number.isInteger(this.#level) || this.#level < 1 || this.#level > 9) {
      throw new FiatError('CONFIG_INVALID', `option compressionLevel must be an integer from 1 to 9, got ${JSON.stringify(options.compressionLevel)}`);
    }
    if (options.onFull !== undefined && options.onFull !== 'block' && options.onFull !== 'throw') {
      throw new FiatError('CONFIG_INVALID', `option onFull must be 'block' or 'throw', got ${JSON.stringify(options.onFull)}`);
    }
    this.#onFull = options.onFull ?? 'block';
    this.#onError = options.onError;
    this.#clock = options.clock ?? Date.now;
    this.#pool = chunkPool(this.#bufferBytes, this.#maxBufferBytes);
    this.#poolFloor = Math.ceil(this.#bufferBytes / this.#pool.bufferBytes);
    this.#cleanup = removeStaleTempFiles(this.lakeDir, this.#clock(), STALE_TEMP_AGE_MS, (cause) =>
      this.#report(new FiatError('IO_FAILED', `could not remove leftover temporary files in ${this.lakeDir}: ${describe(cause)}`, { cause })),
    );
    this.#timer = setInterval(() => this.#tick(), Math.min(this.#intervalMs, 1000));
    this.#timer.unref();
  }

  get #bufferedBytes(): number {
    return this.#openBytes + this.#jobBytes + this.#retainedBytes;
  }

  write(record: TransportRecord): void {
    if (this.#closed) throw new FiatError('LOGGER_CLOSED', 'the local transport is closed');
    const line = record.line;
    // Cheap bound first (3 UTF-8 bytes per UTF-16 unit); the exact length only near the limit.
    if (this.#bufferedBytes + line.length * 3 > this.#maxBufferBytes) {
      const bytes = Buffer.byteLength(line, 'utf8');
      if (this.#bufferedBytes + bytes > this.#maxBufferBytes) return this.#writeWhenFull(record, bytes);
    }
    this.#received += 1;
    this.#append(record);
  }

  #append(record: TransportRecord): void {
    const key = record.names.deliveryStream;
    let buffer = this.#open.get(key);
    if (buffer === undefined) {
      buffer = newLakeBuffer(record.names, record.time, this.#clock(), this.#pool);
      this.#open.set(key, buffer);
    }
    this.#openBytes += appendLine(buffer, record.line);
    if (this.#bufferedBytes > this.#peak) this.#peak = this.#bufferedBytes;
    if (buffer.bytes >= this.#bufferBytes) this.#seal(buffer);
  }

  /** Past maxBufferBytes: refuse (`'throw'`), or make room by writing synchronously (`'block'`). */
  #writeWhenFull(record: TransportRecord, bytes: number): void {
    if (this.#onFull === 'throw') {
      throw new FiatError(
        'BUFFER_FULL',
        `maxBufferBytes (${this.#maxBufferBytes}) of lake records in memory reached for ${record.names.deliveryStream}; retry later or raise maxBufferBytes`,
      );
    }
    this.#received += 1;
    this.#makeRoom(bytes);
    if (this.#bufferedBytes + bytes <= this.#maxBufferBytes) return this.#append(record);
    // Nothing left to write out (the memory is held by files being written): this record goes alone.
    const single = newLakeBuffer(record.names, record.time, this.#clock(), this.#pool);
    appendLine(single, record.line);
    if (!this.#writeNow(single, lakeObjectKey(single.names, single.firstTime))) {
      this.#lost += 1;
      this.#report(new FiatError('IO_FAILED', `1 ${record.names.deliveryStream} record dropped: memory is full (maxBufferBytes ${this.#maxBufferBytes}) and its file could not be written`));
    }
  }

  /**
   * Writes buffers synchronously until `bytes` more fit: kept failed buffers (oldest first), then open
   * buffers (largest first). Once a write fails, the oldest kept buffers are dropped instead, each
   * reported to onError and counted in `lost`.
   */
  #makeRoom(bytes: number): void {
    let diskWorks = true;
    while (this.#bufferedBytes + bytes > this.#maxBufferBytes) {
      const candidate = diskWorks ? (this.#retained[0] ?? this.#largestOpen()) : undefined;
      if (candidate !== undefined) {
        diskWorks = this.#writeDetached(candidate);
        continue;
      }
      const oldest = this.#retained.shift();
      if (oldest === undefined) return;
      this.#retainedBytes -= lakeBufferWeight(oldest);
      this.#failed -= oldest.count;
      this.#lost += oldest.count;
      oldest.lines.release();
      this.#report(
        new FiatError(
          'IO_FAILED',
          `${oldest.count} ${oldest.names.deliveryStream} records dropped: their file could not be written and memory is full (maxBufferBytes ${this.#maxBufferBytes})`,
        ),
      );
    }
  }

  #largestOpen(): LakeBuffer | undefined {
    let largest: LakeBuffer | undefined;
    for (const buffer of this.#open.values()) if (largest === undefined || buffer.bytes > largest.bytes) largest = buffer;
    return largest;
  }

  /** Removes an open or kept buffer from where it is and writes it synchronously; a failure keeps it. */
  #writeDetached(buffer: LakeBuffer): boolean {
    if (this.#open.get(buffer.names.deliveryStream) === buffer) {
      this.#open.delete(buffer.names.deliveryStream);
      this.#openBytes -= buffer.bytes;
    } else {
      const at = this.#retained.indexOf(buffer);
      if (at === -1) return false;
      this.#retained.splice(at, 1);
      this.#retainedBytes -= lakeBufferWeight(buffer);
      this.#failed -= buffer.count;
    }
    return this.#writeOrKeep(buffer, lakeObjectKey(buffer.names, buffer.firstTime));
  }

  /** Writes a detached buffer synchronously; on failure keeps it (counted in failed) and reports. */
  #writeOrKeep(buffer: LakeBuffer, key: string): boolean {
    try {
      this.#writeSync(buffer, key);
      return true;
    } catch (cause) {
      this.#keep(buffer, key, cause);
      return false;
    }
  }

  /** Writes a detached single-use buffer synchronously; false (nothing kept) on failure. */
  #writeNow(buffer: LakeBuffer, key: string): boolean {
    try {
      this.#writeSync(buffer, key);
      return true;
    } catch {
      return false;
    }
  }

  #writeSync(buffer: LakeBuffer, key: string): void {
    this.#syncWrites += 1;
    writeFileAtomicSync(this.lakeDir, key, gzippedNow(buffer, this.#level));
    this.#settle(buffer);
  }

  #settle(buffer: LakeBuffer): void {
    this.#delivered += buffer.count;
    this.#bytes += buffer.bytes;
    this.#objects += 1;
  }

  /** Keeps the records of a failed write for the next flush and reports it. */
  #keep(buffer: LakeBuffer, key: string, cause: unknown): FiatError {
    buffer.since = this.#clock();
    this.#retained.push(buffer);
    this.#retainedBytes += lakeBufferWeight(buffer);
    this.#failed += buffer.count;
    const error = new FiatError('IO_FAILED', `could not write lake file ${join(this.lakeDir, key)}: ${describe(cause)}`, { cause });
    this.#report(error);
    return error;
  }

  #report(error: FiatError): void {
    try {
      this.#onError?.(error);
    } catch {
      // An onError that throws must not break the transport; the problem is counted in stats() already.
    }
  }

  /**
   * Closes a full or aged buffer: written in the background. With `'block'`, files in flight and kept
   * failures leave room for open buffers (four full ones, at most half the bound); past that the
   * buffer is compressed here, synchronously, and written in the background as its gzip bytes; and
   * when even those do not fit, it is written here, synchronously (the backpressure).
   */
  #seal(buffer: LakeBuffer): void {
    this.#open.delete(buffer.names.deliveryStream);
    this.#openBytes -= buffer.bytes;
    if (this.#onFull === 'block') {
      const room = this.#maxBufferBytes - Math.min(this.#maxBufferBytes / 2, 4 * this.#bufferBytes) - this.#jobBytes - this.#retainedBytes;
      if (buffer.bytes > room) compressLakeBuffer(buffer, this.#level);
      if (lakeBufferWeight(buffer) > room) {
        this.#writeOrKeep(buffer, lakeObjectKey(buffer.names, buffer.firstTime));
        return;
      }
    }
    this.#start(buffer);
  }

  #start(buffer: LakeBuffer): Job {
    const weight = lakeBufferWeight(buffer);
    const job: Job = { buffer, key: lakeObjectKey(buffer.names, buffer.firstTime), stage: 'gzip', weight, takenOver: false, done: Promise.resolve(undefined) };
    this.#jobs.add(job);
    this.#jobBytes += weight;
    job.done = this.#run(job);
    return job;
  }

  /** Gzips and writes one file in the background. Never rejects. */
  async #run(job: Job): Promise<FiatError | undefined> {
    try {
      await compressLakeBufferAsync(job.buffer, this.#level, () => !job.takenOver);
      if (job.takenOver) return undefined;
      this.#reweigh(job);
      job.stage = 'write';
      const tmp = await writeTempFile(this.lakeDir, job.buffer.gzipped!);
      if (job.takenOver) {
        await rm(tmp, { force: true });
        return undefined;
      }
      job.tmp = tmp;
      job.stage = 'rename';
      await moveIntoPlace(tmp, join(this.lakeDir, job.key));
      if (job.takenOver) return undefined;
      this.#finish(job);
      this.#settle(job.buffer);
      return undefined;
    } catch (cause) {
      if (job.takenOver) return undefined;
      this.#finish(job);
      return this.#keep(job.buffer, job.key, cause);
    }
  }

  /** Once compressed, a job holds only its gzip bytes: the memory of its lines is free again. */
  #reweigh(job: Job): void {
    const weight = lakeBufferWeight(job.buffer);
    this.#jobBytes += weight - job.weight;
    job.weight = weight;
  }

  #finish(job: Job): void {
    this.#jobs.delete(job);
    this.#jobBytes -= job.weight;
  }

  /** Runs on the interval; never throws. Writes aged buffers and retries kept failures. */
  #tick(): void {
    try {
      const now = this.#clock();
      for (const buffer of [...this.#open.values()]) if (now - buffer.since >= this.#intervalMs) this.#seal(buffer);
      const due = this.#retained.filter((buffer) => now - buffer.since >= this.#intervalMs);
      for (const buffer of due) this.#retry(buffer);
      this.#pool.trim(this.#poolFloor);
    } catch (cause) {
      this.#report(new FiatError('IO_FAILED', `the local transport's timer failed: ${describe(cause)}`, { cause }));
    }
  }

  #retry(buffer: LakeBuffer): void {
    const at = this.#retained.indexOf(buffer);
    if (at === -1) return;
    this.#retained.splice(at, 1);
    this.#retainedBytes -= lakeBufferWeight(buffer);
    this.#failed -= buffer.count;
    this.#start(buffer);
  }

  async flush(): Promise<void> {
    await this.#cleanup;
    for (const buffer of [...this.#retained]) this.#retry(buffer);
    for (const buffer of [...this.#open.values()]) {
      this.#open.delete(buffer.names.deliveryStream);
      this.#openBytes -= buffer.bytes;
      this.#start(buffer);
    }
    const results = await Promise.all([...this.#jobs].map((job) => job.done));
    await Promise.all([...this.#abandoned]);
    const failure = results.find((result) => result !== undefined);
    if (failure !== undefined) throw failure;
  }

  /**
   * Writes everything in memory synchronously: files being written in the background are taken
   * over (a file whose bytes are already durable is renamed into place; otherwise it is written
   * again under the same name), then kept failures and open buffers. Never throws.
   */
  flushSync(): void {
    try {
      for (const job of [...this.#jobs]) this.#takeOver(job);
      for (const buffer of [...this.#retained]) this.#writeDetached(buffer);
      for (const buffer of [...this.#open.values()]) this.#writeDetached(buffer);
    } catch (cause) {
      this.#report(new FiatError('IO_FAILED', `flushSync failed: ${describe(cause)}`, { cause }));
    }
  }

  #takeOver(job: Job): void {
    job.takenOver = true;
    this.#finish(job);
    const abandoned = job.done.finally(() => this.#abandoned.delete(abandoned));
    this.#abandoned.add(abandoned);
    const target = join(this.lakeDir, job.key);
    if (job.stage === 'rename' && job.tmp !== undefined) {
      try {
        mkdirSync(dirname(target), { recursive: true });
        renameSync(job.tmp, target);
        this.#settle(job.buffer);
        return;
      } catch {
        // Renamed already by the background write (or the temporary file is gone): check, else write again.
        if (existsSync(target)) {
          this.#settle(job.buffer);
          return;
        }
      }
    }
    this.#writeOrKeep(job.buffer, job.key);
  }

  async close(): Promise<LocalCloseReport> {
    if (!this.#closed) {
      this.#closed = true;
      clearInterval(this.#timer);
    }
    try {
      await this.flush();
    } catch {
      // Reported below as undelivered; the error already reached onError.
    }
    return { delivered: this.#delivered, undelivered: this.#failed + this.#lost, lost: this.#lost };
  }

  stats(): LocalTransportStats {
    return {
      received: this.#received,
      delivered: this.#delivered,
      pending: this.#received - this.#delivered - this.#failed - this.#lost,
      failed: this.#failed,
      lost: this.#lost,
      objects: this.#objects,
      bytes: this.#bytes,
      bufferedBytes: this.#bufferedBytes,
      peakBufferedBytes: this.#peak,
      syncWrites: this.#syncWrites,
    };
  }
}

/**
 * The pool of the transport's line chunks. It keeps every chunk given back, up to what
 * `maxBufferBytes` of lines take (so chunks alive never exceed the most in use at once), and the
 * timer lets go of those a whole tick went by without needing.
 */
function chunkPool(bufferBytes: number, maxBufferBytes: number): BufferPool {
  const chunkBytes = Math.max(MIN_CHUNK_BYTES, Math.min(CHUNK_BYTES, bufferBytes));
  return new BufferPool({ bufferBytes: chunkBytes, maxPooled: Math.ceil(maxBufferBytes / chunkBytes) + 1, recycle: true });
}

function describe(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}
