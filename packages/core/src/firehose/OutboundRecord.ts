// Owns one Firehose record on its way out: the lines packed into it, its bytes, and whether it is
// settled (acknowledged or spooled) — which happens exactly once, whoever gets there first.
import type { BufferPool } from './BufferPool.js';

/**
 * One Firehose record: newline-terminated lines written into an off-heap buffer while it is open,
 * sealed into `data` (reused by every attempt and by the spool), then settled exactly once.
 *
 * @example
 * ```ts
 * const record = OutboundRecord.open(pool.take());
 * record.append('{"n":1}\n', 8);
 * record.seal(pool);
 * if (record.settle()) ledger.acknowledged(record);
 * ```
 */
export class OutboundRecord {
  /** Logical records (lines) in this Firehose record. */
  count = 0;
  /** Bytes of those lines. */
  bytes = 0;
  #settled = false;
  /** While open: the buffer lines are written into. */
  #buffer: Buffer | undefined;
  /** Once sealed: the record's bytes. */
  #data: Buffer | undefined;
  /** The pooled buffer behind `data`, returned to the pool when the record settles. */
  #pooled: Buffer | undefined;

  private constructor(buffer: Buffer | undefined, data: Buffer | undefined) {
    this.#buffer = buffer;
    this.#data = data;
  }

  /** A record to pack lines into, backed by `buffer`. */
  static open(buffer: Buffer): OutboundRecord {
    return new OutboundRecord(buffer, undefined);
  }

  /** A sealed record holding exactly `data` (one line unpacked, or a line larger than a packing buffer). */
  static of(data: Buffer, count = 1): OutboundRecord {
    const record = new OutboundRecord(undefined, data);
    record.count = count;
    record.bytes = data.length;
    return record;
  }

  /** True while lines can still be appended. */
  get isOpen(): boolean {
    return this.#buffer !== undefined;
  }

  /** True once acknowledged or spooled. */
  get settled(): boolean {
    return this.#settled;
  }

  /** Room left in the open buffer, in bytes. */
  get room(): number {
    return this.#buffer === undefined ? 0 : this.#buffer.length - this.bytes;
  }

  /** Copies one line (of `bytes` UTF-8 bytes, at most `room`) into the open buffer. */
  append(line: string | Buffer, bytes: number): void {
    const buffer = this.#buffer as Buffer;
    if (typeof line === 'string') buffer.write(line, this.bytes, bytes, 'utf8');
    else line.copy(buffer, this.bytes);
    this.bytes += bytes;
    this.count += 1;
  }

  /**
   * Seals the record: `data` is the used part of its buffer. A record sealed less than half full
   * (by a flush) is copied out, and its big buffer goes back to the pool at once.
   */
  seal(pool: BufferPool): void {
    const buffer = this.#buffer;
    if (buffer === undefined) return;
    this.#buffer = undefined;
    if (this.bytes * 2 < buffer.length) {
      this.#data = Buffer.from(buffer.subarray(0, this.bytes));
      pool.give(buffer);
      return;
    }
    this.#data = buffer.subarray(0, this.bytes);
    this.#pooled = buffer;
  }

  /** The record's bytes (sealed records only). */
  get data(): Buffer {
    if (this.#data === undefined) throw new Error('OutboundRecord.data read before seal()');
    return this.#data;
  }

  /** Marks the record settled; false when it already was (a late answer after it was spooled, or the reverse). */
  settle(): boolean {
    if (this.#settled) return false;
    this.#settled = true;
    return true;
  }

  /** Returns the record's buffer to the pool (after it settled and nothing reads `data` any more). */
  release(pool: BufferPool): void {
    const buffer = this.#pooled ?? this.#buffer;
    this.#pooled = undefined;
    this.#buffer = undefined;
    if (buffer !== undefined) pool.give(buffer);
  }
}
