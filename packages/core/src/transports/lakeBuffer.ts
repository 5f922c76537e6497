import { gzipSync } from 'node:zlib';
import type { StreamNames } from '../names.js';

/** Size of the off-heap chunks that buffered lines are written into (keeps them out of the JS heap). */
const CHUNK_BYTES = 256 * 1024;
const EMPTY = Buffer.alloc(0);

/** The lines of one future lake file, in off-heap chunks. */
export interface LakeBuffer {
  readonly names: StreamNames;
  /** Filled chunks, each trimmed to its used length. */
  readonly chunks: Buffer[];
  /** The chunk being filled. */
  current: Buffer;
  offset: number;
  /** Records in this buffer. */
  count: number;
  /** UTF-8 bytes in this buffer. */
  bytes: number;
  /** Epoch milliseconds of the first record (dates the file, as Firehose's arrival time does). */
  readonly firstTime: number;
  /** The transport's clock when the buffer was opened, or when writing it last failed. */
  since: number;
  /** The file's gzip bytes once compressed ahead of its write (the lines are then released). */
  gzipped?: Buffer;
}

/**
 * An empty buffer for one stream.
 *
 * @example
 * ```ts
 * const buffer = newLakeBuffer(names, record.time, Date.now());
 * ```
 */
export function newLakeBuffer(names: StreamNames, firstTime: number, now: number): LakeBuffer {
  return { names, chunks: [], current: EMPTY, offset: 0, count: 0, bytes: 0, firstTime, since: now };
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
  // A UTF-8 string takes at most 3 bytes per UTF-16 unit: check room with that bound, write, count what was written.
  if (buffer.offset + line.length * 3 > buffer.current.length) {
    if (buffer.offset > 0) buffer.chunks.push(buffer.current.subarray(0, buffer.offset));
    buffer.current = Buffer.allocUnsafe(Math.max(CHUNK_BYTES, line.length * 3));
    buffer.offset = 0;
  }
  const written = buffer.current.write(line, buffer.offset);
  buffer.offset += written;
  buffer.bytes += written;
  buffer.count += 1;
  return written;
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
  return buffer.gzipped?.length ?? buffer.bytes;
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
  buffer.gzipped = gzipSync(lakeBufferContents(buffer), { level });
  buffer.chunks.length = 0;
  buffer.current = EMPTY;
  buffer.offset = 0;
}

/**
 * The buffer's bytes as one `Buffer` (the lines, each ending with `\n`).
 *
 * @example
 * ```ts
 * const data = await gzip(lakeBufferContents(buffer));
 * ```
 */
export function lakeBufferContents(buffer: LakeBuffer): Buffer {
  const parts = buffer.offset > 0 ? [...buffer.chunks, buffer.current.subarray(0, buffer.offset)] : buffer.chunks;
  return parts.length === 1 ? (parts[0] as Buffer) : Buffer.concat(parts, buffer.bytes);
}
