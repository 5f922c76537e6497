import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { TMP_FOLDER } from '../atomicFile.js';

/** Temporary files older than this are leftovers of a crash: 60 s. */
export const STALE_TEMP_AGE_MS = 60_000;

/**
 * Removes `<root>/_tmp/*.partial` files whose last modification is at least `maxAgeMs` before
 * `now` — leftovers of a process that died while writing. Younger files may belong to a live
 * writer and are kept. Never rejects: a missing folder is normal, other problems go to `report`.
 * Returns how many files were removed.
 *
 * @example
 * ```ts
 * await removeStaleTempFiles('/lake', Date.now(), STALE_TEMP_AGE_MS, (error) => console.warn(error));
 * ```
 */
export async function removeStaleTempFiles(
  root: string,
  now: number,
  maxAgeMs: number,
  report: (cause: unknown) => void,
): Promise<number> {
  const dir = join(root, TMP_FOLDER);
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT' && code !== 'ENOTDIR') report(cause);
    return 0;
  }
  let removed = 0;
  for (const name of names) {
    if (!name.endsWith('.partial')) continue;
    const path = join(dir, name);
    try {
      if (now - (await stat(path)).mtimeMs < maxAgeMs) continue;
      await rm(path, { force: true });
      removed += 1;
    } catch (cause) {
      if ((cause as NodeJS.ErrnoException).code !== 'ENOENT') report(cause);
    }
  }
  return removed;
}
