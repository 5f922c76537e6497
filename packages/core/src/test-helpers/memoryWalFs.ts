// An in-memory WalFs for the write-ahead log's tests: failures can be injected per call, and `powerCut()` returns
// what a disk would hold after a power cut — each file cut to its last fdatasync'd length, and files whose creation
// no folder fsync covered gone. Folders are also created for real (the lock file lives on the real disk).
import { mkdirSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import type { WalFs } from '../wal/walFs.js';

interface MemoryFile {
  data: Buffer;
  /** Bytes covered by the last fdatasync. */
  synced: number;
  /** A folder fsync covered its creation. */
  linked: boolean;
}

type Operation = keyof WalFs;

/** An injected failure: the `nth` next call of `op` (1 = the next one) throws `code`. */
export interface InjectedFailure {
  readonly op: Operation;
  readonly code: string;
  readonly nth?: number;
  /** For `write`: bytes written before it fails (a partial write). Default: 0. */
  readonly partial?: number;
}

function errnoError(code: string, op: string): Error {
  return Object.assign(new Error(`${code}: injected failure, ${op}`), { code });
}

/** The in-memory file system (see the file comment). */
export class MemoryWalFs implements WalFs {
  readonly files = new Map<string, MemoryFile>();
  readonly calls: Operation[] = [];
  /** Open files by descriptor: the file itself, as an inode (an unlinked file stays usable through its descriptor). */
  readonly #fds = new Map<number, MemoryFile>();
  #failures: (InjectedFailure & { left: number })[] = [];
  #nextFd = 100;
  /** Resolves pending datasync calls when set to false; when true they wait until release() (tests of windows). */
  holdSyncs = false;
  #held: (() => void)[] = [];

  /** Makes a later call fail. */
  fail(failure: InjectedFailure): void {
    this.#failures.push({ ...failure, left: failure.nth ?? 1 });
  }

  /** Lets every datasync held by `holdSyncs` complete. */
  releaseSyncs(): void {
    const held = this.#held;
    this.#held = [];
    for (const done of held) done();
  }

  /** Open file descriptors. */
  get openFds(): number {
    return this.#fds.size;
  }

  /** What a disk holds after a power cut, as a new file system. */
  powerCut(): MemoryWalFs {
    const after = new MemoryWalFs();
    for (const [path, file] of this.files) {
      if (file.linked) after.files.set(path, { data: Buffer.from(file.data.subarray(0, file.synced)), synced: file.synced, linked: true });
    }
    return after;
  }

  /** What survives SIGKILL (everything written reaches the page cache), as a new file system. */
  kill(): MemoryWalFs {
    const after = new MemoryWalFs();
    for (const [path, file] of this.files) after.files.set(path, { data: Buffer.from(file.data), synced: file.data.length, linked: true });
    return after;
  }

  #check(op: Operation, detail: string): InjectedFailure | undefined {
    this.calls.push(op);
    const at = this.#failures.findIndex((f) => f.op === op);
    if (at === -1) return undefined;
    const failure = this.#failures[at]!;
    failure.left -= 1;
    if (failure.left > 0) return undefined;
    this.#failures.splice(at, 1);
    if (op !== 'write' || (failure.partial ?? 0) === 0) throw errnoError(failure.code, `${op} ${detail}`);
    return failure;
  }

  #file(fd: number): MemoryFile {
    const file = this.#fds.get(fd);
    if (file === undefined) throw errnoError('EBADF', `fd ${fd}`);
    return file;
  }

  mkdirp(dir: string): void {
    this.#check('mkdirp', dir);
    mkdirSync(dir, { recursive: true });
  }

  openAppend(path: string): number {
    this.#check('openAppend', path);
    let file = this.files.get(path);
    if (file === undefined) {
      file = { data: Buffer.alloc(0), synced: 0, linked: false };
      this.files.set(path, file);
    }
    const fd = this.#nextFd++;
    this.#fds.set(fd, file);
    return fd;
  }

  write(fd: number, data: Buffer, offset: number, length: number): number {
    const failure = this.#check('write', `fd ${fd}`);
    const file = this.#file(fd);
    const take = failure === undefined ? length : Math.min(length, failure.partial ?? 0);
    file.data = Buffer.concat([file.data, data.subarray(offset, offset + take)]);
    if (failure !== undefined) throw errnoError(failure.code, `write fd ${fd} after ${take} bytes`);
    return take;
  }

  truncate(fd: number, length: number): void {
    this.#check('truncate', `fd ${fd}`);
    const file = this.#file(fd);
    file.data = Buffer.from(file.data.subarray(0, length));
    file.synced = Math.min(file.synced, length);
  }

  async datasync(fd: number): Promise<void> {
    this.#check('datasync', `fd ${fd}`);
    const file = this.#file(fd);
    const length = file.data.length;
    if (this.holdSyncs) await new Promise<void>((resolve) => this.#held.push(resolve));
    file.synced = Math.max(file.synced, Math.min(length, file.data.length));
  }

  datasyncSync(fd: number): void {
    this.#check('datasyncSync', `fd ${fd}`);
    const file = this.#file(fd);
    file.synced = file.data.length;
  }

  async syncDir(dir: string): Promise<void> {
    this.#check('syncDir', dir);
    this.#link(dir);
  }

  syncDirSync(dir: string): void {
    this.#check('syncDirSync', dir);
    this.#link(dir);
  }

  #link(dir: string): void {
    for (const [path, file] of this.files) if (dirname(path) === dir) file.linked = true;
  }

  close(fd: number): void {
    this.#check('close', `fd ${fd}`);
    this.#fds.delete(fd);
  }

  list(dir: string): string[] {
    this.#check('list', dir);
    return [...this.files.keys()].filter((path) => dirname(path) === dir).map((path) => basename(path));
  }

  read(path: string): Buffer {
    this.#check('read', path);
    const file = this.files.get(path);
    if (file === undefined) throw errnoError('ENOENT', path);
    return Buffer.from(file.data);
  }

  rename(from: string, to: string): void {
    this.#check('rename', from);
    const file = this.files.get(from);
    if (file === undefined) throw errnoError('ENOENT', from);
    this.files.delete(from);
    this.files.set(to, file);
  }

  unlink(path: string): void {
    this.#check('unlink', path);
    if (!this.files.delete(path)) throw errnoError('ENOENT', path);
  }
}
