// Owns group commit: counts the bytes appended and the bytes covered by a completed fdatasync, runs one fdatasync
// per window (`syncMs`) for everything appended meanwhile, and resolves each sync() once a later fdatasync covers
// what was appended before it. Files that stop receiving appends are closed once synced.
import { FiatError } from '../errors.js';
import type { WalFs } from './walFs.js';

interface Waiter {
  readonly at: number;
  readonly resolve: () => void;
  readonly reject: (error: FiatError) => void;
}

/** Options of a {@link GroupCommit}. */
export interface GroupCommitOptions {
  readonly fs: WalFs;
  /** The folder of the files (fsync'd after a file is created). */
  readonly dir: string;
  /** The window, in milliseconds (> 0; a window of 0 is handled by the caller with syncNowSync). */
  readonly syncMs: number;
  /** Reports a failed fdatasync that no sync() was waiting for. */
  readonly report: (error: FiatError) => void;
  /** Clock for the age of the oldest unsynced append. Default: `Date.now`. */
  readonly clock?: () => number;
}

/**
 * Group commit over append-only files. Byte counts only grow (bytes taken back by a truncation stay counted), so a
 * round in flight can never be credited with bytes appended after it started.
 *
 * @example
 * ```ts
 * const commit = new GroupCommit({ fs: nodeWalFs, dir, syncMs: 5, report });
 * commit.appended(fd, 120); // after each write
 * await commit.sync();      // resolves once an fdatasync covers those 120 bytes
 * ```
 */
export class GroupCommit {
  readonly #options: GroupCommitOptions;
  readonly #clock: () => number;
  /** Files with bytes not yet covered by an fdatasync that has started. */
  readonly #dirty = new Set<number>();
  /** Files no longer appended to: closed once synced. */
  readonly #retired = new Set<number>();
  /** Files the running round is syncing (never closed under it: the number could be reused by another file). */
  #syncing: readonly number[] = [];
  #waiters: Waiter[] = [];
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #dirDirty = false;
  #appendedBytes = 0;
  #syncedBytes = 0;
  #syncs = 0;
  #failures = 0;
  /** The last round failed: the next one waits at least a second (a failing disk is not hammered). */
  #backoff = false;
  /** When the oldest append not yet covered by a completed fdatasync happened, or undefined. */
  #unsyncedSince: number | undefined;

  constructor(options: GroupCommitOptions) {
    this.#options = options;
    this.#clock = options.clock ?? Date.now;
  }

  /** Bytes appended so far. */
  get appendedBytes(): number {
    return this.#appendedBytes;
  }

  /** Bytes covered by a completed fdatasync. */
  get syncedBytes(): number {
    return this.#syncedBytes;
  }

  /** fdatasync rounds completed. */
  get syncs(): number {
    return this.#syncs;
  }

  /** fdatasync rounds that failed. */
  get failures(): number {
    return this.#failures;
  }

  /** Milliseconds since the oldest append not yet covered by a completed fdatasync (0 when none). */
  lagMs(): number {
    return this.#unsyncedSince === undefined ? 0 : Math.max(0, this.#clock() - this.#unsyncedSince);
  }

  /** A new file was created in the folder: the next round fsyncs the folder too. */
  created(): void {
    this.#dirDirty = true;
  }

  /** `bytes` were appended to `fd`: the next round (at most `syncMs` from now) covers them. */
  appended(fd: number, bytes: number): void {
    this.#appendedBytes += bytes;
    this.#dirty.add(fd);
    this.#unsyncedSince ??= this.#clock();
    if (this.#timer === undefined && this.#running === undefined) {
      this.#timer = setTimeout(() => this.#round(), this.#options.syncMs);
      this.#timer.unref();
    }
  }

  /** `fd` changed without new bytes (truncated): the next round syncs it. */
  touched(fd: number): void {
    this.appended(fd, 0);
  }

