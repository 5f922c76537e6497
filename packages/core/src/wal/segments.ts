// Owns the names of write-ahead segment files (`<20-digit sequence>.wal`, in the order they were written) and what
// the log knows about each segment while it exists.
import type { StreamNames } from '../names.js';
import type { WalFs } from './walFs.js';

/** The file name ending of write-ahead segments. */
export const SEGMENT_SUFFIX = '.wal';
/** The file name ending a segment is renamed to when it held damaged frames (kept for inspection, never replayed). */
export const CORRUPT_SUFFIX = '.corrupt';
const SEGMENT_NAME = /^(\d{20})\.wal$/;

/** One segment file. */
export interface Segment {
  readonly seq: number;
  readonly path: string;
  /** Open for appending (the active segment), else undefined. */
  fd: number | undefined;
  /** Bytes in the file. */
  bytes: number;
  /** Records in the file. */
  records: number;
  /** The log's count of records handed to the transport after this segment's last record (see WriteAheadLog). */
  end: number;
  /** When its first record was appended (the clock of the log). */
  openedAt: number;
  /** Streams declared in this segment, by the identity of their names object. */
  readonly streams: Map<StreamNames, number>;
  /** Kept until the next start: it may hold records the transport dropped or refused. */
  kept: boolean;
  /** It held damaged frames: renamed to `.corrupt` instead of deleted. */
  corrupt: boolean;
}

/**
 * The file name of segment `seq`.
 *
 * @example
 * ```ts
 * segmentName(7); // '00000000000000000007.wal'
 * ```
 */
export function segmentName(seq: number): string {
  return `${String(seq).padStart(20, '0')}${SEGMENT_SUFFIX}`;
}

/**
 * The segments in `dir`, oldest first, as `{ seq, name }` (other files are ignored).
 *
 * @example
 * ```ts
 * listSegments(nodeWalFs, dir); // [{ seq: 1, name: '00000000000000000001.wal' }, …]
 * ```
 */
export function listSegments(fs: WalFs, dir: string): { seq: number; name: string }[] {
  const found: { seq: number; name: string }[] = [];
  for (const name of fs.list(dir)) {
    const match = SEGMENT_NAME.exec(name);
    if (match !== null) found.push({ seq: Number(match[1]), name });
  }
  return found.sort((a, b) => a.seq - b.seq);
}
