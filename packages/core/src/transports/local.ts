import { randomUUID } from 'node:crypto';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { gzip as gzipCallback } from 'node:zlib';
import { writeFileAtomic } from '../atomicFile.js';
import { FiatError } from '../errors.js';
import { getStringFromEnv, positiveNumber } from '../env.js';
import type { StreamNames } from '../names.js';
import type { CloseReport, Transport, TransportRecord, TransportStats } from '../transport.js';

const gzip = promisify(gzipCallback);
const EMPTY = Buffer.alloc(0);

/** Default size at which a lake file is written: 1 MiB of uncompressed records, as Firehose's 1 MB hint. */
export const DEFAULT_LOCAL_BUFFER_BYTES = 1024 * 1024;
/** Default age at which a lake file is written: 60 s, as Firehose's 60 s hint. */
export const DEFAULT_LOCAL_BUFFER_INTERVAL_MS = 60_000;
/** Default lake folder when neither `lakeDir` nor `FIAT_LAKE_DIR` is set. */
export const DEFAULT_LAKE_DIR = '.fiat/lake';

/** Options of the embedded local lake transport. */
export interface LocalTransportOptions {
  /** Folder of the lake. Default: `FIAT_LAKE_DIR`, else `.fiat/lake` (relative to the working directory). */
  readonly lakeDir?: string;
  /** Uncompressed bytes per stream before a file is written. Default: 1 MiB. */
  readonly bufferBytes?: number;
  /** Milliseconds before a stream's buffered records are written anyway. Default: 60,000. */
  readonly bufferIntervalMs?: number;
  /**
   * gzip level, 1 (fastest) to 9 (smallest). Default: 1 — measured on audit records, level 1 compresses
   * about twice as fast as zlib's default 6 for files about 14% larger.
   */
  readonly compressionLevel?: number;
  /** Called when writing a file fails (the records are kept and retried on the next flush). */
  readonly onError?: (error: FiatError) => void;
}

/** Size of the off-heap chunks that buffered lines are written into (keeps them out of the JS heap). */
const CHUNK_BYTES = 256 * 1024;

interface Buffered {
  readonly names: StreamNames;
  /** Filled chunks, each trimmed to its used length. */
  readonly chunks: Buffer[];
  /** The chunk being filled. */
  current: Buffer;
  offset: number;
  /** Records in this buffer. */
  count: number;
  /** Bytes in this buffer. */
  bytes: number;
  firstTime: number;
}

function append(buffer: Buffered, line: string): void {
  // A UTF-8 string takes at most 3 bytes per UTF-16 unit: check room with that bound, write, count what was written.
  if (buffer.offset + line.length * 3 > buffer.current.length) {
    if (buffer.offset > 0) buffer.chunks.push(buffer.current.subarray(0, buffer.offset));
    buffer.current = Buffer.allocUnsafe(Math.max(CHUNK_BYTES, line.length * 3));
    buffer.offset = 0;
  }
  const written = buffer.current.write(line, buffer.offset);
  buffer.offset += written;
  buffer.bytes += written;
  buffer.count += 1;
}

function contents(buffer: Buffered): Buffer {
  const parts = buffer.offset > 0 ? [...buffer.chunks, buffer.current.subarray(0, buffer.offset)] : buffer.chunks;
  return parts.length === 1 ? (parts[0] as Buffer) : Buffer.concat(parts, buffer.bytes);
}

/**
 * Resolves the lake folder: the option, else `FIAT_LAKE_DIR`, else `.fiat/lake`, as an absolute path.
 *
 * @example
 * ```ts
 * resolveLakeDir(); // '/home/me/project/.fiat/lake'
 * ```
 */
export function resolveLakeDir(lakeDir?: string): string {
  return resolve(lakeDir ?? getStringFromEnv('FIAT_LAKE_DIR', DEFAULT_LAKE_DIR));
}

/**
 * The object key Firehose would give a file delivered at `time`: `<prefix>dt=YYYY-MM-DD/<stream>-1-YYYY-MM-DD-HH-mm-ss-<uuid>.gz`.
 *
 * @example
 * ```ts
 * lakeObjectKey(resolveStreamNames('Audit'), Date.UTC(2026, 10, 26, 9, 5, 7));
 * // 'audit/dt=2026-11-26/fiat-audit-1-2026-11-26-09-05-07-<uuid>.gz'
 * ```
 */
export function lakeObjectKey(names: StreamNames, time: number, id: string = randomUUID()): string {
  const iso = new Date(time).toISOString();
  const day = iso.slice(0, 10);
  const clock = `${iso.slice(11, 13)}-${iso.slice(14, 16)}-${iso.slice(17, 19)}`;
  return `${names.prefix}dt=${day}/${names.deliveryStream}-1-${day}-${clock}-${id}.gz`;
}

