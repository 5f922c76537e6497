const CHUNK_SEQS = 4096;

interface Chunk {
  /** 32 bytes per seq. */
  readonly hashes: Buffer;
  /** 1 when the seq is present. */
  readonly present: Uint8Array;
  count: number;
}

/** A closed range of `chain_seq` values. */
export interface SeqRange {
  readonly from: number;
  readonly to: number;
}

/**
 * The `chain_hash` of every seq of one chain seen so far, 32 bytes per seq in chunks of 4,096 seqs allocated as
 * seqs arrive: 1,000,000 records take 32 MB.
 *
 * @example
 * ```ts
 * const table = new SeqTable();
 * table.set(1, hash);
 * table.get(1); // hash
 * table.missing(1, 3); // [{ from: 2, to: 3 }]
 * ```
 */
export class SeqTable {
  readonly #chunks = new Map<number, Chunk>();

  /** True when `seq` was set. */
  has(seq: number): boolean {
    const chunk = this.#chunks.get(Math.floor(seq / CHUNK_SEQS));
    return chunk !== undefined && chunk.present[seq % CHUNK_SEQS] === 1;
  }

  /** The hash stored for `seq`, as 64 lowercase hex digits, or `undefined`. */
  get(seq: number): string | undefined {
    const chunk = this.#chunks.get(Math.floor(seq / CHUNK_SEQS));
    const slot = seq % CHUNK_SEQS;
    if (chunk === undefined || chunk.present[slot] !== 1) return undefined;
    return chunk.hashes.toString('hex', slot * 32, slot * 32 + 32);
  }

  /** Stores the hash (64 hex digits) of `seq`. */
  set(seq: number, hash: string): void {
    const index = Math.floor(seq / CHUNK_SEQS);
    let chunk = this.#chunks.get(index);
    if (chunk === undefined) {
      chunk = { hashes: Buffer.alloc(CHUNK_SEQS * 32), present: new Uint8Array(CHUNK_SEQS), count: 0 };
      this.#chunks.set(index, chunk);
    }
    const slot = seq % CHUNK_SEQS;
    chunk.hashes.write(hash, slot * 32, 32, 'hex');
    if (chunk.present[slot] !== 1) {
      chunk.present[slot] = 1;
      chunk.count += 1;
    }
  }

  /** The ranges of seqs in `[from, to]` that were never set, in order. */
  missing(from: number, to: number): SeqRange[] {
    const out: SeqRange[] = [];
    let start = -1;
    let seq = from;
    while (seq <= to) {
      const index = Math.floor(seq / CHUNK_SEQS);
      const chunk = this.#chunks.get(index);
      const chunkEnd = Math.min(to, index * CHUNK_SEQS + CHUNK_SEQS - 1);
      if (chunk === undefined || chunk.count === 0) {
        if (start === -1) start = seq;
        seq = chunkEnd + 1;
        continue;
      }
      for (; seq <= chunkEnd; seq++) {
        const present = chunk.present[seq % CHUNK_SEQS] === 1;
        if (!present && start === -1) start = seq;
        if (present && start !== -1) {
          out.push({ from: start, to: seq - 1 });
          start = -1;
        }
      }
    }
    if (start !== -1) out.push({ from: start, to });
    return out;
  }
}
