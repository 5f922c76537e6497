import { formatTimestamp } from '../storedTimestamp.js';
import { FiatError } from '../errors.js';
import { uuidv7 } from '../uuid.js';
import type { CheckpointFields } from './checkpointStream.js';
import { CHAIN_HASH_MEMBER, GENESIS_HASH, isChainHash, sha256Hex } from './hash.js';
import { checkpointMessage, UNSIGNED, type ChainSigner } from './signing.js';

/** Where a chain left off, to continue it (e.g. after records were recovered from a write-ahead file). */
export interface ChainResume {
  /** The `chain_seq` of the last record sealed. */
  readonly lastSeq: number;
  /** The `chain_hash` of that record. */
  readonly lastHash: string;
  /** The `last_seq` of the chain's last checkpoint. Default: 0 (none yet). */
  readonly checkpointSeq?: number;
}

/** Options of a {@link ChainWriter}. */
export interface ChainWriterOptions {
  /** The chained stream's name, stored in its checkpoints. Required. */
  readonly stream: string;
  /** The chained stream's table, stored in its checkpoints. Required. */
  readonly table: string;
  /** Signs checkpoints (see `createChainSigner`). Default: unsigned. */
  readonly signer?: ChainSigner;
  /** The chain's id. Default: a new UUIDv7 (its time is the chain's start). */
  readonly chainId?: string;
  /** Continue an existing chain instead of starting at `chain_seq` 1. Default: a new chain. */
  readonly resume?: ChainResume;
}

/**
 * One tamper-evident hash chain: seals each encoded line with `chain_id`, `chain_seq` (1, 2, 3, … without gaps)
 * and, as its last member, `chain_hash` = SHA-256(previous hash + the line without `chain_hash`), and makes the
 * chain's checkpoints. Lines must be sealed in the order they are handed to the transport.
 *
 * @example
 * ```ts
 * const chain = new ChainWriter({ stream: 'Audit', table: 'audit', signer: createChainSigner() });
 * const line = chain.seal(Audit.encode(fields, envelope)); // '{…,"chain_id":"…","chain_seq":1,"chain_hash":"…"}\n'
 * const checkpoint = chain.checkpoint(Date.now());        // FiatCheckpoint fields, or undefined when nothing is new
 * ```
 */
export class ChainWriter {
  /** The chain's id. */
  readonly chainId: string;
  readonly stream: string;
  readonly table: string;
  readonly #signer: ChainSigner;
  readonly #idMember: string;
  #seq: number;
  #hash: string;
  #checkpointSeq: number;
  /** The hash before the last seal, while that seal can still be taken back ({@link unseal}); else undefined. */
  #previousHash: string | undefined;

  constructor(options: ChainWriterOptions) {
    this.chainId = options.chainId ?? uuidv7();
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(this.chainId)) {
      throw new FiatError('CONFIG_INVALID', `chainId must be a lowercase UUID, got ${JSON.stringify(this.chainId)}`);
    }
    this.stream = options.stream;
    this.table = options.table;
    this.#signer = options.signer ?? UNSIGNED;
    this.#idMember = `,"chain_id":"${this.chainId}","chain_seq":`;
    const resume = options.resume;
    this.#seq = resume?.lastSeq ?? 0;
    this.#hash = resume?.lastHash ?? GENESIS_HASH;
    this.#checkpointSeq = resume?.checkpointSeq ?? 0;
    if (!Number.isSafeInteger(this.#seq) || this.#seq < 0 || !isChainHash(this.#hash) || this.#checkpointSeq > this.#seq) {
      throw new FiatError('CONFIG_INVALID', 'resume must give lastSeq >= checkpointSeq >= 0 and lastHash as 64 lowercase hex digits');
    }
  }

  /** The `chain_seq` of the last record sealed (0 before the first). */
  get lastSeq(): number {
    return this.#seq;
  }

  /** The `chain_hash` of the last record sealed ({@link GENESIS_HASH} before the first). */
  get lastHash(): string {
    return this.#hash;
  }

  /** Records sealed since the last checkpoint. */
  get uncheckpointed(): number {
    return this.#seq - this.#checkpointSeq;
  }