/**
 * Writes a gzip file so that it appears at `target` only complete: written and fsync'd under
 * `<lakeDir>/_tmp/`, then renamed into place. A crash never leaves half a file in the lake.
 */
export async function writeLakeFile(lakeDir: string, key: string, data: Buffer): Promise<void> {
  await writeFileAtomic(lakeDir, key, data);
}

/**
 * The embedded local lake: gzip NDJSON files in exactly the layout Firehose gives S3, buffered
 * by size and age like Firehose. Files appear only complete; timers never keep the process alive.
 *
 * @example
 * ```ts
 * const transport = createLocalTransport({ lakeDir: '/tmp/lake', bufferIntervalMs: 1000 });
 * const logger = ValidatedLog.configure(transport, { app: 'demo', email: 'me@example.com', streams: [Audit] });
 * ```
 */
export function createLocalTransport(options: LocalTransportOptions = {}): Transport & { readonly lakeDir: string } {
  const lakeDir = resolveLakeDir(options.lakeDir);
  const bufferBytes = positiveNumber(options.bufferBytes, 'bufferBytes', DEFAULT_LOCAL_BUFFER_BYTES);
  const intervalMs = positiveNumber(options.bufferIntervalMs, 'bufferIntervalMs', DEFAULT_LOCAL_BUFFER_INTERVAL_MS);
  const compressionLevel = options.compressionLevel ?? 1;
  if (!Number.isInteger(compressionLevel) || compressionLevel < 1 || compressionLevel > 9) {
    throw new FiatError('CONFIG_INVALID', `option compressionLevel must be an integer from 1 to 9, got ${JSON.stringify(options.compressionLevel)}`);
  }
  const buffers = new Map<string, Buffered>();
  const inFlight = new Set<Promise<void>>();
  let retry: Buffered[] = [];
  let received = 0;
  let delivered = 0;
  let objects = 0;
  let bytes = 0;
  let failed = 0;
  let closed = false;

  const timer = setInterval(() => {
    const now = Date.now();
    for (const buffer of buffers.values()) if (now - buffer.firstTime >= intervalMs) seal(buffer);
  }, Math.min(intervalMs, 1000));
  timer.unref();

  function seal(buffer: Buffered): Promise<void> {
    buffers.delete(buffer.names.deliveryStream);
    return start(buffer);
  }

  function start(buffer: Buffered): Promise<void> {
    const job = writeBuffer(buffer).finally(() => inFlight.delete(job));
    inFlight.add(job);
    return job;
  }

  async function writeBuffer(buffer: Buffered): Promise<void> {
    const key = lakeObjectKey(buffer.names, buffer.firstTime);
    try {
      const data = await gzip(contents(buffer), { level: compressionLevel });
      await writeLakeFile(lakeDir, key, data);
      delivered += buffer.count;
      bytes += buffer.bytes;
      objects += 1;
    } catch (cause) {
      failed += buffer.count;
      retry.push(buffer);
      const error = new FiatError('IO_FAILED', `could not write lake file ${join(lakeDir, key)}: ${(cause as Error).message}`, {
        cause,
      });
      options.onError?.(error);
      throw error;
    }
  }

  async function flush(): Promise<void> {
    const again = retry;
    retry = [];
    for (const buffer of again) failed -= buffer.count;
    const jobs = [...again.map(start), ...[...buffers.values()].map(seal), ...inFlight];
    const results = await Promise.allSettled(jobs);
    const rejected = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (rejected) throw rejected.reason;
  }

  return {
    kind: 'local',
    lakeDir,
    write(record: TransportRecord): void {
      if (closed) throw new FiatError('LOGGER_CLOSED', 'the local transport is closed');
      received += 1;
      const key = record.names.deliveryStream;
      let buffer = buffers.get(key);
      if (buffer === undefined) {
        buffer = { names: record.names, chunks: [], current: EMPTY, offset: 0, count: 0, bytes: 0, firstTime: record.time };
        buffers.set(key, buffer);
      }
      append(buffer, record.line);
      if (buffer.bytes >= bufferBytes) void seal(buffer).catch(() => undefined);
    },
    flush,
    async close(): Promise<CloseReport> {
      if (!closed) {
        closed = true;
        clearInterval(timer);
      }
      try {
        await flush();
      } catch {
        // Reported below as undelivered; the error already reached onError.
      }
      return { delivered, undelivered: retry.reduce((n, b) => n + b.count, 0) };
    },
    stats(): TransportStats {
      return { received, delivered, pending: received - delivered - failed, failed, objects, bytes };
    },
  };
}
