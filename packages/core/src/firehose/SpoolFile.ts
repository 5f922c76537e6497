// Owns one spool file being written: lines are appended to a file under <spoolDir>/_tmp/ (no fsync
// per append), and sealing it fsyncs it and renames it into <spoolDir>/<stream>/ — asynchronously, or
// synchronously (for process exit), whichever comes first; a crash never leaves half a file in place.
import { randomUUID } from 'node:crypto';
import { closeSync, fsync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { TMP_FOLDER } from '../atomicFile.js';

const fsyncAsync = promisify(fsync);

/** A new spool file's key under the spool folder: `<deliveryStream>/<time>-<pid>-<uuid>.ndjson`. */
export function spoolKey(deliveryStream: string): string {
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace('.', '');
  return `${deliveryStream}/${stamp}-${process.pid}-${randomUUID()}.ndjson`;
}

/** fsyncs a folder, best effort (not supported everywhere). */
export function syncDirectorySync(dir: string): void {
  try {
    const fd = openSync(dir, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // best effort
  }
}

/**
 * A spool file open for appending. Everything but the fsync is synchronous: appends go to the page
 * cache, and sealing closes and renames the file in one synchronous step once its data is on disk.
 *
 * @example
 * ```ts
 * const file = SpoolFile.open('/app/.fiat/spool', 'fiat-audit');
 * file.appendSync([Buffer.from('{"n":1}\n')]);
 * const path = await file.seal(); // '/app/.fiat/spool/fiat-audit/20261126T….ndjson'
 * ```
 */
export class SpoolFile {
  readonly #tmp: string;
  readonly #target: string;
  readonly #fd: number;
  #state: 'open' | 'sealing' | 'sealed' | 'discarded' = 'open';
  /** Bytes appended. */
  bytes = 0;

  private constructor(tmp: string, target: string, fd: number) {
    this.#tmp = tmp;
    this.#target = target;
    this.#fd = fd;
  }

  /** Opens a new file for a delivery stream (under `_tmp/` until sealed). Throws on I/O errors. */
  static open(spoolDir: string, deliveryStream: string): SpoolFile {
    const tmpDir = join(spoolDir, TMP_FOLDER);
    mkdirSync(tmpDir, { recursive: true });
    const tmp = join(tmpDir, `${randomUUID()}.partial`);
    return new SpoolFile(tmp, join(spoolDir, spoolKey(deliveryStream)), openSync(tmp, 'w'));
  }

  /** Where the file is in its life. */
  get state(): 'open' | 'sealing' | 'sealed' | 'discarded' {
    return this.#state;
  }

  /** True until the file is sealed (or being sealed) or discarded. */
  get isOpen(): boolean {
    return this.#state === 'open';
  }

  /** Appends `chunks`, synchronously, without fsync. Throws on I/O errors. */
  appendSync(chunks: readonly Buffer[]): void {
    for (const chunk of chunks) {
      for (let done = 0; done < chunk.length; ) done += writeSync(this.#fd, chunk, done);
      this.bytes += chunk.length;
    }
  }

  /** fsyncs in the background, then closes and renames into place; returns the spool file's path. */
  async seal(): Promise<string> {
    if (this.#state === 'open') {
      this.#state = 'sealing';
      let failure: unknown;
      await fsyncAsync(this.#fd).catch((error: unknown) => (failure = error));
      // sealSync() may have run meanwhile: the state says who finished.
      const state = this.#state as SpoolFile['state'];
      if (state === 'sealing' && failure !== undefined) {
        this.discardSync();
        throw failure;
      }
      if (state === 'sealing') this.#place();
    }
    if (this.#state !== 'sealed') throw new Error(`spool file ${this.#tmp} was discarded after a failed write`);
    return this.#target;
  }

  /** Seals now, synchronously (also a file whose background seal has not finished). */
  sealSync(): string {
    if (this.#state === 'open' || this.#state === 'sealing') {
      try {
        fsyncSync(this.#fd);
      } catch (error) {
        this.discardSync();
        throw error;
      }
      this.#place();
    }
    return this.#target;
  }

  /** Closes and removes the file (after a failed write: its records are reported lost). */
  discardSync(): void {
    if (this.#state === 'sealed' || this.#state === 'discarded') return;
    this.#state = 'discarded';
    try {
      closeSync(this.#fd);
    } catch {
      // already closed
    }
    try {
      rmSync(this.#tmp, { force: true });
    } catch {
      // A disk that refused the write may refuse the removal too (EROFS); the records are reported lost either way.
    }
  }

  #place(): void {
    this.#state = 'sealed';
    closeSync(this.#fd);
    mkdirSync(dirname(this.#target), { recursive: true });
    renameSync(this.#tmp, this.#target);
    syncDirectorySync(dirname(this.#target));
  }
}
