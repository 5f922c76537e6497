import type { Envelope, Integrity } from '../envelope.js';
import { FiatError, isFiatError } from '../errors.js';
import type { StreamNames } from '../names.js';
import type { StreamDefinition } from '../stream.js';
import type { TransportRecord } from '../transport.js';
import { uuidv7 } from '../uuid.js';
import { ChainWriter, type ChainResume } from './ChainWriter.js';
import { FiatCheckpoint } from './checkpointStream.js';
import type { ChainSigner } from './signing.js';

/**
 * Default of `checkpointEvery`: a checkpoint after 10,000 records of a chain. A checkpoint record is about 500
 * bytes, so this adds under 0.02% to a trail of 300-byte audit records, and a cut tail is pinned to within 10,000
 * records even when records arrive faster than `checkpointIntervalMs`.
 */
export const DEFAULT_CHECKPOINT_EVERY = 10_000;

/**
 * Default of `checkpointIntervalMs`: 60 s, the local lake's and Firehose's own buffering interval. Records are not
 * in the lake before their file is written anyway, so a shorter interval would pin little more; a busy logger
 * writes at most 1,440 checkpoints a day per chain (about 0.7 MB).
 */
export const DEFAULT_CHECKPOINT_INTERVAL_MS = 60_000;

/** What {@link LoggerChains} needs from its logger. */
export interface LoggerChainsOptions {
  /** Signs every checkpoint of the logger. */
  readonly signer: ChainSigner;
  /** Checkpoint a chain once this many records were sealed since its last checkpoint. */
  readonly every: number;
  /** Checkpoint every chain with new records this often, from an unref'd timer; 0: no timer. */
  readonly intervalMs: number;
  /** The logger's clock (epoch ms): a checkpoint's `event_time`, and the time of a chain's id. */
  readonly clock: () => number;
  /** The logger's envelope values (without `eventId` / `eventTime`), stored in checkpoint records too. */
  readonly envelope: Omit<Envelope, 'eventId' | 'eventTime'>;
  /** Where checkpoints go (the logger's names for `FiatCheckpoint`). */
  readonly checkpointNames: StreamNames;
  /** Hands a checkpoint record to the transport; may throw (the checkpoint is then taken back and reported). */
  readonly write: (record: TransportRecord) => void;
  /** Receives every problem with a checkpoint; never thrown. */
  readonly onError: (error: FiatError) => void;
  /** Per-stream overrides of the definitions' integrity, by stream name. */
  readonly overrides: Readonly<Record<string, Integrity>>;
}

/**
 * The hash chains of one logger: one {@link ChainWriter} per chained stream (made when first needed, or at
 * configure for listed streams), and its checkpoints — after every `every` records of a chain, from a timer every
 * `intervalMs` for chains with new records, and on {@link checkpointAll} (close and process exit). Checkpoints are
 * never written when nothing is new, and their problems go to `onError`: nothing here throws into the host.
 *
 * @example
 * ```ts
 * const chains = new LoggerChains({ signer, every: 10_000, intervalMs: 60_000, clock: Date.now, envelope, checkpointNames, write, onError, overrides: {} });
 * const writer = chains.writerFor(Audit, names); // undefined for an unchained stream
 * transport.write({ names, line: writer.seal(line), eventId, time });
 * chains.sealed(writer);
 * ```
 */
export class LoggerChains {
  readonly #options: LoggerChainsOptions;
  readonly #writers = new Map<StreamDefinition<any>, ChainWriter | null>();
  #timer: NodeJS.Timeout | undefined;
  #checkpoints = 0;
  #stopped = false;

  constructor(options: LoggerChainsOptions) {
    this.#options = options;
  }

  /** Checkpoint records handed to the transport so far. */
  get checkpoints(): number {
    return this.#checkpoints;
  }

