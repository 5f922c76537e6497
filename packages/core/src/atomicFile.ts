import { randomUUID } from 'node:crypto';
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/** The folder under a root where files are written before they are renamed into place. */
export const TMP_FOLDER = '_tmp';

async function syncDirectory(dir: string): Promise<void> {
  try {
    const handle = await open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Directory fsync is best effort (not supported everywhere).
  }
}

/**
 * The first half of {@link writeFileAtomic}: writes `data` to a new file under `<root>/_tmp/` and
 * fsyncs it. Returns its path; on failure nothing is left behind.
 *
 * @example
 * ```ts
 * const tmp = await writeTempFile('/lake', gzipped);
 * await moveIntoPlace(tmp, '/lake/audit/dt=2026-11-26/fiat-audit-1-….gz');
 * ```
 */
export async function writeTempFile(root: string, data: Buffer | readonly Buffer[]): Promise<string> {
  const tmpDir = join(root, TMP_FOLDER);
  const tmp = join(tmpDir, `${randomUUID()}.partial`);
  await mkdir(tmpDir, { recursive: true });
  try {
    const handle = await open(tmp, 'w');
    try {
      if (Buffer.isBuffer(data)) await handle.writeFile(data);
      else await handle.writev([...data]);
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch (error) {
    await rm(tmp, { force: true });
    throw error;
  }
  return tmp;
}

/**
 * The second half of {@link writeFileAtomic}: renames a complete temporary file to `target` (same
 * file system, so atomically) and fsyncs the folder. On failure the temporary file is removed.
 */
export async function moveIntoPlace(tmp: string, target: string): Promise<void> {
  try {
    await mkdir(dirname(target), { recursive: true });
    await rename(tmp, target);
  } catch (error) {
    await rm(tmp, { force: true });
    throw error;
  }
  await syncDirectory(dirname(target));
}

/**
 * Writes `<root>/<key>` so that it appears only complete: the bytes go to `<root>/_tmp/`, are
 * fsync'd, then the file is renamed into place (same file system, so the rename is atomic) and the
 * folder is fsync'd. A crash never leaves half a file at `key`. Returns the file's path.
 *
 * @example
 * ```ts
 * await writeFileAtomic('/lake', 'audit/dt=2026-11-26/fiat-audit-1-….gz', gzipped);
 * ```
 */
export async function writeFileAtomic(root: string, key: string, data: Buffer | readonly Buffer[]): Promise<string> {
  const target = join(root, key);
  await moveIntoPlace(await writeTempFile(root, data), target);
  return target;
}

/**
 * {@link writeFileAtomic}, synchronously: for the rare writes that must finish before the caller
 * goes on (backpressure when a buffer is full, and writes from a process `'exit'` handler).
 *
 * @example
 * ```ts
 * writeFileAtomicSync('/lake', 'audit/dt=2026-11-26/fiat-audit-1-….gz', [gzipSync(lines)]);
 * ```
 */
export function writeFileAtomicSync(root: string, key: string, chunks: readonly Buffer[]): string {
  const target = join(root, key);
  const tmpDir = join(root, TMP_FOLDER);
  const tmp = join(tmpDir, `${randomUUID()}.partial`);
  mkdirSync(tmpDir, { recursive: true });
  try {
    const fd = openSync(tmp, 'w');
    try {
      for (const chunk of chunks) {
        for (let done = 0; done < chunk.length; ) done += writeSync(fd, chunk, done);
      }
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    mkdirSync(dirname(target), { recursive: true });
    renameSync(tmp, target);
  } catch (error) {
    rmSync(tmp, { force: true });
    throw error;
  }
  return target;
}
