import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { StreamNames } from '@fiat/core';

/** One record read back from a lake file, with where it was found. */
export interface LakeRecord {
  /** The parsed stored record (envelope included). */
  readonly record: Record<string, unknown>;
  /** The `dt` partition of its file. */
  readonly dt: string;
  /** The file's path relative to the lake folder. */
  readonly key: string;
}

/**
 * Reads every record of one stream from a lake folder (the local transport's, or the fake
 * Firehose server's), in `event_id` order — UUIDv7 ids sort by time, and within one process in the
 * order they were logged (files of the same second carry random names, so file order is not log order).
 * Checks that every line ends with `\n`.
 *
 * @example
 * ```ts
 * const records = await readLakeRecords('/tmp/lake', Audit.names);
 * expect(records.map((r) => r.record.phase)).toEqual(['start', 'output']);
 * ```
 */
export async function readLakeRecords(lakeDir: string, names: Pick<StreamNames, 'prefix'>): Promise<LakeRecord[]> {
  const root = join(lakeDir, names.prefix);
  let partitions: string[];
  try {
    partitions = (await readdir(root)).filter((p) => p.startsWith('dt=')).sort();
  } catch {
    return [];
  }
  const out: LakeRecord[] = [];
  for (const partition of partitions) {
    const files = (await readdir(join(root, partition))).filter((f) => f.endsWith('.gz')).sort();
    for (const file of files) {
      const text = gunzipSync(await readFile(join(root, partition, file))).toString('utf8');
      if (text.length > 0 && !text.endsWith('\n')) throw new Error(`${partition}/${file}: the last line does not end with \\n`);
      for (const line of text.split('\n')) {
        if (line === '') continue;
        out.push({ record: JSON.parse(line) as Record<string, unknown>, dt: partition.slice(3), key: `${names.prefix}${partition}/${file}` });
      }
    }
  }
  const id = (r: LakeRecord): string => (typeof r.record.event_id === 'string' ? r.record.event_id : '');
  return out.sort((a, b) => (id(a) < id(b) ? -1 : id(a) > id(b) ? 1 : 0));
}
