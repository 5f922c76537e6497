import type { SignatureVerdict } from '../keyring.js';

/** Where a line is: its file or object key and its 1-based line number. */
export interface LineLocation {
  readonly source: string;
  readonly line: number;
}

/**
 * One problem found in a chain. Every kind fails verification.
 *
 * - `modified`: the records `from`–`to` do not hash to their `chain_hash` from their predecessor (a record was
 *   edited, or its predecessor was replaced); `at` is the first of them.
 * - `missing`: no record with a seq in `from`–`to` was found, though later ones were.
 * - `truncated`: `uncovered-tail` — records `from`–`to` come after the chain's last valid checkpoint, so their
 *   removal could not be told from their absence; `checkpoint-past-end` — a checkpoint (`at`) covers `from`–`to`
 *   but no record from `from` on was found.
 * - `bad-signature`: a checkpoint whose signature is invalid, made with a key not given (`unknown-key`), or absent
 *   while keys were given (`unsigned`); it is not used to confirm anything.
 * - `conflicting-duplicate`: a second record with seq `seq` and different bytes.
 * - `checkpoint-mismatch`: a checkpoint disagrees with the chain (another hash at `last_seq`, another stream, or
 *   another checkpoint at the same seq).
 * - `checkpoint-missing`: a checkpoint's `record_count` shows that a checkpoint covering up to `to` was removed.
 * - `reordered`: (local lake only) the records `from`–`to` sit in a file (`at`) that is ordered after `after` by
 *   the time in its name but holds earlier seqs, or after a later seq in the same file.
 */
export type ChainFinding =
  | { readonly kind: 'modified'; readonly from: number; readonly to: number; readonly at: LineLocation }
  | { readonly kind: 'missing'; readonly from: number; readonly to: number }
  | {
      readonly kind: 'truncated';
      readonly reason: 'uncovered-tail' | 'checkpoint-past-end';
      readonly from: number;
      readonly to: number;
      readonly at?: LineLocation;
    }
  | {
      readonly kind: 'bad-signature';
      readonly lastSeq: number;
      readonly verdict: Exclude<SignatureVerdict, 'valid'>;
      readonly keyId: string;
      readonly at: LineLocation;
    }
  | { readonly kind: 'conflicting-duplicate'; readonly seq: number; readonly at: LineLocation }
  | { readonly kind: 'checkpoint-mismatch'; readonly lastSeq: number; readonly reason: string; readonly at: LineLocation }
  | { readonly kind: 'checkpoint-missing'; readonly from: number; readonly to: number; readonly at: LineLocation }
  | { readonly kind: 'reordered'; readonly from: number; readonly to: number; readonly at: LineLocation; readonly after: string };

/** What verification found for one chain. */
export interface ChainReport {
  readonly chainId: string;
  /** The stream its records were found in (or its checkpoints name, when no record was found). */
  readonly stream: string;
  /** The first seq verified: 1, or the seq after the `--since` anchor checkpoint. */
  readonly fromSeq: number;
  /** The highest seq found (`fromSeq - 1` when none). */
  readonly lastSeq: number;
  /** Distinct records found (exact duplicates not counted). */
  readonly records: number;
  /** Records whose hash was recomputed from their predecessor and matched. */
  readonly verified: number;
  /** Exact duplicates dropped (same seq, same bytes). */
  readonly duplicates: number;
  /** Records before `fromSeq` that were read and skipped (with `--since`). */
  readonly skipped: number;
  /** Valid checkpoints of the chain, and the highest seq they cover (0 when none). */
  readonly checkpoints: { readonly valid: number; readonly lastSeq: number };
  /** With `openTailMs`: a recent tail not covered by a checkpoint yet, reported but not failing. */
  readonly openTail?: { readonly from: number; readonly to: number };
  readonly findings: readonly ChainFinding[];
  /** Findings not listed because a chain lists at most 1,000. */
  readonly findingsOmitted: number;
  readonly ok: boolean;
}

/**
 * A problem with a line that belongs to no chain: `unchained` (a record of a chained stream without chain fields),
 * `malformed` (not a record verification can read), or `misplaced` (a file whose `dt=` folder is not the date in
 * its name).
 */
export interface LineFinding {
  readonly kind: 'unchained' | 'malformed' | 'misplaced';
  readonly reason: string;
  readonly at: LineLocation;
}

/** What verification read from one stream. */
export interface StreamReport {
  readonly stream: string;
  /** Lines read (records and problems alike). */
  readonly lines: number;
  /** Lines with chain fields. */
  readonly chained: number;
  /** Lines without chain fields: fine in a stream that has no chained line, a finding otherwise. */
  readonly unchained: number;
  readonly findings: readonly LineFinding[];
  readonly ok: boolean;
}

/** The result of verifying chains: `ok` only when every chain, stream and checkpoint line is. */
export interface VerifyReport {
  readonly ok: boolean;
  readonly chains: readonly ChainReport[];
  readonly streams: readonly StreamReport[];
  /** Checkpoint lines read, exact duplicates among them, and lines that are not checkpoints. */
  readonly checkpoints: { readonly lines: number; readonly duplicates: number; readonly findings: readonly LineFinding[] };
}

/**
 * One sentence describing a chain finding, for people.
 *
 * @example
 * ```ts
 * describeChainFinding({ kind: 'missing', from: 5, to: 9 }); // 'records 5–9 are missing'
 * ```
 */
export function describeChainFinding(finding: ChainFinding): string {
  const where = (at: LineLocation): string => `${at.source}:${at.line}`;
  const seqs = (from: number, to: number): string => (from === to ? `record ${from}` : `records ${from}–${to}`);
  switch (finding.kind) {
    case 'modified':
      return `${seqs(finding.from, finding.to)} modified: hash does not follow from the previous record (first at ${where(finding.at)})`;
    case 'missing':
      return `${seqs(finding.from, finding.to)} missing`;
    case 'truncated':
      return finding.reason === 'uncovered-tail'
        ? `${seqs(finding.from, finding.to)} not covered by any checkpoint: the tail may have been cut or appended to`
        : `truncated: ${seqs(finding.from, finding.to)} missing, though the checkpoint at ${where(finding.at!)} covers them`;
    case 'bad-signature':
      return `checkpoint at seq ${finding.lastSeq} (${where(finding.at)}): ${
        finding.verdict === 'invalid'
          ? 'signature does not verify'
          : finding.verdict === 'unknown-key'
            ? `signed with key ${finding.keyId}, which was not given`
            : 'unsigned, though keys were given'
      }`;
    case 'conflicting-duplicate':
      return `record ${finding.seq} appears twice with different bytes (second at ${where(finding.at)})`;
    case 'checkpoint-mismatch':
      return `checkpoint at seq ${finding.lastSeq} (${where(finding.at)}): ${finding.reason}`;
    case 'checkpoint-missing':
      return `a checkpoint covering up to seq ${finding.to} is missing (record_count of ${where(finding.at)})`;
    case 'reordered':
      return `${seqs(finding.from, finding.to)} in ${where(finding.at)} are out of order (after ${finding.after})`;
  }
}
