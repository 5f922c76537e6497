// Owns packing: turns each delivery stream's newline-terminated lines into Firehose records (one
// open record per stream filling up, then sealed records waiting for a batch), within the record size.
import type { BufferPool } from './BufferPool.js';
import { OutboundRecord } from './OutboundRecord.js';

/**
 * Removes from the front of `records` one batch's worth: at most `maxRecords` records and `maxBytes`
 * bytes, but always at least one record (a record is never larger than a batch).
 *
 * @example
 * ```ts
 * const batch = takeBatch(sealed, 500, 4 * 1024 * 1024);
 * ```
 */
export function takeBatch(records: OutboundRecord[], maxRecords: number, maxBytes: number): OutboundRecord[] {
  let count = 0;
  let bytes = 0;
  while (count < records.length && count < maxRecords) {
    const next = records[count]!;
    if (count > 0 && bytes + next.bytes > maxBytes) break;
    bytes += next.bytes;
    count += 1;
  }
  return records.splice(0, count);
}

/** The records of one delivery stream not yet cut into a batch. */
interface StreamQueue {
  open: OutboundRecord | undefined;
  readonly sealed: OutboundRecord[];
  sealedBytes: number;
}

/** Options of {@link Packer}. */
export interface PackerOptions {
  /** Pack lines into records of up to the pool's buffer size; `false` makes one record per line. */
  readonly packing: boolean;
  /** Where packed records' buffers come from (and go back to). */
  readonly pool: BufferPool;
}

/**
 * Packs lines into {@link OutboundRecord}s per delivery stream. A line that does not fit the open
 * record seals it; a line larger than a packing buffer gets a record of its own (never truncated).
 *
 * @example
 * ```ts
 * const packer = new Packer({ packing: true, pool });
 * packer.add('fiat-audit', '{"n":1}\n', 8);
 * packer.sealAll();
 * const records = packer.take('fiat-audit', 500, 4 * 1024 * 1024);
 * ```
 */
export class Packer {
  readonly #queues = new Map<string, StreamQueue>();
  readonly #options: PackerOptions;

  constructor(options: PackerOptions) {
    this.#options = options;
  }

  /** Adds one newline-terminated line of `bytes` UTF-8 bytes (a string, or bytes that are copied) to its delivery stream's records. */
  add(deliveryStream: string, line: string | Buffer, bytes: number): void {
    const queue = this.#queue(deliveryStream);
    const { packing, pool } = this.#options;
    if (!packing || bytes > pool.bufferBytes) {
      this.#seal(queue); // keeps the stream's lines in order
      this.#push(queue, OutboundRecord.of(typeof line === 'string' ? Buffer.from(line, 'utf8') : Buffer.from(line)));
      return;
    }
    if (queue.open !== undefined && queue.open.room < bytes) this.#seal(queue);
    queue.open ??= OutboundRecord.open(pool.take());
    // Copy the line into the record's buffer now: the string dies young, the heap stays small.
    queue.open.append(line, bytes);
    if (queue.open.room === 0) this.#seal(queue);
  }

  /** True when the stream's sealed records fill a batch of `maxRecords` records or `maxBytes` bytes. */
  hasFullBatch(deliveryStream: string, maxRecords: number, maxBytes: number): boolean {
    const queue = this.#queues.get(deliveryStream);
    return queue !== undefined && (queue.sealed.length >= maxRecords || queue.sealedBytes >= maxBytes);
  }

  /** True when the stream has sealed records waiting for a batch. */
  hasSealed(deliveryStream: string): boolean {
    return (this.#queues.get(deliveryStream)?.sealed.length ?? 0) > 0;
  }

  /** Seals every open record, so that everything packed can be cut into batches. */
  sealAll(): void {
    for (const queue of this.#queues.values()) this.#seal(queue);
  }

  /** Removes and returns the stream's oldest sealed records, at most `maxRecords` and `maxBytes` (at least one). */
  take(deliveryStream: string, maxRecords: number, maxBytes: number): OutboundRecord[] {
    const queue = this.#queues.get(deliveryStream);
    if (queue === undefined) return [];
    const records = takeBatch(queue.sealed, maxRecords, maxBytes);
    for (const record of records) queue.sealedBytes -= record.bytes;
    return records;
  }

  /** The delivery streams with sealed records waiting. */
  streamsWithSealed(): string[] {
    return [...this.#queues].filter(([, queue]) => queue.sealed.length > 0).map(([name]) => name);
  }

  /** Removes every record (open and sealed) and returns them by delivery stream: for spooling them all. */
  drain(): Map<string, OutboundRecord[]> {
    const out = new Map<string, OutboundRecord[]>();
    for (const [name, queue] of this.#queues) {
      this.#seal(queue);
      if (queue.sealed.length > 0) out.set(name, queue.sealed.splice(0));
      queue.sealedBytes = 0;
    }
    return out;
  }

  #queue(deliveryStream: string): StreamQueue {
    let queue = this.#queues.get(deliveryStream);
    if (queue === undefined) {
      queue = { open: undefined, sealed: [], sealedBytes: 0 };
      this.#queues.set(deliveryStream, queue);
    }
    return queue;
  }

  #seal(queue: StreamQueue): void {
    const open = queue.open;
    if (open === undefined) return;
    queue.open = undefined;
    open.seal(this.#options.pool);
    this.#push(queue, open);
  }

  #push(queue: StreamQueue, record: OutboundRecord): void {
    queue.sealed.push(record);
    queue.sealedBytes += record.bytes;
  }
}
