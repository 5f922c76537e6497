// Owns exclusive lock files: an O_EXCL file holding the owner's pid, host and a token, taken over only when its
// owner is gone. Shared by the Firehose spool replay (one replay per spool folder) and the write-ahead log (one
// process per WAL folder, taken synchronously in configure()).
import { randomUUID } from 'node:crypto';
import { linkSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { FiatError } from './errors.js';

/** A lock file that cannot be read (its owner died while writing it) is stale after this long: 60 s. */
const UNREADABLE_STALE_MS = 60_000;

/** Who holds a lock. */
export interface LockHolder {
  readonly pid: number;
  readonly hostname: string;
  readonly startedAt: string;
  readonly token: string;
}

/** The outcome of {@link acquireLockFile}. */
export type LockFile =
  | { readonly acquired: true; readonly path: string; readonly holder: LockHolder; release(): void }
  | { readonly acquired: false; readonly path: string; readonly holder: LockHolder | undefined };

/** Tokens of the locks this process holds: a lock naming this pid but none of these is a previous process's. */
const heldHere = new Set<string>();

function readHolder(path: string): LockHolder | undefined {
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as Partial<LockHolder>;
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
 * The stale-lock rule: a lock is stale when its owner ran on this host and is no longer running — or is this very
 * pid without this process holding it (a restarted container often gets the same pid as its previous life) — or
 * when it cannot be read and is older than a minute. A lock from another host is never taken over.
 */
function isStale(path: string, holder: LockHolder | undefined): boolean {
  if (holder !== undefined) {
    if (holder.hostname !== hostname()) return false;
    if (holder.pid === process.pid) return !heldHere.has(holder.token);
    return !isAlive(holder.pid);
  }
  try {
    return Date.now() - statSync(path).mtimeMs > UNREADABLE_STALE_MS;
  } catch {
    return true; // gone meanwhile: try again
  }
}

/** Moves a stale lock aside; false when what was moved turned out to be a fresh lock (it is put back). */
function takeOver(path: string, stale: LockHolder | undefined): boolean {
  const aside = `${path}.stale-${randomUUID()}`;
  try {
    renameSync(path, aside);
  } catch {
    return true; // already gone: try to create it
  }
  const moved = readHolder(aside);
  if (moved?.token === stale?.token) {
    rmSync(aside, { force: true });
    return true;
  }
  try {
    linkSync(aside, path);
  } catch {
    // Someone else created a lock meanwhile: theirs stands.
  }
  rmSync(aside, { force: true });
  return false;
}

function release(path: string, token: string): void {
  heldHere.delete(token);
  try {
    if (readHolder(path)?.token === token) rmSync(path, { force: true });
  } catch {
    // Best effort: a lock left behind is stale once this process is gone.
  }
}

/**
 * Takes the exclusive lock file at `path` (created with `O_EXCL`, holding `{ pid, hostname, startedAt, token }`),
 * synchronously. When a live owner holds it, returns `{ acquired: false, holder }` instead of waiting; a stale lock
 * (see the rule above) is taken over. Throws `IO_FAILED` when the file cannot be created for another reason.
 *
 * @example
 * ```ts
 * const lock = acquireLockFile('/app/.fiat/wal/billing/.lock');
 * if (!lock.acquired) throw new Error(`held by pid ${lock.holder?.pid}`);
 * try { … } finally { lock.release(); }
 * ```
 */
export function acquireLockFile(path: string): LockFile {
  const mine: LockHolder = { pid: process.pid, hostname: hostname(), startedAt: new Date().toISOString(), token: randomUUID() };
  for (let attempt = 0; ; attempt += 1) {
    try {
      writeFileSync(path, JSON.stringify(mine), { flag: 'wx' });
      heldHere.add(mine.token);
      return { acquired: true, path, holder: mine, release: () => release(path, mine.token) };
    } catch (error) {
      if ((error as { code?: string }).code !== 'EEXIST') {
        throw new FiatError('IO_FAILED', `cannot create the lock file ${path}: ${(error as Error).message}`, { cause: error });
      }
    }
    const holder = readHolder(path);
    if (attempt > 0 || !isStale(path, holder) || !takeOver(path, holder)) {
      return { acquired: false, path, holder };
    }
  }
}

/**
 * One line naming who holds a lock, for error messages.
 *
 * @example
 * ```ts
 * describeHolder(lock.holder); // 'pid 4242 on host web-1 (since 2026-11-26T09:05:07.000Z)'
 * ```
 */
export function describeHolder(holder: LockHolder | undefined): string {
  if (holder === undefined) return 'an owner whose lock file cannot be read (it is taken over once older than a minute)';
  const here = holder.hostname === hostname() && holder.pid === process.pid ? ', this process' : '';
  return `pid ${holder.pid} on host ${holder.hostname}${here} (since ${holder.startedAt})`;
}
