import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';

/** A fresh temporary folder for one test's lake. */
export function tempDir(prefix = 'fiat-test-'): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix));
}

/** Every file under `dir`, as paths relative to it, sorted. */
export async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (sub: string): Promise<void> => {
    let entries;
    try {
      entries = await readdir(join(dir, sub), { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const rel = sub === '' ? entry.name : `${sub}/${entry.name}`;
      if (entry.isDirectory()) await walk(rel);
      else out.push(rel);
    }
  };
  await walk('');
  return out.sort();
}

/** The raw text of every `.gz` file under `dir/prefix`, in file order. */
export async function readLakeText(dir: string, prefix: string): Promise<string[]> {
  const files = (await listFiles(join(dir, prefix))).filter((f) => f.endsWith('.gz'));
  return Promise.all(files.map(async (f) => gunzipSync(await readFile(join(dir, prefix, f))).toString('utf8')));
}

/** Every stored record under `dir/prefix`, parsed. */
export async function readLakeLines(dir: string, prefix: string): Promise<Record<string, unknown>[]> {
  const texts = await readLakeText(dir, prefix);
  return texts.flatMap((t) => t.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Record<string, unknown>));
}