  /**
   * Seals one encoded line (a JSON object, with or without its `\n`): inserts `"chain_id"` and `"chain_seq"` at
   * offset `at` (where a member may start, e.g. right after the envelope; default: after the last member), appends
   * `"chain_hash"` as the last member, and returns the stored line ending with `\n`. Throws `VALIDATION_FAILED`
   * when `line` is not an object with at least one member or `at` is not inside it.
   */
  seal(line: string, at?: number): string {
    const end = line.endsWith('\n') ? line.length - 1 : line.length;
    const close = end - 1;
    const position = at ?? close;
    if (line.charCodeAt(0) !== 0x7b || line.charCodeAt(close) !== 0x7d || close < 2 || !Number.isInteger(position) || position < 2 || position > close) {
      throw new FiatError('VALIDATION_FAILED', `cannot seal a line that is not a JSON object with members (insert offset ${String(at)})`);
    }
    const seq = this.#seq + 1;
    const previous = this.#hash;
    // chainHash(previous, unsealed) built as one string: hashed once, and its text after the 64 hex digits of
    // `previous`, less the closing `}`, starts the stored line (no second copy of the record's text to build).
    const hashed =
      position === close
        ? previous + line.slice(0, close) + this.#idMember + seq + '}'
        : previous + line.slice(0, position) + this.#idMember + seq + line.slice(position, close) + '}';
    const hash = sha256Hex(hashed);
    this.#previousHash = previous;
    this.#seq = seq;
    this.#hash = hash;
    return hashed.slice(previous.length, hashed.length - 1) + CHAIN_HASH_MEMBER + hash + '"}\n';
  }

  /**
   * Takes back the last seal, for a sealed line the transport refused: the next line gets its `chain_seq` again,
   * so the chain has no gap. Only the last seal, once, and not after a checkpoint covered it; returns whether it
   * was taken back.
   *
   * @example
   * ```ts
   * const line = chain.seal(encoded);
   * try { transport.write({ names, line, eventId, time }); } catch (error) { chain.unseal(); throw error; }
   * ```
   */
  unseal(): boolean {
    if (this.#previousHash === undefined) return false;
    this.#seq -= 1;
    this.#hash = this.#previousHash;
    this.#previousHash = undefined;
    return true;
  }

  /**
   * The fields of a `FiatCheckpoint` record covering everything sealed so far, signed over the checkpoint message
   * with `event_time` = `eventTime` (epoch ms): encode the record with that same `event_time`. Returns `undefined`
   * when nothing was sealed since the last checkpoint.
   */
  checkpoint(eventTime: number): CheckpointFields | undefined {
    if (this.#seq === this.#checkpointSeq) return undefined;
    const claims = {
      chain_id: this.chainId,
      stream: this.stream,
      table: this.table,
      last_seq: this.#seq,
      last_hash: this.#hash,
      record_count: this.#seq - this.#checkpointSeq,
      event_time: formatTimestamp(eventTime),
      signature_alg: this.#signer.alg,
      key_id: this.#signer.keyId,
    };
    const signature = this.#signer.sign(checkpointMessage(claims));
    this.#checkpointSeq = this.#seq;
    this.#previousHash = undefined;
    const { event_time: _eventTime, ...fields } = claims;
    return { ...fields, signature };
  }

  /**
   * Takes back the checkpoint `fields` (the last one {@link checkpoint} returned), for a checkpoint record the
   * transport refused: the next checkpoint then covers its records too, so its `record_count` shows no removed
   * checkpoint. Returns whether it was taken back (not when a later checkpoint was made).
   *
   * @example
   * ```ts
   * const fields = chain.checkpoint(now);
   * try { writeCheckpoint(fields); } catch (error) { chain.cancelCheckpoint(fields); report(error); }
   * ```
   */
  cancelCheckpoint(fields: CheckpointFields): boolean {
    if (fields.chain_id !== this.chainId || fields.last_seq !== this.#checkpointSeq) return false;
    this.#checkpointSeq = fields.last_seq - fields.record_count;
    return true;
  }
}
