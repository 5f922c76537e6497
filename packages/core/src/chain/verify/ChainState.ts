import { chainHash, GENESIS_HASH } from '../hash.js';
import type { SignatureVerdict } from '../keyring.js';
import type { CheckpointClaims } from '../signing.js';
import type { ChainedLine } from './parse.js';
import { parseStoredTimestamp } from '../../storedTimestamp.js';
import type { ChainFinding, ChainReport, LineLocation } from './report.js';
import { SeqTable } from './SeqTable.js';
import { crossFileOrder, type SourceSeqs } from './sourceOrder.js';

/** The most findings one chain lists; the rest are counted in `findingsOmitted`. */
export const MAX_CHAIN_FINDINGS = 1000;

/** A checkpoint of the chain with the verdict on its signature. */
export interface CheckpointEntry {
  readonly claims: CheckpointClaims;
  readonly time: number;
  readonly at: LineLocation;
  readonly verdict: SignatureVerdict;
  /** True when it may confirm records: a valid signature, or unsigned when no key was given. */
  readonly accepted: boolean;
}

/** How a chain is verified. */
export interface ChainStateOptions {
  /** Check that files ordered by the time in their names hold increasing seqs (the local lake). */
  readonly strictOrder: boolean;
  /** A tail not covered by a checkpoint whose first record is younger than this is open, not truncated. */
  readonly openTailMs: number;
  /** The verification's time, epoch milliseconds. */
  readonly now: number;
}

/**
 * The verification state of one chain: the hash of every seq seen, the first record after each gap (kept until
 * its predecessor arrives), the checkpoints, and the findings. Records may arrive in any order.
 */
export class ChainState {
  readonly chainId: string;
  readonly #options: ChainStateOptions;
  readonly #table = new SeqTable();
  /** Records whose predecessor had not arrived: their unsealed text, to link them once it does. */
  readonly #stash = new Map<number, { readonly unsealed: string; readonly at: LineLocation }>();
  readonly #checkpoints: CheckpointEntry[] = [];
  readonly #sources = new Map<string, SourceSeqs>();
  readonly #findings: ChainFinding[] = [];
  #omitted = 0;
  #anchor: CheckpointEntry | undefined;
  #stream: string | undefined;
  #base = 1;
  #baseHash = GENESIS_HASH;
  #nextSeq = 1;
  #prevHash = GENESIS_HASH;
  #coveredSeq = 0;
  #tailTime = '';
  #maxSeq = 0;
  #records = 0;
  #verified = 0;
  #duplicates = 0;
  #skipped = 0;

  constructor(chainId: string, options: ChainStateOptions) {
    this.chainId = chainId;
    this.#options = options;
  }

  /** The stream the chain's records were found in, if any. */
  get stream(): string | undefined {
    return this.#stream;
  }

  /** Distinct records found so far. */
  get records(): number {
    return this.#records;
  }

  /** The first seq this verification covers. */
  get fromSeq(): number {
    return this.#base;
  }

  /** True when the chain has something inside the verified range: records, or checkpoints after the anchor. */
  get inRange(): boolean {
    return this.#records > 0 || this.#checkpoints.length > 0;
  }

  /** True when the first seq of the range has not been found (earlier partitions may hold it). */
  get lacksStart(): boolean {
    return !this.#table.has(this.#base);
  }

