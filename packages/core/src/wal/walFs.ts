// Owns every file-system call of the write-ahead log, behind one interface, so that tests can inject failures
// (ENOSPC on a write, EIO on an fsync) and simulate a power cut (what was not fsync'd disappears).
import {
  closeSync,
  fdatasync as fdatasyncCallback,
  fdatasyncSync,
  fsync as fsyncCallback,
  fsyncSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { promisify } from 'node:util';

const fdatasyncAsync = promisify(fdatasyncCallback);
const fsyncAsync = promisify(fsyncCallback);

function tryClose(fd: number): void {
  try {
    closeSync(fd);
  } catch {
    // Closing a read-only folder handle cannot lose data.
  }
}

/** The file-system calls the write-ahead log makes. */
export interface WalFs {
  mkdirp(dir: string): void;
  /** Opens a segment for appending, creating it. */
  openAppend(path: string): number;
  /** Writes bytes at the end; returns how many were written (may be fewer). */
  write(fd: number, data: Buffer, offset: number, length: number): number;
  truncate(fd: number, length: number): void;
  /** `fdatasync` in the thread pool. */
  datasync(fd: number): Promise<void>;
  datasyncSync(fd: number): void;
  /** `fsync` of a folder (best effort where folders cannot be synced). */
  syncDir(dir: string): Promise<void>;
  syncDirSync(dir: string): void;
  close(fd: number): void;
  list(dir: string): string[];
  read(path: string): Buffer;
  rename(from: string, to: string): void;
  unlink(path: string): void;
}

/** Folder fsync is not supported everywhere (Windows): those errors are not failures. */
function ignorableDirSyncError(error: unknown): boolean {
  const code = (error as { code?: string }).code;
  return code === 'EISDIR' || code === 'EINVAL' || code === 'EPERM' || code === 'EBADF' || code === 'ENOTSUP';
}

async function syncDir(dir: string): Promise<void> {
  let fd: number;
  try {
    fd = openSync(dir, 'r');
  } catch (error) {
    if (ignorableDirSyncError(error)) return;
    throw error;
  }
  try {
    await fsyncAsync(fd);
  } catch (error) {
    if (!ignorableDirSyncError(error)) throw error;
  } finally {
    tryClose(fd);
  }
}

function syncDirSync(dir: string): void {
  let fd: number;
  try {
    fd = openSync(dir, 'r');
  } catch (error) {
    if (ignorableDirSyncError(error)) return;
    throw error;
  }
  try {
    fsyncSync(fd);
  } catch (error) {
    if (!ignorableDirSyncError(error)) throw error;
  } finally {
    tryClose(fd);
  }
}

/**
 * The real file system.
 *
 * @example
 * ```ts
 * const fd = nodeWalFs.openAppend('/app/.fiat/wal/billing/00000000000000000001.wal');
 * ```
 */
export const nodeWalFs: WalFs = {
  mkdirp: (dir) => void mkdirSync(dir, { recursive: true }),
  openAppend: (path) => openSync(path, 'a'),
  write: (fd, data, offset, length) => writeSync(fd, data, offset, length),
  truncate: (fd, length) => ftruncateSync(fd, length),
  datasync: (fd) => fdatasyncAsync(fd),
  datasyncSync: (fd) => fdatasyncSync(fd),
  syncDir,
  syncDirSync,
  close: (fd) => closeSync(fd),
  list: (dir) => readdirSync(dir),
  read: (path) => readFileSync(path),
  rename: (from, to) => renameSync(from, to),
  unlink: (path) => unlinkSync(path),
};
