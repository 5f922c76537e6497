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
