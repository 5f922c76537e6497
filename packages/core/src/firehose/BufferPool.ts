// Owns equal-sized off-heap buffers (packed Firehose records, the chunks of buffered lines): hands them
// out, takes them back once their bytes are sent or written, keeps at most enough of them to fill
// maxBufferBytes, and lets go of those an interval went by without needing.

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
 * A pool of equal-sized buffers. A new buffer is allocated only when none is free, so the buffers
 * alive (in use + pooled) never outnumber the most ever in use at once; {@link BufferPool.trim},
 * called on a timer, lets go of the free buffers not needed since the previous call. Reused memory is
 * already mapped: writing into it costs no page faults, unlike a fresh allocation.
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
  /** The fewest free buffers since the last trim: that many were not needed. */
  #lowWater = 0;

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
    const free = this.#free.pop();
    if (free === undefined) return Buffer.allocUnsafe(this.#options.bufferBytes);
    if (this.#free.length < this.#lowWater) this.#lowWater = this.#free.length;
    return free;
  }

  /** Gives a buffer back; it is kept for reuse when recycling is on and the pool is not full. */
  give(buffer: Buffer): void {
    this.#inUse -= 1;
    const { recycle, bufferBytes, maxPooled } = this.#options;
    if (recycle && buffer.length === bufferBytes && this.#free.length < maxPooled) this.#free.push(buffer);
  }

  /**
   * Lets go of the free buffers that stayed free since the previous call, keeping `keep` at least
   * (call it every second or so: memory taken by a burst is returned once the burst is over).
   */
  trim(keep = 0): void {
    const drop = Math.min(this.#lowWater, this.#free.length - keep);
    if (drop > 0) this.#free.splice(0, drop);
    this.#lowWater = this.#free.length;
  }
}