  /** `fd` receives no more appends: it is closed once an fdatasync covers it. */
  retire(fd: number): void {
    if (this.#dirty.has(fd) || this.#syncing.includes(fd)) this.#retired.add(fd);
    else this.#closeQuietly(fd);
  }

  /** Resolves once an fdatasync covers every byte appended before the call; rejects `IO_FAILED` if it fails. */
  sync(): Promise<void> {
    if (this.#syncedBytes >= this.#appendedBytes && this.#dirty.size === 0) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      this.#waiters.push({ at: this.#appendedBytes, resolve, reject });
      if (this.#running === undefined) this.#round();
    });
  }

  /**
   * fdatasyncs every dirty file now, synchronously (walSyncMs 0, and the process 'exit' handler). Throws
   * `IO_FAILED` when one fails.
   */
  syncNowSync(): void {
    const target = this.#appendedBytes;
    const fds = [...this.#dirty];
    this.#dirty.clear();
    try {
      if (this.#dirDirty) {
        this.#dirDirty = false;
        this.#options.fs.syncDirSync(this.#options.dir);
      }
      for (const fd of fds) this.#options.fs.datasyncSync(fd);
    } catch (cause) {
      this.#failures += 1;
      for (const fd of fds) this.#dirty.add(fd);
      throw this.#syncError(cause);
    }
    this.#covered(target, fds);
    this.#closeRetired();
  }

  /** Closes the retired files that no round has left to sync. */
  #closeRetired(): void {
    for (const fd of [...this.#retired]) {
      if (this.#dirty.has(fd) || this.#syncing.includes(fd)) continue;
      this.#retired.delete(fd);
      this.#closeQuietly(fd);
    }
  }

  /** Stops the window's timer (close()); pending sync() calls still complete. */
  stop(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  /** Closes every file still open (after a last sync). */
  closeAll(): void {
    for (const fd of new Set([...this.#dirty, ...this.#retired])) this.#closeQuietly(fd);
    this.#dirty.clear();
    this.#retired.clear();
  }

  /** One round: fdatasync every dirty file (and the folder after a create). Never rejects, never throws. */
  #round(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const target = this.#appendedBytes;
    const fds = [...this.#dirty];
    const dir = this.#dirDirty;
    this.#dirty.clear();
    this.#dirDirty = false;
    const fs = this.#options.fs;
    this.#syncing = fds;
    this.#running = (async () => {
      try {
        if (dir) await fs.syncDir(this.#options.dir);
        await Promise.all(fds.map((fd) => fs.datasync(fd)));
        this.#backoff = false;
        this.#covered(target, fds);
      } catch (cause) {
        this.#failures += 1;
        this.#backoff = true;
        this.#failed(target, fds, cause);
      }
    })().finally(() => {
      this.#running = undefined;
      this.#syncing = [];
      this.#closeRetired();
      this.#next();
    });
  }

  #covered(target: number, _fds: readonly number[]): void {
    this.#syncs += 1;
    if (target > this.#syncedBytes) this.#syncedBytes = target;
    if (this.#syncedBytes >= this.#appendedBytes && this.#dirty.size === 0) this.#unsyncedSince = undefined;
    const waiting = this.#waiters;
    this.#waiters = [];
    for (const waiter of waiting) {
      if (waiter.at <= this.#syncedBytes) waiter.resolve();
      else this.#waiters.push(waiter);
    }
  }

  /**
   * A failed fdatasync: the kernel may have dropped the pages it could not write, so nothing covered by this round
   * can be called durable. Its waiters are rejected; the files stay dirty for the next round.
   */
  #failed(target: number, fds: readonly number[], cause: unknown): void {
    for (const fd of fds) this.#dirty.add(fd);
    const error = this.#syncError(cause);
    const waiting = this.#waiters;
    this.#waiters = [];
    let told = false;
    for (const waiter of waiting) {
      if (waiter.at <= target) {
        told = true;
        waiter.reject(error);
      } else {
        this.#waiters.push(waiter);
      }
    }
    if (!told) this.#options.report(error);
  }

  #next(): void {
    if (this.#waiters.length > 0) {
      this.#round();
    } else if (this.#dirty.size > 0 && this.#timer === undefined) {
      this.#timer = setTimeout(() => this.#round(), this.#backoff ? Math.max(1000, this.#options.syncMs) : this.#options.syncMs);
      this.#timer.unref();
    }
  }

  #syncError(cause: unknown): FiatError {
    const message = cause instanceof Error ? cause.message : String(cause);
    return new FiatError('IO_FAILED', `fdatasync of the write-ahead log in ${this.#options.dir} failed: ${message}`, { cause });
  }

  #closeQuietly(fd: number): void {
    try {
      this.#options.fs.close(fd);
    } catch {
      // Its bytes are synced (or reported): a failed close loses nothing more.
    }
  }
}
