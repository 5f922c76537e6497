// Owns the off-heap buffers packed Firehose records are written into: hands them out, takes them
// back once a record settles, and keeps at most enough of them to fill maxBufferBytes.

/** Options of {@link BufferPool}. */
export interface BufferPoolOptions {
  /** Bytes of each buffer (the packed record size). */
  readonly bufferBytes: number;
  /** Buffers kept for reuse at most. */
  readonly maxPooled: number;
  /** Reuse buffers given back; `false` leaves them to the garbage collector (a client may keep what it was sent). */
  readonly recycle: boolean;
}

/**
 * A pool of equal-sized buffers for packed records. A new buffer is allocated only when none is
 * free, so the buffers alive (in use + pooled) never outnumber the most ever in use at once.
 *
 * @example
 * ```ts
 * const pool = new BufferPool({ bufferBytes: 1_018_880, maxPooled: 66, recycle: true });
 * const buffer = pool.take();
 * pool.give(buffer); // reused by the next take()
 * ```
 */
export class BufferPool {
  readonly #free: Buffer[] = [];
  readonly #options: BufferPoolOptions;
  /** Buffers handed out and not given back. */
  #inUse = 0;

  constructor(options: BufferPoolOptions) {
    this.#options = options;
  }

  /** Bytes of each buffer. */
  get bufferBytes(): number {
    return this.#options.bufferBytes;
  }

  /** Buffers handed out and not yet given back. */
  get inUse(): number {
    return this.#inUse;
  }

  /** Buffers waiting for reuse. */
  get pooled(): number {
    return this.#free.length;
  }

  /** A free buffer, or a new one. Its contents are garbage until written. */
  take(): Buffer {
    this.#inUse += 1;
    return this.#free.pop() ?? Buffer.allocUnsafe(this.#options.bufferBytes);
  }

  /** Gives a buffer back; it is kept for reuse when recycling is on and the pool is not full. */
  give(buffer: Buffer): void {
    this.#inUse -= 1;
    const { recycle, bufferBytes, maxPooled } = this.#options;
    if (recycle && buffer.length === bufferBytes && this.#free.length < maxPooled) this.#free.push(buffer);
  }
}
