import type { LineChunk } from './lineChunks.js';

/** Partitions to list: `dt` from `from` (inclusive) to `to` (exclusive), both `yyyy-MM-dd`. Default: all. */
export interface PartitionRange {
  readonly from?: string;
  readonly to?: string;
}

/** Reads stored files, verbatim, from the local lake or S3. */
export interface LakeReader {
  /** Where it reads, for messages: a folder or `s3://bucket`. */
  readonly location: string;
  /** Keys of the files under `prefix` in the `dt=` partitions of `range`, in partition then name order. */
  list(prefix: string, range: PartitionRange): Promise<string[]>;
  /** The whole lines of one file, gunzipped when its name ends with `.gz`. */
  read(key: string): AsyncIterable<LineChunk>;
}

const PARTITION = /(?:^|\/)dt=(\d{4}-\d{2}-\d{2})\//;
const NAME_TIME = /-(\d{4}-\d{2}-\d{2}-\d{2}-\d{2}-\d{2})-[^/]*$/;

/** The `dt` of a key, or `undefined` when it is not in a `dt=` partition. */
export function partitionOf(key: string): string | undefined {
  return PARTITION.exec(key)?.[1];
}

/** True when the key's partition is within the range (keys outside any partition never are). */
export function inRange(key: string, range: PartitionRange): boolean {
  const dt = partitionOf(key);
  if (dt === undefined) return false;
  return (range.from === undefined || dt >= range.from) && (range.to === undefined || dt < range.to);
}

/**
 * Sorts keys by partition, then by the time in their names (Firehose's `…-YYYY-MM-DD-HH-mm-ss-<id>`), then by key.
 *
 * @example
 * ```ts
 * sortKeys(['audit/dt=2026-11-27/a.gz', 'audit/dt=2026-11-26/b.gz']); // ['audit/dt=2026-11-26/b.gz', 'audit/dt=2026-11-27/a.gz']
 * ```
 */
export function sortKeys(keys: readonly string[]): string[] {
  const sortKey = (key: string): string => `${partitionOf(key) ?? ''} ${NAME_TIME.exec(key)?.[1] ?? ''} ${key}`;
  return [...keys].map((key) => ({ key, by: sortKey(key) })).sort((a, b) => (a.by < b.by ? -1 : a.by > b.by ? 1 : 0)).map((e) => e.key);
}
