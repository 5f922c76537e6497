// Owns the spool's layout on disk: <spoolDir>/<deliveryStream>/<time>-<pid>-<uuid>.ndjson files, each
// written fsync'd under _tmp/ and renamed into place (asynchronously or synchronously), listed, read,
// rewritten and removed; and <spoolDir>/<deliveryStream>/rejected/ for the lines a replay refuses.
import { readdir, readFile, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { TMP_FOLDER, writeFileAtomic, writeFileAtomicSync } from '../atomicFile.js';
import { resolveDataDir, type DataDirContext } from '../dataDirs.js';
import { FiatError } from '../errors.js';
import { SpoolFile, spoolKey, syncDirectorySync } from './SpoolFile.js';

/** The folder, inside a delivery stream's spool folder, of the lines a replay refused. */
export const REJECTED_FOLDER = 'rejected';

/**
 * Resolves the spool folder: the option, else `FIAT_SPOOL_DIR`, else `/tmp/fiat-spool` in AWS Lambda
 * (`AWS_LAMBDA_FUNCTION_NAME` set), else `.fiat/spool`, as an absolute path (see `resolveDataDir`).
 * `context` gives another environment and working directory (the CLI's).
 *
 * @example
 * ```ts
 * resolveSpoolDir(); // '/home/me/project/.fiat/spool'
 * resolveSpoolDir(undefined, { env: { AWS_LAMBDA_FUNCTION_NAME: 'orders-api' } }); // '/tmp/fiat-spool'
 * ```
 */
export function resolveSpoolDir(spoolDir?: string, context?: DataDirContext): string {
  return resolveDataDir('spool', spoolDir, context);
}

function ioFailed(what: string, path: string, error: unknown): FiatError {
  return new FiatError('IO_FAILED', `cannot ${what} ${path}: ${(error as Error).message}`, { cause: error });
}

/**
 * The spool folder of one transport or replay.
 *
 * @example
 * ```ts
 * const spool = new Spool('/var/lib/app/.fiat/spool');
 * const file = await spool.write('fiat-audit', [Buffer.from('{"n":1}\n')]);
 * for (const path of await spool.files('fiat-audit')) await spool.remove(path);
 * ```
 */
export class Spool {
  /** The absolute spool folder. */
  readonly dir: string;

  /** `dir`: the spool folder (made absolute). Default: `FIAT_SPOOL_DIR`, else `/tmp/fiat-spool` in AWS Lambda, else `.fiat/spool`. */
  constructor(dir?: string) {
    this.dir = resolveSpoolDir(dir);
  }

  /** Writes a new spool file of `chunks` for the stream, atomically and fsync'd; returns its path. */
  write(deliveryStream: string, chunks: readonly Buffer[]): Promise<string> {
    return writeFileAtomic(this.dir, spoolKey(deliveryStream), chunks);
  }

  /** {@link write}, synchronously (the folder is fsync'd too): for backpressure and process exit. */
  writeSync(deliveryStream: string, chunks: readonly Buffer[]): string {
    const file = writeFileAtomicSync(this.dir, spoolKey(deliveryStream), chunks);
    syncDirectorySync(dirname(file));
    return file;
  }

  /** A new spool file of the stream to append to (see {@link SpoolFile}). Throws on I/O errors. */
  openFile(deliveryStream: string): SpoolFile {
    return SpoolFile.open(this.dir, deliveryStream);
  }

  /** The delivery streams with a spool folder, sorted. */
  async streams(): Promise<string[]> {
    try {
      const entries = await readdir(this.dir, { withFileTypes: true });
      return entries.filter((d) => d.isDirectory() && d.name !== TMP_FOLDER).map((d) => d.name).sort();
    } catch (error) {
      if ((error as { code?: string }).code === 'ENOENT') return [];
      throw ioFailed('read the spool', this.dir, error);
    }
  }

  /** The folder of one delivery stream's spool files. */
  streamDir(deliveryStream: string): string {
    return join(this.dir, deliveryStream);
  }

  /** The stream's spool files (absolute paths), oldest name first. */
  async files(deliveryStream: string): Promise<string[]> {
    const dir = this.streamDir(deliveryStream);
    try {
      return (await readdir(dir)).filter((name) => name.endsWith('.ndjson')).sort().map((name) => join(dir, name));
    } catch (error) {
      if ((error as { code?: string }).code === 'ENOENT') return [];
      throw ioFailed('read the spool folder', dir, error);
    }
  }

  /** A spool file's bytes. */
  async read(path: string): Promise<Buffer> {
    try {
      return await readFile(path);
    } catch (error) {
      throw ioFailed('read spool file', path, error);
    }
  }

  /** Replaces a spool file's contents atomically (same name): what is left of it after a partial replay. */
  async replace(path: string, chunks: readonly Buffer[]): Promise<void> {
    const deliveryStream = basename(dirname(path));
    await writeFileAtomic(this.dir, `${deliveryStream}/${basename(path)}`, chunks);
  }

  /** Removes a spool file. */
  async remove(path: string): Promise<void> {
    await rm(path, { force: true });
  }

  /** Writes the refused lines of spool file `path` as `<stream>/rejected/<file>`, atomically; returns its path. */
  quarantine(path: string, entries: readonly Buffer[]): Promise<string> {
    const deliveryStream = basename(dirname(path));
    return writeFileAtomic(this.dir, `${deliveryStream}/${REJECTED_FOLDER}/${basename(path)}`, entries);
  }
}
