// Owns lines buffered off the JS heap: UTF-8 bytes written into equal-sized chunks taken from a
// BufferPool and given back once the lines are compressed or written, so that a steady stream of
// records writes into memory that is already mapped (a fresh MiB costs hundreds of page faults, which
// in a virtual machine cost more than the copy). The local transport's files and the Firehose
// transport's overflow both buffer their lines here.
import type { BufferPool } from '../firehose/BufferPool.js';

/** Scratch memory kept for lines that straddle two chunks and for joining chunks (synchronous use only). */
const SCRATCH_KEEP_BYTES = 2 * 1024 * 1024;
let scratchBuffer: Buffer | undefined;

/** A buffer of at least `bytes`, reused between calls up to 2 MiB; valid until the next call. */
function scratch(bytes: number): Buffer {
  if (scratchBuffer !== undefined && scratchBuffer.length >= bytes) return scratchBuffer;
  const fresh = Buffer.allocUnsafe(bytes);
  if (bytes <= SCRATCH_KEEP_BYTES) scratchBuffer = fresh;
  return fresh;
}

/**
 * Newline-terminated lines as UTF-8 bytes in pooled chunks. A line that does not fit the room left
 * in a chunk continues in the next one, so no chunk is wasted and every chunk has the pool's size.
 * `count` and `bytes` are exact; the chunks go back to the pool with {@link ChunkedLines.release}.
 *
 * @example
 * ```ts
 * const pool = new BufferPool({ bufferBytes: 256 * 1024, maxPooled: 16, recycle: true });
 * const lines = new ChunkedLines(pool);
 * lines.append('{"a":1}\n');
 * await writeTempFile(dir, lines.parts());
 * lines.release(); // the chunks are reused by the next lines
 * ```
 */
export class ChunkedLines {
  readonly #pool: BufferPool;
  readonly #chunks: Buffer[] = [];
  /** Bytes used in the last chunk. */
  #offset = 0;
  /** Lines appended. */
  count = 0;
  /** UTF-8 bytes appended. */
  bytes = 0;

  constructor(pool: BufferPool) {
    this.#pool = pool;
  }

  /** Chunks held (each of the pool's size). */
  get chunkCount(): number {
    return this.#chunks.length;
  }

  /**
   * Appends one line (the caller includes its `\n`); returns its UTF-8 byte length. `knownBytes`,
   * when given, must be that length (it saves counting it).
   */
  append(line: string, knownBytes?: number): number {
    if (this.#chunks.length === 0) this.#next();
    const last = this.#chunks.length - 1;
    const room = this.#pool.bufferBytes - this.#offset;
    // A UTF-8 string takes at most 3 bytes per UTF-16 unit: with that much room it fits, written in place.
    if (line.length * 3 <= room) return this.#wrote(this.#chunks[last]!.write(line, this.#offset));
    const bytes = knownBytes ?? Buffer.byteLength(line, 'utf8');
    if (bytes <= room) return this.#wrote(this.#chunks[last]!.write(line, this.#offset));
    if (room === 0 && bytes <= this.#pool.bufferBytes) {
      this.#next();
      return this.#wrote(this.#chunks[this.#chunks.length - 1]!.write(line, 0));
    }
    // Straddles chunks: encoded once into scratch memory, then copied across.
    const encoded = scratch(bytes);
    encoded.write(line, 0);
    this.#copyIn(encoded, bytes);
    return this.#counted(bytes);
  }

  /** The bytes appended, as chunks in order (views of the pooled chunks: valid until `release`). */
  parts(): Buffer[] {
    const last = this.#chunks.length - 1;
    return this.#chunks.map((chunk, i) => (i === last ? chunk.subarray(0, this.#offset) : chunk));
  }

  /**
   * The bytes appended as one buffer, for synchronous use before the next call (one chunk is
   * returned as is; several are joined in scratch memory that is reused).
   */
  joined(): Buffer {
    const parts = this.parts();
    if (parts.length === 1) return parts[0]!;
    const out = scratch(this.bytes);
    let at = 0;
    for (const part of parts) at += part.copy(out, at);
    return out.subarray(0, this.bytes);
  }

  /** Gives the chunks back to the pool and empties the buffer. Safe to call twice. */
  release(): void {
    for (const chunk of this.#chunks) this.#pool.give(chunk);
    this.#chunks.length = 0;
    this.#offset = 0;
    this.count = 0;
    this.bytes = 0;
  }

  /** Counts a line written in place at the offset. */
  #wrote(written: number): number {
    this.#offset += written;
    return this.#counted(written);
  }

  #counted(written: number): number {
    this.bytes += written;
    this.count += 1;
    return written;
  }

  #next(): void {
    this.#chunks.push(this.#pool.take());
    this.#offset = 0;
  }

  /** Copies `bytes` of `source` into the room left and as many new chunks as needed. */
  #copyIn(source: Buffer, bytes: number): void {
    let done = 0;
    let offset = this.#offset;
    while (done < bytes) {
      if (offset === this.#pool.bufferBytes) {
        this.#next();
        offset = 0;
      }
      const copied = source.copy(this.#chunks[this.#chunks.length - 1]!, offset, done, bytes);
      done += copied;
      offset += copied;
    }
    this.#offset = offset;
  }
}
