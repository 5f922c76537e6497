// Owns the exclusive lock of one delivery stream's spool folder, so that two replays (two
// `fiat spool replay`, or replaySpoolOnStart in two processes) never send the same files. The lock file
// itself (O_EXCL, pid + host, the stale-lock rule) is the shared one of ../lockFile.ts.
import { join } from 'node:path';
import { acquireLockFile, type LockHolder } from '../lockFile.js';

export type { LockHolder } from '../lockFile.js';

/** The lock file's name inside a stream's spool folder. */
export const LOCK_FILE = '.lock';

/** The outcome of {@link acquireSpoolLock}. */
export type SpoolLock =
  | { readonly acquired: true; readonly path: string; release(): Promise<void> }
  | { readonly acquired: false; readonly path: string; readonly holder: LockHolder | undefined };

/**
 * Takes the exclusive lock of a stream's spool folder (`<streamDir>/.lock`, created with `O_EXCL`).
 * When another live replay holds it, returns `{ acquired: false, holder }` instead of waiting.
 *
 * @example
 * ```ts
 * const lock = await acquireSpoolLock('/app/.fiat/spool/fiat-audit');
 * if (!lock.acquired) console.error(`replay skipped: pid ${lock.holder?.pid} holds ${lock.path}`);
 * else try { … } finally { await lock.release(); }
 * ```
 */
export async function acquireSpoolLock(streamDir: string): Promise<SpoolLock> {
  const lock = acquireLockFile(join(streamDir, LOCK_FILE));
  if (!lock.acquired) return lock;
  return { acquired: true, path: lock.path, release: async () => lock.release() };
}
