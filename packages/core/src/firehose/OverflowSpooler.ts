// Owns the overflow: records that arrive while maxBufferBytes is reached. They are staged in pooled
// off-heap chunks per delivery stream (ChunkedLines, as the local transport buffers its files) and appended — synchronously, without fsync — to an open spool file as soon
// as the overflow's share of the bound is used, so even a synchronous loop never grows memory past it.
// Each file is sealed (fsync + rename) in the background once the event loop turns, or at once when large.
import { ChunkedLines } from '../transports/ChunkedLines.js';
import { BufferPool } from './BufferPool.js';
import type { DeliveryLedger } from './DeliveryLedger.js';
import type { Spool } from './Spool.js';
import type { SpoolFile } from './SpoolFile.js';
import type { SpoolEntry, SpoolWriter } from './SpoolWriter.js';

const CHUNK_BYTES = 256 * 1024;
/** An overflow file is sealed at once past this size (default 32 MiB), even while the loop never yields. */
const MAX_FILE_BYTES = 32 * 1024 * 1024;

/** A spool file the overflow appends to, and how many records it holds. */
interface OpenFile {
  readonly file: SpoolFile;
  count: number;
}

/** Options of {@link OverflowSpooler}. */
export interface OverflowSpoolerOptions {
  readonly spool: Spool;
  /** Counts and reports each sealed (or failed) file. */
  readonly writer: SpoolWriter;
  /** Records leave its buffered bytes once appended (they stay pending until their file is sealed). */
  readonly ledger: DeliveryLedger;
  /** Bytes the overflow may stage in memory: its share of `maxBufferBytes`. */
  readonly capBytes: number;
  /** Why these records are spooled, for the `BUFFER_FULL` report. */
  readonly reason: string;
  /** Size past which a file is sealed at once. Default: 32 MiB. */
  readonly maxFileBytes?: number;
}

/**
 * Stages overflow lines and spools them. Chunks are reused once appended, so a long outage
 * allocates no garbage.
 *
 * @example
 * ```ts
 * const overflow = new OverflowSpooler({ spool, writer, ledger, capBytes: 4 << 20, reason: 'maxBufferBytes reached' });
 * overflow.add('fiat-audit', line, bytes); // the ledger already counted the record as accepted
 * await overflow.idle();
 * ```
 */
export class OverflowSpooler {
  readonly #options: OverflowSpoolerOptions;
  readonly #staged = new Map<string, ChunkedLines>();
  readonly #open = new Map<string, OpenFile>();
  readonly #sealing = new Map<SpoolFile, Promise<void>>();
  /** Chunks are reused once appended; at most a staging share of them is kept. */
  readonly #pool: BufferPool;
  #stagedBytes = 0;
  #scheduled = false;

  constructor(options: OverflowSpoolerOptions) {
    this.#options = options;
    const chunkBytes = Math.max(1, Math.min(CHUNK_BYTES, options.capBytes));
    this.#pool = new BufferPool({ bufferBytes: chunkBytes, maxPooled: Math.ceil(options.capBytes / chunkBytes) + 1, recycle: true });
  }

  /** Bytes the overflow holds in memory. */
  get heldBytes(): number {
    return this.#stagedBytes;
  }

  /** Makes room for a line of `bytes` (appends what is staged when it would not fit): call before counting the line. */
  reserve(bytes: number): void {
    if (this.#stagedBytes > 0 && this.#stagedBytes + bytes > this.#options.capBytes) this.#appendStaged();
  }

  /** Stages one line; appends what is staged to the stream's spool file when the share is used. */
  add(deliveryStream: string, line: string, bytes: number): void {
    this.reserve(bytes);
    let staged = this.#staged.get(deliveryStream);
    if (staged === undefined) this.#staged.set(deliveryStream, (staged = new ChunkedLines(this.#pool)));
    staged.append(line, bytes);
    this.#stagedBytes += bytes;
    if (this.#stagedBytes >= this.#options.capBytes) this.#appendStaged();
    if (!this.#scheduled) {
      this.#scheduled = true;
      setImmediate(() => this.drain());
    }
  }

  /** Appends what is staged, then seals every open file in the background. */
  drain(): void {
    this.#scheduled = false;
    this.#appendStaged();
    for (const [deliveryStream, open] of this.#open) {
      this.#open.delete(deliveryStream);
      const sealing = open.file.seal().then(
        (path) => this.#options.writer.settled(this.#entry(deliveryStream, open.count), path),
        (cause: unknown) => this.#options.writer.failed(this.#entry(deliveryStream, open.count), cause),
      );
      this.#sealing.set(open.file, sealing.finally(() => this.#sealing.delete(open.file)));
    }
  }

  /** Appends and seals everything now, synchronously (process exit); files sealing in the background are sealed too. */
  sealAllSync(): void {
    this.#appendStaged();
    for (const [deliveryStream, open] of this.#open) {
      this.#open.delete(deliveryStream);
      this.#sealNow(deliveryStream, open);
    }
    for (const file of this.#sealing.keys()) {
      try {
        file.sealSync(); // counted by its background seal
      } catch {
        // reported by its background seal
      }
    }
  }

  /** Seals what is staged or open and resolves once those files (and any sealing already) are sealed. */
  async idle(): Promise<void> {
    this.drain();
    await Promise.all([...this.#sealing.values()]);
  }

  #entry(deliveryStream: string, count: number, bytes = 0, chunks: Buffer[] = []): SpoolEntry {
    return { deliveryStream, chunks, count, bytes, reason: this.#options.reason, cause: undefined, code: 'BUFFER_FULL' };
  }

  /** Moves what is staged into each stream's open file (opened on need); the memory is reused at once. */
  #appendStaged(): void {
    const { spool, ledger, writer } = this.#options;
    for (const [deliveryStream, staged] of this.#staged) {
      let open = this.#open.get(deliveryStream);
      try {
        if (open === undefined) this.#open.set(deliveryStream, (open = { file: spool.openFile(deliveryStream), count: 0 }));
        open.file.appendSync(staged.parts());
        open.count += staged.count;
        ledger.released(staged.bytes);
      } catch (cause) {
        // The file is broken: its earlier records are lost with these (their memory is already released).
        writer.failed(this.#entry(deliveryStream, staged.count + (open?.count ?? 0), staged.bytes), cause);
        open?.file.discardSync();
        this.#open.delete(deliveryStream);
        continue;
      }
      if (open.file.bytes >= (this.#options.maxFileBytes ?? MAX_FILE_BYTES)) {
        this.#open.delete(deliveryStream);
        this.#sealNow(deliveryStream, open);
      }
    }
    for (const staged of this.#staged.values()) staged.release();
    this.#staged.clear();
    this.#stagedBytes = 0;
  }

  #sealNow(deliveryStream: string, open: OpenFile): void {
    try {
      this.#options.writer.settled(this.#entry(deliveryStream, open.count), open.file.sealSync());
    } catch (cause) {
      this.#options.writer.failed(this.#entry(deliveryStream, open.count), cause);
    }
  }
}
