import { FiatError } from '../../errors.js';
import { ChainKeyring, type ChainKeys } from '../keyring.js';
import { ChainState } from './ChainState.js';
import { parseChainedLine, parseCheckpointLine, uuidv7Time } from './parse.js';
import type { LineFinding, VerifyReport } from './report.js';
import { misplacedReason } from './sourceOrder.js';
import { StreamTally } from './StreamTally.js';

/** A block of complete stored lines from one file or object, as read (gunzipped, not parsed). */
export interface StoredChunk {
  /** The file or object key, e.g. `audit/dt=2026-11-26/fiat-audit-1-2026-11-26-09-05-07-<uuid>.gz`. */
  readonly source: string;
  /** The stream the source belongs to, e.g. `Audit` (`FiatCheckpoint` for checkpoints). */
  readonly stream: string;
  /** Line number of the first line of `text` in the source, from 1. Default: 1. */
  readonly firstLine?: number;
  /** Whole lines, each ending with `\n` (the last one may lack it). */
  readonly text: string;
}

/** Options of {@link ChainVerifier} and `verifyChains`. */
export interface ChainVerifierOptions {
  /** Keys to check checkpoint signatures with; when any is given, unsigned checkpoints are refused. Default: none. */
  readonly keys?: ChainKeys | ChainKeyring;
  /**
   * Check file order as the local lake guarantees it: per chain, files ordered by the time in their names hold
   * increasing seqs, lines within a file too, and each file sits in the `dt=` folder of its name's date. Not for
   * S3, where Firehose resends legitimately arrive out of order. Default: `false`.
   */
  readonly strictOrder?: boolean;
  /**
   * Verify only from this time (epoch ms): each chain starts after its latest accepted checkpoint made before it
   * (records up to that checkpoint are skipped; its `last_hash` anchors the next record), and checkpoints made
   * before it are not checked. Default: from each chain's first record.
   */
  readonly since?: number;
  /**
   * A tail of records after a chain's last checkpoint whose first record is younger than this (ms) is reported as
   * open (the logger may still be running) instead of truncated. Default: 0 (every uncovered tail is truncated).
   */
  readonly openTailMs?: number;
  /** Only checkpoints of these streams are checked (the streams being verified). Default: every stream. */
  readonly streams?: readonly string[];
  /** The time verification runs at, for `openTailMs`. Default: `Date.now()`. */
  readonly now?: number;
}

/** Chains whose first records lie before the partitions read, and the earliest time to read from. */
export interface Lookback {
  readonly chains: ReadonlySet<string>;
  /** Epoch ms: the anchor checkpoint's time, else the chain's creation (its UUIDv7 time), else 0. */
  readonly from: number;
}

/**
 * Verifies hash chains from their stored lines, streaming: give every checkpoint line first
 * ({@link addCheckpoints}), then the chained streams' lines in any order ({@link addRecords}), then
 * {@link finish}. Memory: 32 bytes per record plus the text of the first record after each gap.
 *
 * @example
 * ```ts
 * const verifier = new ChainVerifier({ keys: { publicKeys: [publicPem] }, strictOrder: true });
 * for (const chunk of checkpointChunks) verifier.addCheckpoints(chunk);
 * for (const chunk of auditChunks) verifier.addRecords(chunk);
 * const report = verifier.finish(); // report.ok, report.chains[0].findings
 * ```
 */
export class ChainVerifier {
  readonly #keyring: ChainKeyring;
  readonly #options: ChainVerifierOptions;
  readonly #chains = new Map<string, ChainState>();
  readonly #anchorTimes = new Map<string, number>();
  readonly #streams = new Map<string, StreamTally>();
  readonly #sources = new Set<string>();
  readonly #checkpointTexts = new Set<string>();
  readonly #checkpointFindings: LineFinding[] = [];
  #checkpointLines = 0;
  #checkpointDuplicates = 0;
  #recordsStarted = false;

  constructor(options: ChainVerifierOptions = {}) {
    this.#options = options;
    this.#keyring = options.keys instanceof ChainKeyring ? options.keys : new ChainKeyring(options.keys);
  }

