// Owns one future lake file of the local transport: its lines (in pooled chunks, see ChunkedLines), and
// its gzip bytes once compressed (the lines are then given back to the pool).
import { createGzip, gzipSync } from 'node:zlib';
import type { BufferPool } from '../firehose/BufferPool.js';
import type { StreamNames } from '../names.js';
import { ChunkedLines } from './ChunkedLines.js';

/** Output buffers of an asynchronous gzip: a 1 MiB file of records compresses into one or two. */
const GZIP_CHUNK_BYTES = 64 * 1024;

/** The lines of one future lake file. */
export interface LakeBuffer {
  readonly names: StreamNames;
  /** The lines, until compressed. */
  readonly lines: ChunkedLines;
  /** Records in this buffer. */
  readonly count: number;
  /** UTF-8 bytes of its lines. */
  readonly bytes: number;
  /** Epoch milliseconds of the first record (dates the file, as Firehose's arrival time does). */
  readonly firstTime: number;
  /** The transport's clock when the buffer was opened, or when writing it last failed. */
  since: number;
  /** The file's gzip bytes once compressed (the lines are then released). */
  gzipped?: readonly Buffer[];
  /** Bytes of `gzipped`. */
  gzippedBytes: number;
}

class OpenLakeBuffer implements LakeBuffer {
  readonly lines: ChunkedLines;
  gzipped?: readonly Buffer[];
  gzippedBytes = 0;
  /** Kept once the lines are released. */
  #count = 0;
  #bytes = 0;

  constructor(
    readonly names: StreamNames,
    readonly firstTime: number,
    public since: number,
    pool: BufferPool,
  ) {
    this.lines = new ChunkedLines(pool);
  }

  get count(): number {
    return this.gzipped === undefined ? this.lines.count : this.#count;
  }

  get bytes(): number {
    return this.gzipped === undefined ? this.lines.bytes : this.#bytes;
  }

  /** Keeps the gzip bytes and gives the lines back to the pool. */
  compressed(data: readonly Buffer[]): void {
    this.#count = this.lines.count;
    this.#bytes = this.lines.bytes;
    this.gzipped = data;
    this.gzippedBytes = data.reduce((n, b) => n + b.length, 0);
    this.lines.release();
  }
}

/**
 * An empty buffer for one stream, its lines in chunks of `pool`.
 *
 * @example
 * ```ts
 * const buffer = newLakeBuffer(names, record.time, Date.now(), pool);
 * ```
 */
export function newLakeBuffer(names: StreamNames, firstTime: number, now: number, pool: BufferPool): LakeBuffer {
  return new OpenLakeBuffer(names, firstTime, now, pool);
}

/**
 * Appends one line; returns its UTF-8 byte length.
 *
 * @example
 * ```ts
 * const bytes = appendLine(buffer, record.line);
 * ```
 */
export function appendLine(buffer: LakeBuffer, line: string): number {
  return buffer.lines.append(line);
}

/**
 * The bytes a buffer holds in memory: its lines, or its gzip bytes once compressed.
 *
 * @example
 * ```ts
 * inMemory += lakeBufferWeight(buffer);
 * ```
 */
export function lakeBufferWeight(buffer: LakeBuffer): number {
  return buffer.gzipped === undefined ? buffer.bytes : buffer.gzippedBytes;
}

/**
 * Compresses a buffer now, synchronously, and releases its lines: it then holds only its gzip
 * bytes (typically a fifth or less), for a write that happens later.
 *
 * @example
 * ```ts
 * compressLakeBuffer(buffer, 1); // buffer.gzipped is set
 * ```
 */
export function compressLakeBuffer(buffer: LakeBuffer, level: number): void {
  if (buffer.gzipped !== undefined) return;
  (buffer as OpenLakeBuffer).compressed([gzipSync(buffer.lines.joined(), { level })]);
}

/**
 * The buffer's gzip bytes, compressed now (synchronously) unless they are already.
 *
 * @example
 * ```ts
 * writeFileAtomicSync(lakeDir, key, gzippedNow(buffer, 1));
 * ```
 */
export function gzippedNow(buffer: LakeBuffer, level: number): readonly Buffer[] {
  compressLakeBuffer(buffer, level);
  return buffer.gzipped!;
}

/**
 * Compresses a buffer on libuv's thread pool, its chunks streamed into gzip as they are (no copy),
 * and keeps the result with {@link LakeBuffer.gzipped} unless `keep()` says no by then (a write taken
 * over meanwhile); the lines are then released. Rejects when zlib fails (the lines are kept).
 *
 * @example
 * ```ts
 * await compressLakeBufferAsync(buffer, 1, () => !job.takenOver);
 * ```
 */
export function compressLakeBufferAsync(buffer: LakeBuffer, level: number, keep: () => boolean): Promise<void> {
  if (buffer.gzipped !== undefined) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const out: Buffer[] = [];
    const gzip = createGzip({ level, chunkSize: GZIP_CHUNK_BYTES });
    gzip.on('data', (data: Buffer) => out.push(data));
    gzip.once('error', reject);
    gzip.once('end', () => {
      if (keep() && buffer.gzipped === undefined) (buffer as OpenLakeBuffer).compressed(out);
      resolve();
    });
    for (const part of buffer.lines.parts()) gzip.write(part);
    gzip.end();
  });
}
