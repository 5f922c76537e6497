import { createReadStream } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipped, lineChunks, type LineChunk } from './lineChunks.js';
import { inRange, sortKeys, type LakeReader, type PartitionRange } from './reader.js';

/**
 * Reads the local lake's files verbatim: `<lakeDir>/<prefix>dt=YYYY-MM-DD/*.gz`, gunzipped.
 *
 * @example
 * ```ts
 * const reader = localLakeReader('.fiat/lake');
 * for (const key of await reader.list('audit/', { from: '2026-11-26' })) for await (const chunk of reader.read(key)) …;
 * ```
 */
export function localLakeReader(lakeDir: string): LakeReader {
  return {
    location: lakeDir,
    async list(prefix: string, range: PartitionRange): Promise<string[]> {
      const keys: string[] = [];
      for (const partition of await names(join(lakeDir, prefix), true)) {
        if (!/^dt=\d{4}-\d{2}-\d{2}$/.test(partition)) continue;
        for (const file of await names(join(lakeDir, prefix, partition), false)) {
          const key = `${prefix}${partition}/${file}`;
          if (file.endsWith('.gz') && inRange(key, range)) keys.push(key);
        }
      }
      return sortKeys(keys);
    },
    read(key: string): AsyncIterable<LineChunk> {
      return lineChunks(gunzipped(createReadStream(join(lakeDir, key))));
    },
  };
}

async function names(dir: string, directories: boolean): Promise<string[]> {
  try {
    const entries = await readdir(dir, { withFileTypes: true });
    return entries.filter((e) => (directories ? e.isDirectory() : e.isFile())).map((e) => e.name);
  } catch {
    return [];
  }
}
