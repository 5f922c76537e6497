// Owns the exclusive lock of one delivery stream's spool folder, so that two replays (two
// `fiat spool replay`, or replaySpoolOnStart in two processes) never send the same files: an O_EXCL
// lock file holding the owner's pid and host, taken over only when that owner is gone.
import { randomUUID } from 'node:crypto';
import { link, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { FiatError } from '../errors.js';

/** The lock file's name inside a stream's spool folder. */
export const LOCK_FILE = '.lock';
/** A lock file that cannot be read (its owner died while writing it) is stale after this long: 60 s. */
const UNREADABLE_STALE_MS = 60_000;

/** Who holds a lock. */
export interface LockHolder {
  readonly pid: number;
  readonly hostname: string;
  readonly startedAt: string;
  readonly token: string;
}

/** The outcome of {@link acquireSpoolLock}. */
export type SpoolLock =
  | { readonly acquired: true; readonly path: string; release(): Promise<void> }
  | { readonly acquired: false; readonly path: string; readonly holder: LockHolder | undefined };

async function readHolder(path: string): Promise<LockHolder | undefined> {
  try {
    const parsed = JSON.parse(await readFile(path, 'utf8')) as Partial<LockHolder>;
    return typeof parsed.pid === 'number' && typeof parsed.hostname === 'string' ? (parsed as LockHolder) : undefined;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as { code?: string }).code === 'EPERM';
  }
}

/**
 * The stale-lock rule: a lock is stale when its owner ran on this host and is no longer running, or
 * when it cannot be read and is older than a minute. A lock from another host is never taken over.
 */
async function isStale(path: string, holder: LockHolder | undefined): Promise<boolean> {
  if (holder !== undefined) return holder.hostname === hostname() && !isAlive(holder.pid);
  try {
    return Date.now() - (await stat(path)).mtimeMs > UNREADABLE_STALE_MS;
  } catch {
    return true; // gone meanwhile: try again
  }
}

/** Moves a stale lock aside; false when what was moved turned out to be a fresh lock (it is put back). */
async function takeOver(path: string, stale: LockHolder | undefined): Promise<boolean> {
  const aside = `${path}.stale-${randomUUID()}`;
  try {
    await rename(path, aside);
  } catch {
    return true; // already gone: try to create it
  }
  const moved = await readHolder(aside);
  if (moved?.token === stale?.token) {
    await rm(aside, { force: true });
    return true;
  }
  await link(aside, path).catch(() => undefined);
  await rm(aside, { force: true });
  return false;
}

async function release(path: string, token: string): Promise<void> {
  if ((await readHolder(path))?.token === token) await rm(path, { force: true });
}

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
  const path = join(streamDir, LOCK_FILE);
  const mine: LockHolder = { pid: process.pid, hostname: hostname(), startedAt: new Date().toISOString(), token: randomUUID() };
  for (let attempt = 0; ; attempt += 1) {
    try {
      await writeFile(path, JSON.stringify(mine), { flag: 'wx' });
      return { acquired: true, path, release: () => release(path, mine.token) };
    } catch (error) {
      if ((error as { code?: string }).code !== 'EEXIST') {
        throw new FiatError('IO_FAILED', `cannot create the spool lock ${path}: ${(error as Error).message}`, { cause: error });
      }
    }
    const holder = await readHolder(path);
    if (attempt > 0 || !(await isStale(path, holder)) || !(await takeOver(path, holder))) {
      return { acquired: false, path, holder };
    }
  }
}