  /**
   * The chain of `definition` for this logger, made on first call; `undefined` when the stream is not chained (or
   * its chaining is turned off by the logger's `integrity` option). Throws `CONFIG_INVALID` when the option asks
   * to chain a stream whose definition has no chain columns.
   */
  writerFor(definition: StreamDefinition<any>, names: StreamNames): ChainWriter | undefined {
    const known = this.#writers.get(definition);
    if (known !== undefined) return known ?? undefined;
    const integrity = this.#options.overrides[definition.name] ?? definition.integrity;
    if (integrity === 'chain' && definition.integrity !== 'chain') {
      throw new FiatError(
        'CONFIG_INVALID',
        `option integrity asks to chain stream ${definition.name}, whose definition has no chain columns: define it with integrity: 'chain'`,
      );
    }
    const writer =
      integrity === 'chain'
        ? new ChainWriter({ stream: names.stream, table: names.table, signer: this.#options.signer, chainId: uuidv7(this.#options.clock()) })
        : null;
    this.#writers.set(definition, writer);
    if (writer !== null) this.#startTimer();
    return writer ?? undefined;
  }

  /**
   * Continues an existing chain for `definition` (e.g. one whose sealed records were recovered from a write-ahead
   * file and are delivered as they are): the next record gets `resume.lastSeq + 1` and links to `resume.lastHash`.
   * Call before the stream's first record in this logger; throws `CONFIG_INVALID` when its chain already sealed one.
   */
  resume(definition: StreamDefinition<any>, names: StreamNames, chainId: string, resume: ChainResume): ChainWriter {
    const known = this.#writers.get(definition);
    if (known != null && known.lastSeq > 0) {
      throw new FiatError('CONFIG_INVALID', `stream ${definition.name} already started chain ${known.chainId}: resume a chain before its first record`);
    }
    const writer = new ChainWriter({ stream: names.stream, table: names.table, signer: this.#options.signer, chainId, resume });
    this.#writers.set(definition, writer);
    this.#startTimer();
    return writer;
  }

  /** Call after a sealed line was handed to the transport: writes the chain's checkpoint once `every` records are new. */
  sealed(writer: ChainWriter): void {
    if (writer.uncheckpointed >= this.#options.every) this.#checkpoint(writer);
  }

  /** Writes a checkpoint for every chain with records sealed since its last one. Never throws. */
  checkpointAll(): void {
    for (const writer of this.#writers.values()) {
      if (writer !== null && writer.uncheckpointed > 0) this.#checkpoint(writer);
    }
  }

  /** Writes the last checkpoints and stops the timer; later calls of {@link checkpointAll} still work. */
  stop(): void {
    this.checkpointAll();
    this.#stopped = true;
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
  }

  #startTimer(): void {
    if (this.#timer !== undefined || this.#stopped || this.#options.intervalMs === 0) return;
    this.#timer = setInterval(() => this.checkpointAll(), this.#options.intervalMs);
    this.#timer.unref();
  }

  /** Writes one checkpoint of `writer` now; a refused checkpoint is taken back (the next one covers its records). */
  #checkpoint(writer: ChainWriter): void {
    try {
      const now = this.#options.clock();
      const fields = writer.checkpoint(now);
      if (fields === undefined) return;
      try {
        const eventId = uuidv7(now);
        const line = FiatCheckpoint.encode(fields, { ...this.#options.envelope, eventId, eventTime: now });
        this.#options.write({ names: this.#options.checkpointNames, line, eventId, time: now });
      } catch (error) {
        writer.cancelCheckpoint(fields);
        throw error;
      }
      this.#checkpoints += 1;
    } catch (error) {
      this.#report(writer, error);
    }
  }

  #report(writer: ChainWriter, error: unknown): void {
    const reason = error instanceof Error ? error.message : String(error);
    const report = new FiatError(
      isFiatError(error) ? error.code : 'DELIVERY_FAILED',
      `the checkpoint of chain ${writer.chainId} (${writer.stream}) was not written: ${reason}`,
      { cause: error },
    );
    try {
      this.#options.onError(report);
    } catch {
      // A throwing onError must not reach the host (this may run in a timer or an exit handler).
    }
  }
}
