import type { ChainFinding } from './report.js';

/** The seqs of one chain found in one source (file or object), for the local lake's order checks. */
export interface SourceSeqs {
  readonly source: string;
  /** The line of the first record of the chain in this source. */
  readonly firstLine: number;
  minSeq: number;
  maxSeq: number;
  /** The seq of the chain's previous line in this source. */
  lastSeq: number;
}

const NAME_TIME = /-(\d{4})-(\d{2})-(\d{2})-(\d{2})-(\d{2})-(\d{2})-[^/]*$/;
const PARTITION = /(?:^|\/)dt=(\d{4}-\d{2}-\d{2})\//;

/**
 * The time in a lake file's or Firehose object's name (`…-YYYY-MM-DD-HH-mm-ss-<id>.gz`, the arrival of its oldest
 * record), in epoch milliseconds, or `undefined` when the name has another form.
 *
 * @example
 * ```ts
 * sourceNameTime('audit/dt=2026-11-26/fiat-audit-1-2026-11-26-09-05-07-ab12.gz'); // Date.UTC(2026, 10, 26, 9, 5, 7)
 * ```
 */
export function sourceNameTime(source: string): number | undefined {
  const match = NAME_TIME.exec(source);
  if (match === null) return undefined;
  const [, y, mo, d, h, mi, s] = match.map(Number) as number[];
  const time = Date.UTC(y!, mo! - 1, d!, h!, mi!, s!);
  return Number.isNaN(time) ? undefined : time;
}

/**
 * Why a source is in the wrong partition (its `dt=` folder is not the date in its name), or `undefined`.
 *
 * @example
 * ```ts
 * misplacedReason('audit/dt=2026-11-27/fiat-audit-1-2026-11-26-09-05-07-ab12.gz'); // 'in dt=2026-11-27, named 2026-11-26'
 * ```
 */
export function misplacedReason(source: string): string | undefined {
  const partition = PARTITION.exec(source)?.[1];
  const time = sourceNameTime(source);
  if (partition === undefined || time === undefined) return undefined;
  const named = new Date(time).toISOString().slice(0, 10);
  return named === partition ? undefined : `in dt=${partition}, named ${named}`;
}

/**
 * Files of one chain ordered by the time in their names must hold increasing seqs: a file whose smallest seq is
 * below the largest seq of a file named strictly earlier is `reordered`. Files named in the same second are not
 * ordered against each other (their names differ only in a random id).
 */
export function crossFileOrder(sources: Iterable<SourceSeqs>): ChainFinding[] {
  const timed = [...sources]
    .map((seqs) => ({ seqs, time: sourceNameTime(seqs.source) }))
    .filter((entry): entry is { seqs: SourceSeqs; time: number } => entry.time !== undefined)
    .sort((a, b) => a.time - b.time);
  const findings: ChainFinding[] = [];
  let maxBefore = 0;
  let maxSource = '';
  let group: typeof timed = [];
  const closeGroup = (): void => {
    for (const { seqs } of group) {
      if (seqs.maxSeq > maxBefore) {
        maxBefore = seqs.maxSeq;
        maxSource = seqs.source;
      }
    }
    group = [];
  };
  for (const entry of timed) {
    if (group.length > 0 && group[0]!.time !== entry.time) closeGroup();
    group.push(entry);
    const { seqs } = entry;
    if (seqs.minSeq < maxBefore) {
      findings.push({ kind: 'reordered', from: seqs.minSeq, to: seqs.maxSeq, at: { source: seqs.source, line: seqs.firstLine }, after: maxSource });
    }
  }
  return findings;
}