  /**
   * Adds a checkpoint of the chain. With `since`, one made before it is only a candidate anchor: the accepted one
   * with the highest `last_seq` is kept, the others are dropped (so a daily run holds one per old chain).
   */
  addCheckpoint(entry: CheckpointEntry, since?: number): void {
    if (since === undefined || entry.time >= since) this.#checkpoints.push(entry);
    else if (entry.accepted && (this.#anchor === undefined || entry.claims.last_seq > this.#anchor.claims.last_seq)) this.#anchor = entry;
  }

  /**
   * Starts the range after the anchor — the latest accepted checkpoint made before `since` — so records up to it
   * are skipped and its hash is the next record's predecessor; drops later checkpoints it already covers. Returns
   * the anchor's time, or `undefined` without one.
   */
  anchor(): number | undefined {
    const anchor = this.#anchor;
    if (anchor === undefined) return undefined;
    const kept = this.#checkpoints.filter((c) => c.claims.last_seq > anchor.claims.last_seq);
    this.#checkpoints.length = 0;
    this.#checkpoints.push(...kept);
    this.#base = anchor.claims.last_seq + 1;
    this.#baseHash = anchor.claims.last_hash;
    this.#nextSeq = this.#base;
    this.#prevHash = this.#baseHash;
    return anchor.time;
  }

  /** Call once all checkpoints are in, before the first record: fixes the seq that checkpoints cover up to. */
  startRecords(): void {
    for (const c of this.#checkpoints) if (c.accepted && c.claims.last_seq > this.#coveredSeq) this.#coveredSeq = c.claims.last_seq;
    if (this.#coveredSeq < this.#base - 1) this.#coveredSeq = this.#base - 1;
  }

  /** Adds one record of the chain, found at `at` in `stream`. */
  addRecord(line: ChainedLine, at: LineLocation, stream: string): void {
    const { seq, hash } = line;
    if (seq < this.#base) {
      this.#skipped += 1;
      return;
    }
    this.#stream ??= stream;
    if (this.#table.has(seq)) {
      this.#duplicate(line, at);
      return;
    }
    this.#records += 1;
    if (seq > this.#maxSeq) this.#maxSeq = seq;
    if (seq === this.#coveredSeq + 1) this.#tailTime = line.eventTime;
    if (this.#options.strictOrder) this.#trackSource(seq, at);
    const previous = this.#previousHash(seq);
    if (previous === undefined) this.#stash.set(seq, { unsealed: line.unsealed, at });
    else this.#link(seq, previous, line.unsealed, hash, at);
    this.#table.set(seq, hash);
    const waiting = this.#stash.get(seq + 1);
    if (waiting !== undefined) {
      this.#stash.delete(seq + 1);
      this.#link(seq + 1, hash, waiting.unsealed, this.#table.get(seq + 1)!, waiting.at);
    }
    if (seq === this.#nextSeq) this.#advance(hash);
  }

  #previousHash(seq: number): string | undefined {
    if (seq === this.#nextSeq) return this.#prevHash;
    if (seq === this.#base) return this.#baseHash;
    return this.#table.get(seq - 1);
  }

  #advance(hash: string): void {
    this.#nextSeq += 1;
    this.#prevHash = hash;
    if (!this.#table.has(this.#nextSeq)) return;
    while (this.#table.has(this.#nextSeq)) this.#nextSeq += 1;
    this.#prevHash = this.#table.get(this.#nextSeq - 1)!;
  }

  #link(seq: number, previous: string, unsealed: string, hash: string, at: LineLocation): void {
    if (chainHash(previous, unsealed) === hash) {
      this.#verified += 1;
      return;
    }
    const last = this.#findings.at(-1);
    if (last?.kind === 'modified' && last.to === seq - 1) this.#findings[this.#findings.length - 1] = { ...last, to: seq };
    else this.#add({ kind: 'modified', from: seq, to: seq, at });
  }

  /**
   * A second record with a seq already seen: an exact duplicate when its bytes are the first one's. Only the first
   * one's hash is kept, so with a known predecessor the copy is exact when it verifies exactly as the first did
   * (both verify, or both fail and are already reported as modified); after a gap the first one's text is stashed.
   */
  #duplicate(line: ChainedLine, at: LineLocation): void {
    let exact = this.#table.get(line.seq) === line.hash;
    if (exact) {
      const previous = this.#previousHash(line.seq);
      exact =
        previous !== undefined
          ? (chainHash(previous, line.unsealed) === line.hash) !== this.#isModified(line.seq)
          : this.#stash.get(line.seq)?.unsealed === line.unsealed;
    }
    if (exact) this.#duplicates += 1;
    else this.#add({ kind: 'conflicting-duplicate', seq: line.seq, at });
  }

  /** True when `seq` was already reported as modified. */
  #isModified(seq: number): boolean {
    return this.#findings.some((f) => f.kind === 'modified' && f.from <= seq && seq <= f.to);
  }

  #trackSource(seq: number, at: LineLocation): void {
    const seen = this.#sources.get(at.source);
    if (seen === undefined) {
      this.#sources.set(at.source, { source: at.source, firstLine: at.line, minSeq: seq, maxSeq: seq, lastSeq: seq });
      return;
    }
    if (seq < seen.lastSeq) this.#add({ kind: 'reordered', from: seq, to: seq, at, after: `seq ${seen.lastSeq} in the same file` });
    seen.lastSeq = seq;
    if (seq < seen.minSeq) seen.minSeq = seq;
    if (seq > seen.maxSeq) seen.maxSeq = seq;
  }

  #add(finding: ChainFinding): void {
    if (this.#findings.length < MAX_CHAIN_FINDINGS) this.#findings.push(finding);
    else this.#omitted += 1;
  }

  /** Checks checkpoints, gaps, the tail and file order, and reports. */
  finish(): ChainReport {
    this.#checkpointFindings();
    for (const range of this.#table.missing(this.#base, this.#maxSeq)) this.#add({ kind: 'missing', ...range });
    const openTail = this.#tailFindings();
    if (this.#options.strictOrder) for (const finding of crossFileOrder(this.#sources.values())) this.#add(finding);
    const accepted = this.#checkpoints.filter((c) => c.accepted);
    return {
      chainId: this.chainId,
      stream: this.#stream ?? this.#checkpoints[0]?.claims.stream ?? '',
      fromSeq: this.#base,
      lastSeq: Math.max(this.#maxSeq, this.#base - 1),
      records: this.#records,
      verified: this.#verified,
      duplicates: this.#duplicates,
      skipped: this.#skipped,
      checkpoints: { valid: accepted.length, lastSeq: Math.max(0, ...accepted.map((c) => c.claims.last_seq)) },
      ...(openTail !== undefined ? { openTail } : {}),
      findings: [...this.#findings],
      findingsOmitted: this.#omitted,
      ok: this.#findings.length === 0 && this.#omitted === 0,
    };
  }

  #checkpointFindings(): void {
    const sorted = [...this.#checkpoints].sort((a, b) => a.claims.last_seq - b.claims.last_seq);
    for (const c of sorted) {
      if (!c.accepted) this.#add({ kind: 'bad-signature', lastSeq: c.claims.last_seq, verdict: c.verdict as Exclude<SignatureVerdict, 'valid'>, keyId: c.claims.key_id, at: c.at });
    }
    // Every checkpoint, even one with a bad signature (already reported), shows that one was written at its seq.
    let previous = this.#base - 1;
    for (const c of sorted) {
      const { last_seq: seq, record_count: count } = c.claims;
      if (seq === previous) continue;
      if (count < seq - previous) this.#add({ kind: 'checkpoint-missing', from: previous + 1, to: seq - count, at: c.at });
      previous = seq;
    }
    const accepted = sorted.filter((c) => c.accepted);
    accepted.forEach((c, i) => {
      const before = accepted[i - 1];
      if (before?.claims.last_seq !== c.claims.last_seq) this.#checkCheckpoint(c);
      else if (before.claims.last_hash !== c.claims.last_hash) {
        this.#add({ kind: 'checkpoint-mismatch', lastSeq: c.claims.last_seq, reason: 'another checkpoint at the same seq has another last_hash', at: c.at });
      }
    });
    const last = accepted.at(-1);
    if (last !== undefined && last.claims.last_seq > this.#maxSeq) {
      const from = Math.max(this.#maxSeq + 1, this.#base);
      this.#add({ kind: 'truncated', reason: 'checkpoint-past-end', from, to: last.claims.last_seq, at: last.at });
    }
  }

  #checkCheckpoint(c: CheckpointEntry): void {
    const { last_seq: seq, last_hash: hash, stream } = c.claims;
    if (this.#stream !== undefined && stream !== this.#stream) {
      this.#add({ kind: 'checkpoint-mismatch', lastSeq: seq, reason: `names stream ${stream}, but the chain's records are in ${this.#stream}`, at: c.at });
    }
    const stored = this.#table.get(seq);
    if (stored !== undefined && stored !== hash) {
      this.#add({ kind: 'checkpoint-mismatch', lastSeq: seq, reason: `signed last_hash ${hash.slice(0, 12)}…, but record ${seq} has ${stored.slice(0, 12)}…`, at: c.at });
    }
  }

  #tailFindings(): { from: number; to: number } | undefined {
    if (this.#maxSeq <= this.#coveredSeq) return undefined;
    const range = { from: this.#coveredSeq + 1, to: this.#maxSeq };
    const { openTailMs, now } = this.#options;
    const tailMs = parseStoredTimestamp(this.#tailTime);
    if (openTailMs > 0 && tailMs !== undefined && now - tailMs < openTailMs) return range;
    this.#add({ kind: 'truncated', reason: 'uncovered-tail', ...range });
    return undefined;
  }
}