  /** Adds lines of the checkpoint stream. All of them must come before the first record. */
  addCheckpoints(chunk: StoredChunk): void {
    if (this.#recordsStarted) throw new FiatError('CONFIG_INVALID', 'give every checkpoint before the first record');
    const { since, streams } = this.#options;
    forEachLine(chunk, (text, line) => {
      this.#checkpointLines += 1;
      const at = { source: chunk.source, line };
      const parsed = parseCheckpointLine(text);
      const inRange = parsed.kind !== 'checkpoint' || since === undefined || parsed.time >= since;
      // Only checkpoints in range are remembered whole; earlier ones are anchor candidates, where a copy is harmless.
      if (inRange && this.#checkpointTexts.has(text)) {
        this.#checkpointDuplicates += 1;
        return;
      }
      if (inRange) this.#checkpointTexts.add(text);
      if (parsed.kind !== 'checkpoint') {
        if (inRange) this.#checkpointFindings.push({ kind: 'malformed', reason: parsed.reason, at });
        return;
      }
      if (streams !== undefined && !streams.includes(parsed.claims.stream)) return;
      const verdict = this.#keyring.check(parsed.claims, parsed.signature);
      const accepted = verdict === 'valid' || (verdict === 'unsigned' && !this.#keyring.hasKeys);
      this.#chain(parsed.claims.chain_id).addCheckpoint({ claims: parsed.claims, time: parsed.time, at, verdict, accepted }, since);
    });
  }

  /**
   * Adds lines of a chained stream. With `only`, lines of other chains are ignored (for reading earlier
   * partitions after {@link lookback}).
   */
  addRecords(chunk: StoredChunk, only?: ReadonlySet<string>): void {
    this.#startRecords();
    const tally = this.#tally(chunk.stream);
    this.#checkSource(chunk, tally);
    forEachLine(chunk, (text, line) => {
      const parsed = parseChainedLine(text);
      if (only !== undefined && (parsed.kind !== 'chained' || !only.has(parsed.chainId))) return;
      const at = { source: chunk.source, line };
      tally.count(parsed, at);
      if (parsed.kind === 'chained') this.#chain(parsed.chainId).addRecord(parsed, at, chunk.stream);
    });
  }

  /**
   * Chains whose range starts before the records given so far (their first seq, or the seq after their anchor
   * checkpoint, was not found), and the earliest time their missing start can have been delivered; `undefined`
   * when none. Read the partitions from that time on with `addRecords(chunk, lookback.chains)`.
   */
  lookback(): Lookback | undefined {
    const chains = new Set<string>();
    let from = Number.POSITIVE_INFINITY;
    for (const state of this.#chains.values()) {
      if (!state.inRange || !state.lacksStart) continue;
      chains.add(state.chainId);
      from = Math.min(from, this.#anchorTimes.get(state.chainId) ?? (state.fromSeq === 1 ? uuidv7Time(state.chainId) : undefined) ?? 0);
    }
    return chains.size === 0 ? undefined : { chains, from };
  }

  /** Finishes every chain and returns the report. */
  finish(): VerifyReport {
    this.#startRecords();
    const chains = [...this.#chains.values()]
      .filter((state) => state.inRange)
      .map((state) => state.finish())
      .sort((a, b) => a.stream.localeCompare(b.stream) || a.chainId.localeCompare(b.chainId));
    const streams = [...this.#streams.values()].map((tally) => tally.report());
    const ok = chains.every((c) => c.ok) && streams.every((s) => s.ok) && this.#checkpointFindings.length === 0;
    return {
      ok,
      chains,
      streams,
      checkpoints: { lines: this.#checkpointLines, duplicates: this.#checkpointDuplicates, findings: [...this.#checkpointFindings] },
    };
  }

  #chain(chainId: string): ChainState {
    let state = this.#chains.get(chainId);
    if (state === undefined) {
      state = new ChainState(chainId, {
        strictOrder: this.#options.strictOrder ?? false,
        openTailMs: this.#options.openTailMs ?? 0,
        now: this.#options.now ?? Date.now(),
      });
      this.#chains.set(chainId, state);
      if (this.#recordsStarted) state.startRecords();
    }
    return state;
  }

  #startRecords(): void {
    if (this.#recordsStarted) return;
    this.#recordsStarted = true;
    for (const state of this.#chains.values()) {
      const anchored = state.anchor();
      if (anchored !== undefined) this.#anchorTimes.set(state.chainId, anchored);
      state.startRecords();
    }
  }

  #tally(stream: string): StreamTally {
    let tally = this.#streams.get(stream);
    if (tally === undefined) {
      tally = new StreamTally(stream);
      this.#streams.set(stream, tally);
    }
    return tally;
  }

  #checkSource(chunk: StoredChunk, tally: StreamTally): void {
    if (!this.#options.strictOrder || this.#sources.has(chunk.source)) return;
    this.#sources.add(chunk.source);
    const reason = misplacedReason(chunk.source);
    if (reason !== undefined) tally.add({ kind: 'misplaced', reason, at: { source: chunk.source, line: chunk.firstLine ?? 1 } });
  }
}

function forEachLine(chunk: StoredChunk, visit: (text: string, line: number) => void): void {
  const { text } = chunk;
  let line = chunk.firstLine ?? 1;
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    visit(text.slice(start, end), line);
    line += 1;
    start = end + 1;
  }
}
