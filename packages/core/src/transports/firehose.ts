// Types only: the SDK itself is loaded with a dynamic import() on the first send.
import type * as FirehoseSdk from '@aws-sdk/client-firehose';
import { randomUUID } from 'node:crypto';
import { readdir, readFile, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { writeFileAtomic, writeFileAtomicSync } from '../atomicFile.js';
import { FiatError } from '../errors.js';
import { getStringFromEnv, positiveNumber } from '../env.js';
import { MAX_RECORD_BYTES } from '../stream.js';
import type { CloseReport, Transport, TransportRecord, TransportStats } from '../transport.js';

/** Firehose's limit of records per `PutRecordBatch` call: 500. */
export const FIREHOSE_MAX_BATCH_RECORDS = 500;
/** Firehose's limit of bytes per `PutRecordBatch` call: 4 MiB (before base64). */
export const FIREHOSE_MAX_BATCH_BYTES = 4 * 1024 * 1024;
/** Firehose bills ingestion per record, each rounded up to a multiple of 5 KB: 5,120 bytes. */
export const FIREHOSE_BILLING_STEP_BYTES = 5120;
/** Default size a packed Firehose record is filled to: 199 × 5,120 = 1,018,880 bytes, just under 1,000 KiB. */
export const DEFAULT_PACKED_RECORD_BYTES = 199 * FIREHOSE_BILLING_STEP_BYTES;
/** Default interval at which buffered records are sent: 1 s. */
export const DEFAULT_FIREHOSE_FLUSH_INTERVAL_MS = 1000;
/** Default bound of records held in memory and not yet acknowledged: 64 MiB. */
export const DEFAULT_MAX_BUFFER_BYTES = 64 * 1024 * 1024;
/** Default spool folder when neither `spoolDir` nor `FIAT_SPOOL_DIR` is set. */
export const DEFAULT_SPOOL_DIR = '.fiat/spool';

/**
 * Anything that sends Firehose commands like the SDK's `FirehoseClient`: a real client, or the
 * in-memory fake of `@fiat/testing`.
 *
 * @example
 * ```ts
 * const client: FirehoseSendClient = new FirehoseClient({ region: 'eu-west-1' });
 * ```
 */
export interface FirehoseSendClient {
  send(command: any, options?: { abortSignal?: AbortSignal }): Promise<any>;
}

/**
 * The client settings used to build a `FirehoseClient` when no `client` is given (the SDK is
 * loaded only then). Any other `FirehoseClientConfig` field is passed through.
 *
 * @example
 * ```ts
 * const clientConfig: FirehoseClientSettings = { region: 'eu-west-1', endpoint: 'http://127.0.0.1:4573' };
 * ```
 */
export interface FirehoseClientSettings {
  /** AWS region. Default: the SDK's (`AWS_REGION`, profile). */
  readonly region?: string;
  /** Endpoint URL, e.g. a local fake server. Default: the regional Firehose endpoint. */
  readonly endpoint?: string;
  /** Credentials or a provider. Default: the SDK's default chain. */
  readonly credentials?: unknown;
  /** SDK-level attempts per call. Default: 1 (Fiat retries with its own budget). */
  readonly maxAttempts?: number;
  readonly [key: string]: unknown;
}

/** Retry budget of one batch: how many attempts and how long, with capped exponential backoff and full jitter. */
export interface FirehoseRetryOptions {
  /** Attempts per batch, the first included. Default: 8. */
  readonly maxAttempts?: number;
  /** Milliseconds from a batch's first attempt after which it is not retried again. Default: 30,000. */
  readonly maxRetryTimeMs?: number;
  /** Backoff base: the delay before attempt n+1 is random in [0, min(maxDelayMs, baseDelayMs × 2^(n-1))). Default: 100. */
  readonly baseDelayMs?: number;
  /** Backoff cap in milliseconds. Default: 5,000. */
  readonly maxDelayMs?: number;
  /** Milliseconds before one `PutRecordBatch` call is abandoned as timed out (and retried). Default: 15,000. */
  readonly requestTimeoutMs?: number;
  /**
   * Circuit breaker: after a batch exhausts its budget, batches cut during the next `outageBackoffMs`
   * go to the spool without being sent (one probe batch per period is still sent; a success closes
   * the breaker). An outage then costs one retry budget, not one per batch. Default: 5,000.
   */
  readonly outageBackoffMs?: number;
}

/** Options of the Firehose transport shared by both ways of giving a client. */
export interface FirehoseTransportBaseOptions {
  /** Pack several newline-terminated lines into one Firehose record (cuts the 5 KB rounding cost). Default: `true`. */
  readonly packing?: boolean;
  /** Bytes a packed Firehose record is filled to, at most 1,024,000. Default: 1,018,880 (199 × 5 KB). */
  readonly maxRecordBytes?: number;
  /**
   * Reuse the buffers of packed records once they are acknowledged or spooled, instead of leaving
   * each megabyte to the garbage collector: this keeps the resident size close to `maxBufferBytes`.
   * Safe only with a client that does not keep `Data` after `send` resolves (the AWS SDK does not;
   * a mock that records its inputs does). Default: `true` with `clientConfig`, `false` with `client`.
   */
  readonly recycleBuffers?: boolean;
  /** Firehose records per `PutRecordBatch`, at most 500. Default: 500. */
  readonly maxBatchRecords?: number;
  /** Bytes per `PutRecordBatch`, at most 4 MiB. Default: 4 MiB. */
  readonly maxBatchBytes?: number;
  /** Milliseconds between sends of what is buffered (the timer never keeps the process alive). Default: 1,000. */
  readonly flushIntervalMs?: number;
  /** `PutRecordBatch` calls in flight at once. Default: 4. */
  readonly maxInFlight?: number;
  /** Bytes of records held in memory and not yet acknowledged. Default: 64 MiB. */
  readonly maxBufferBytes?: number;
  /** Past `maxBufferBytes`: `'spool'` new records to disk, or `'throw'` `BUFFER_FULL` from `log()`. Default: `'spool'`. */
  readonly onFull?: 'spool' | 'throw';
  /** Folder of the spool (NDJSON files per delivery stream). Default: `FIAT_SPOOL_DIR`, else `.fiat/spool`. */
  readonly spoolDir?: string;
  /** Resend the spool in the background when the transport starts. Default: `false`. */
  readonly replaySpoolOnStart?: boolean;
  /** Retry budget and backoff. Default: see {@link FirehoseRetryOptions}. */
  readonly retry?: FirehoseRetryOptions;
  /** Called with delivery errors: records spooled, non-retryable AWS errors, spool I/O errors. Default: none. */
  readonly onError?: (error: FiatError) => void;
  /** Random source for jitter, in [0, 1). Default: `Math.random`. */
  readonly random?: () => number;
}

/**
 * Options of {@link createFirehoseTransport}: `client` or `clientConfig`, never both.
 *
 * @example
 * ```ts
 * const options: FirehoseTransportOptions = { clientConfig: { region: 'eu-west-1' }, maxBufferBytes: 16 * 1024 * 1024 };
 * ```
 */
export type FirehoseTransportOptions = FirehoseTransportBaseOptions &
  (
    | {
        /** A client with the SDK's `send` (a `FirehoseClient`, or `createFakeFirehose()`). Default: none. */
        readonly client: FirehoseSendClient;
        readonly clientConfig?: never;
      }
    | {
        readonly client?: never;
        /** Settings to build a `FirehoseClient` from (loads the SDK lazily). Default: `{}` (the SDK's defaults). */
        readonly clientConfig?: FirehoseClientSettings;
      }
  );

/** Counters of the Firehose transport. Every record received is delivered, spooled, lost or still pending. */
export interface FirehoseTransportStats extends TransportStats {
  /** Records handed to the transport (same as `received`). */
  readonly logged: number;
  /** Record resends: each time a logical record is sent again after a failure counts once. */
  readonly retried: number;
  /** Records written to the spool (retry budget exhausted, non-retryable error, buffer full, close timeout). */
  readonly spooled: number;
  /** Records neither delivered nor spooled because the spool could not be written (reported through `onError`). */
  readonly lost: number;
  /** `PutRecordBatch` calls made. */
  readonly putRecordBatchCalls: number;
  /** Firehose records acknowledged (same as `objects`). */
  readonly firehoseRecords: number;
  /** Bytes of acknowledged Firehose records (same as `bytes`). */
  readonly rawBytes: number;
  /** What Firehose bills for them: each record rounded up to 5,120 bytes. */
  readonly billedBytes: number;
  /** Bytes of records in memory, not yet acknowledged or spooled. */
  readonly bufferedBytes: number;
  /** The highest `bufferedBytes` seen. */
  readonly peakBufferedBytes: number;
  /** Record resends after a call whose outcome was unknown (timeout, network error, 5xx): the only source of duplicates. */
  readonly uncertainResends: number;
}

/** What the Firehose transport's `close()` reports. */
export interface FirehoseCloseReport extends CloseReport {
  /** Records spooled over the transport's life (resend them with `fiat spool replay`). */
  readonly spooled: number;
  /** Records that could not even be spooled. */
  readonly lost: number;
  /** True when `timeoutMs` passed before everything was acknowledged (the rest was spooled). */
  readonly timedOut: boolean;
  /** The spool folder. */
  readonly spoolDir: string;
}

/** The Firehose transport: a {@link Transport} with richer stats and close report. */
export interface FirehoseTransport extends Transport {
  readonly kind: 'firehose';
  /** The absolute spool folder. */
  readonly spoolDir: string;
  close(options?: { readonly timeoutMs?: number }): Promise<FirehoseCloseReport>;
  stats(): FirehoseTransportStats;
}

/** Records waiting for the spool because the buffer was full, written into off-heap chunks as they arrive. */
interface Overflow {
  readonly chunks: Buffer[];
  current: Buffer;
  offset: number;
  count: number;
  readonly callbacks: ((delivered: boolean) => void)[];
}

const OVERFLOW_CHUNK_BYTES = 256 * 1024;

function appendOverflow(overflow: Overflow, line: string, bytes: number): void {
  if (overflow.offset + bytes > overflow.current.length) {
    if (overflow.offset > 0) overflow.chunks.push(overflow.current.subarray(0, overflow.offset));
    overflow.current = Buffer.allocUnsafe(Math.max(OVERFLOW_CHUNK_BYTES, bytes));
    overflow.offset = 0;
  }
  overflow.offset += overflow.current.write(line, overflow.offset, bytes, 'utf8');
  overflow.count += 1;
}

function overflowChunks(overflow: Overflow): Buffer[] {
  return overflow.offset > 0 ? [...overflow.chunks, overflow.current.subarray(0, overflow.offset)] : overflow.chunks;
}

interface Packed {
  /** Logical records (lines) in this Firehose record. */
  count: number;
  /** Their settle callbacks, when any line has one (replays). */
  callbacks: ((delivered: boolean) => void)[] | undefined;
  bytes: number;
  settled: boolean;
  /** The record's bytes, built once when it is sealed and reused by every attempt and by the spool. */
  data?: Buffer;
  /** While the record is open: the off-heap buffer its lines are written into as they arrive. */
  buf?: Buffer;
  /** The pooled buffer behind `data`, returned to the pool when the record is settled. */
  pooled?: Buffer;
}

/**
 * Seals a Firehose record: its bytes are the used part of the buffer its lines were written into,
 * reused by every attempt and by the spool. The buffer returns to the pool when the record settles.
 * (Unpacked records are created with their `data`; only open packed records are sealed here.)
 */
function sealData(record: Packed): Buffer {
  if (record.data === undefined) {
    const buffer = record.buf as Buffer;
    record.data = buffer.subarray(0, record.bytes);
    record.pooled = buffer;
    record.buf = undefined;
  }
  return record.data;
}

interface Queue {
  readonly deliveryStream: string;
  open: Packed | undefined;
  sealed: Packed[];
  sealedBytes: number;
}

interface Batch {
  readonly deliveryStream: string;
  readonly records: Packed[];
  readonly done: Promise<void>;
  readonly finish: () => void;
}

type SdkModule = typeof FirehoseSdk;

let sdkPromise: Promise<SdkModule | undefined> | undefined;

/** Loads `@aws-sdk/client-firehose` once, on first need; `undefined` when it is not installed. */
function loadSdk(): Promise<SdkModule | undefined> {
  sdkPromise ??= import('@aws-sdk/client-firehose').catch((error: unknown) => {
    if ((error as { code?: string }).code === 'ERR_MODULE_NOT_FOUND') return undefined;
    throw error;
  });
  return sdkPromise;
}

/** Stand-in command used when the SDK is not installed and a non-SDK client (the fake) is given. */
class PutRecordBatchCommand {
  constructor(readonly input: { DeliveryStreamName: string; Records: { Data: Uint8Array }[] }) {}
}

interface EngineOptions {
  /** Spool records that exhaust the budget or hit a non-retryable error (false for replays). */
  readonly spoolFailures: boolean;
}

/** What `fiat spool replay` and {@link replaySpool} report. */
export interface ReplayReport {
  /** Spool files found. */
  readonly files: number;
  /** Spool files whose records were all acknowledged, and so removed. */
  readonly filesRemoved: number;
  /** Records read from the spool. */
  readonly records: number;
  /** Records acknowledged by Firehose. */
  readonly delivered: number;
  /** Records not acknowledged (their files are kept). */
  readonly failed: number;
  /** The spool files kept because some of their records were not acknowledged. */
  readonly remainingFiles: readonly string[];
  /** `PutRecordBatch` calls made. */
  readonly putRecordBatchCalls: number;
}

/** Options of {@link replaySpool}: the transport's (client, retry, packing…) and the spool folder. */
export type ReplaySpoolOptions = FirehoseTransportOptions;

/**
 * Rounds a Firehose record size up to Firehose's 5 KB (5,120-byte) billing step.
 *
 * @example
 * ```ts
 * billedBytesOf(260); // 5120
 * billedBytesOf(12_000); // 15360
 * ```
 */
export function billedBytesOf(recordBytes: number): number {
  return Math.max(1, Math.ceil(recordBytes / FIREHOSE_BILLING_STEP_BYTES)) * FIREHOSE_BILLING_STEP_BYTES;
}

/**
 * The delay before retry `attempt + 1` (attempt ≥ 1): full jitter over a capped exponential,
 * `random() × min(maxDelayMs, baseDelayMs × 2^(attempt-1))`.
 *
 * @example
 * ```ts
 * backoffDelay(3, { baseDelayMs: 100, maxDelayMs: 5000 }, () => 0.5); // 200
 * ```
 */
export function backoffDelay(
  attempt: number,
  options: { readonly baseDelayMs: number; readonly maxDelayMs: number },
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.floor(random() * ceiling);
}

const FATAL_ERRORS = new Set([
  'ResourceNotFoundException',
  'InvalidArgumentException',
  'ValidationException',
  'AccessDeniedException',
  'AccessDenied',
  'UnrecognizedClientException',
  'InvalidSignatureException',
  'IncompleteSignature',
  'MissingAuthenticationToken',
  'InvalidClientTokenId',
  'ExpiredTokenException',
  'NotAuthorized',
  'InvalidKMSResourceException',
  'InvalidSourceException',
  'ResourceInUseException',
  'SerializationException',
]);
const THROTTLING_ERRORS = new Set(['ServiceUnavailableException', 'ThrottlingException', 'LimitExceededException', 'ProvisionedThroughputExceededException']);

/**
 * How the transport treats a failed `PutRecordBatch` call: `'fatal'` (retrying cannot help:
 * missing stream, bad argument, access denied, stream not ACTIVE), `'throttled'` (the call was
 * refused, nothing was written) or `'unknown'` (timeout, network error, 5xx: the records may or
 * may not have been written, so a resend may duplicate them).
 *
 * @example
 * ```ts
 * classifyFirehoseError({ name: 'ResourceNotFoundException', $metadata: { httpStatusCode: 400 } }); // 'fatal'
 * ```
 */
export function classifyFirehoseError(error: unknown): 'fatal' | 'throttled' | 'unknown' {
  const e = (error ?? {}) as { name?: unknown; code?: unknown; $metadata?: { httpStatusCode?: number } };
  const name = typeof e.name === 'string' ? e.name : '';
  if (FATAL_ERRORS.has(name)) return 'fatal';
  if (THROTTLING_ERRORS.has(name)) return 'throttled';
  const status = e.$metadata?.httpStatusCode;
  if (status === 429) return 'throttled';
  if (status !== undefined && status >= 400 && status < 500 && name !== 'RequestTimeout' && name !== 'RequestTimeoutException') return 'fatal';
  return 'unknown';
}

function describe(error: unknown): string {
  const e = error as { name?: unknown; message?: unknown };
  const name = typeof e?.name === 'string' ? e.name : 'Error';
  const message = typeof e?.message === 'string' ? e.message.split('\n')[0] : String(error);
  return `${name}: ${message}`;
}

/**
 * Resolves the spool folder: the option, else `FIAT_SPOOL_DIR`, else `.fiat/spool`, as an absolute path.
 *
 * @example
 * ```ts
 * resolveSpoolDir(); // '/home/me/project/.fiat/spool'
 * ```
 */
export function resolveSpoolDir(spoolDir?: string): string {
  return resolve(spoolDir ?? getStringFromEnv('FIAT_SPOOL_DIR', DEFAULT_SPOOL_DIR));
}

/** A new spool file's key under the spool folder: `<deliveryStream>/<time>-<pid>-<uuid>.ndjson`. */
function spoolKey(deliveryStream: string): string {
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace('.', '');
  return `${deliveryStream}/${stamp}-${process.pid}-${randomUUID()}.ndjson`;
}

/**
 * Bytes of overflow (records past `maxBufferBytes`) that may wait for an asynchronous spool write.
 * Past it, `log()` writes the overflow to the spool synchronously: during an outage the producer slows
 * down instead of the heap growing.
 */
const OVERFLOW_SYNC_BYTES = 4 * 1024 * 1024;

function checkMax(value: unknown, option: string, fallback: number, max: number): number {
  const n = positiveNumber(value, option, fallback);
  if (n > max) throw new FiatError('CONFIG_INVALID', `option ${option} must be at most ${max}, got ${n}`);
  return n;
}

function createEngine(options: FirehoseTransportOptions, engine: EngineOptions) {
  if (typeof options !== 'object' || options === null) {
    throw new FiatError('CONFIG_INVALID', 'firehose options are required: { client } or { clientConfig }');
  }
  if (options.client !== undefined && options.clientConfig !== undefined) {
    throw new FiatError('CONFIG_INVALID', 'options client and clientConfig are exclusive: give one of them');
  }
  if (options.client !== undefined && typeof (options.client as { send?: unknown }).send !== 'function') {
    throw new FiatError('CONFIG_INVALID', 'option client must have a send(command) method, like FirehoseClient');
  }
  if (options.onFull !== undefined && options.onFull !== 'spool' && options.onFull !== 'throw') {
    throw new FiatError('CONFIG_INVALID', `option onFull must be 'spool' or 'throw', got ${JSON.stringify(options.onFull)}`);
  }
  const packing = options.packing ?? true;
  const maxBatchBytes = checkMax(options.maxBatchBytes, 'maxBatchBytes', FIREHOSE_MAX_BATCH_BYTES, FIREHOSE_MAX_BATCH_BYTES);
  const maxRecordBytes = checkMax(options.maxRecordBytes, 'maxRecordBytes', Math.min(DEFAULT_PACKED_RECORD_BYTES, maxBatchBytes), MAX_RECORD_BYTES);
  const maxBatchRecords = checkMax(options.maxBatchRecords, 'maxBatchRecords', FIREHOSE_MAX_BATCH_RECORDS, FIREHOSE_MAX_BATCH_RECORDS);
  const flushIntervalMs = positiveNumber(options.flushIntervalMs, 'flushIntervalMs', DEFAULT_FIREHOSE_FLUSH_INTERVAL_MS);
  const maxInFlight = positiveNumber(options.maxInFlight, 'maxInFlight', 4);
  const maxBufferBytes = positiveNumber(options.maxBufferBytes, 'maxBufferBytes', DEFAULT_MAX_BUFFER_BYTES);
  const onFull = options.onFull ?? 'spool';
  const recycle = options.recycleBuffers ?? options.client === undefined;
  const retry = options.retry ?? {};
  const maxAttempts = positiveNumber(retry.maxAttempts, 'retry.maxAttempts', 8);
  const maxRetryTimeMs = positiveNumber(retry.maxRetryTimeMs, 'retry.maxRetryTimeMs', 30_000);
  const baseDelayMs = positiveNumber(retry.baseDelayMs, 'retry.baseDelayMs', 100);
  const maxDelayMs = positiveNumber(retry.maxDelayMs, 'retry.maxDelayMs', 5000);
  const requestTimeoutMs = positiveNumber(retry.requestTimeoutMs, 'retry.requestTimeoutMs', 15_000);
  const outageBackoffMs = positiveNumber(retry.outageBackoffMs, 'retry.outageBackoffMs', 5000);
  /** 0 while Firehose answers; after a batch exhausts its budget, batches are spooled unsent until this time, then one probe is sent. */
  let outageUntil = 0;
  let probing = false;
  /** After a whole call fails (endpoint down, throttled), every batch waits until then: one backoff for all, not one storm per batch. */
  let pausedUntil = 0;
  const random = options.random ?? Math.random;
  const spoolDir = resolveSpoolDir(options.spoolDir);
  const onError = options.onError;

  const queues = new Map<string, Queue>();
  const waiting: Batch[] = [];
  const batches = new Set<Batch>();
  const spoolJobs = new Set<Promise<void>>();
  const overflow = new Map<string, Overflow>();
  let overflowScheduled = false;
  let overflowBytes = 0;
  let overflowWriting = false;
  let running = 0;
  let aborted = false;
  const abort = new AbortController();
  let ioError: FiatError | undefined;

  let received = 0;
  let delivered = 0;
  let retried = 0;
  let spooled = 0;
  let lost = 0;
  let failedNoSpool = 0;
  let calls = 0;
  let firehoseRecords = 0;
  let rawBytes = 0;
  let billedBytes = 0;
  let bufferedBytes = 0;
  let peakBufferedBytes = 0;
  let uncertainResends = 0;

  let clientPromise: Promise<{ client: FirehoseSendClient; Command: new (input: any) => unknown }> | undefined;
  function client(): Promise<{ client: FirehoseSendClient; Command: new (input: any) => unknown }> {
    clientPromise ??= (async () => {
      const sdk = await loadSdk();
      if (options.client !== undefined) {
        return { client: options.client, Command: sdk?.PutRecordBatchCommand ?? PutRecordBatchCommand };
      }
      if (sdk === undefined) {
        throw new FiatError('CONFIG_INVALID', 'option clientConfig needs @aws-sdk/client-firehose: npm i @aws-sdk/client-firehose');
      }
      const built = new sdk.FirehoseClient({ maxAttempts: 1, ...(options.clientConfig ?? {}) } as NonNullable<ConstructorParameters<SdkModule['FirehoseClient']>[0]>);
      return { client: built as FirehoseSendClient, Command: sdk.PutRecordBatchCommand };
    })();
    return clientPromise;
  }

  function report(error: FiatError): void {
    try {
      onError?.(error);
    } catch {
      // An onError that throws must not break delivery.
    }
  }

  function queueOf(deliveryStream: string): Queue {
    let queue = queues.get(deliveryStream);
    if (queue === undefined) {
      queue = { deliveryStream, open: undefined, sealed: [], sealedBytes: 0 };
      queues.set(deliveryStream, queue);
    }
    return queue;
  }

  function seal(queue: Queue): void {
    if (queue.open === undefined) return;
    sealData(queue.open);
    queue.sealed.push(queue.open);
    queue.sealedBytes += queue.open.bytes;
    queue.open = undefined;
  }

  function cutBatch(queue: Queue): void {
    const records: Packed[] = [];
    let bytes = 0;
    while (queue.sealed.length > 0 && records.length < maxBatchRecords) {
      const next = queue.sealed[0]!;
      if (records.length > 0 && bytes + next.bytes > maxBatchBytes) break;
      records.push(queue.sealed.shift()!);
      bytes += next.bytes;
      queue.sealedBytes -= next.bytes;
    }
    if (records.length === 0) return;
    let finish!: () => void;
    const done = new Promise<void>((r) => (finish = r));
    const batch: Batch = { deliveryStream: queue.deliveryStream, records, done, finish };
    batches.add(batch);
    waiting.push(batch);
  }

  function cutFull(queue: Queue): void {
    while (queue.sealed.length >= maxBatchRecords || queue.sealedBytes >= maxBatchBytes) cutBatch(queue);
    pump();
  }

  function dispatchAll(): void {
    for (const queue of queues.values()) {
      seal(queue);
      while (queue.sealed.length > 0) cutBatch(queue);
    }
    pump();
  }

  function pump(): void {
    while (running < maxInFlight && waiting.length > 0) {
      const batch = waiting.shift()!;
      running += 1;
      void runBatch(batch).finally(() => {
        running -= 1;
        batches.delete(batch);
        batch.finish();
        pump();
      });
    }
  }

  function enqueue(deliveryStream: string, line: string, bytes: number, onSettled?: (delivered: boolean) => void): void {
    bufferedBytes += bytes;
    if (bufferedBytes > peakBufferedBytes) peakBufferedBytes = bufferedBytes;
    const queue = queueOf(deliveryStream);
    if (!packing) {
      const record: Packed = { count: 1, callbacks: onSettled && [onSettled], bytes, settled: false, data: Buffer.from(line, 'utf8') };
      queue.sealed.push(record);
      queue.sealedBytes += bytes;
    } else {
      if (queue.open !== undefined && queue.open.bytes + bytes > maxRecordBytes) seal(queue);
      queue.open ??= { count: 0, callbacks: undefined, bytes: 0, settled: false, buf: takeBuffer() };
      // Copy the line into the record's buffer now: the string dies young, the heap stays small.
      queue.open.buf!.write(line, queue.open.bytes, bytes, 'utf8');
      queue.open.count += 1;
      if (onSettled !== undefined) (queue.open.callbacks ??= []).push(onSettled);
      queue.open.bytes += bytes;
      if (queue.open.bytes >= maxRecordBytes) seal(queue);
    }
    if (queue.sealed.length >= maxBatchRecords || queue.sealedBytes >= maxBatchBytes) cutFull(queue);
  }

  /** Buffers of settled records, reused for new records (at most enough to fill maxBufferBytes). */
  const pool: Buffer[] = [];
  const poolLimit = Math.ceil(maxBufferBytes / maxRecordBytes) + 1;

  function takeBuffer(): Buffer {
    return pool.pop() ?? Buffer.allocUnsafe(maxRecordBytes);
  }

  /** Returns a settled record's buffer to the pool, or recycles the early-sealed record's unused one. */
  function release(record: Packed): void {
    const buffer = record.pooled ?? record.buf;
    record.pooled = undefined;
    record.buf = undefined;
    if (recycle && buffer !== undefined && buffer.length === maxRecordBytes && pool.length < poolLimit) pool.push(buffer);
  }

  function acknowledge(record: Packed): void {
    outageUntil = 0;
    if (record.settled) return;
    record.settled = true;
    release(record);
    delivered += record.count;
    firehoseRecords += 1;
    rawBytes += record.bytes;
    billedBytes += billedBytesOf(record.bytes);
    bufferedBytes -= record.bytes;
    if (record.callbacks !== undefined) for (const callback of record.callbacks) callback(true);
  }

  /** Takes records out of memory accounting and writes them to the spool (or fails them, for replays). */
  function spoolRecords(deliveryStream: string, records: readonly Packed[], reason: string, cause: unknown, code: 'DELIVERY_FAILED' | 'BUFFER_FULL'): Promise<void> {
    const callbacks: ((delivered: boolean) => void)[] = [];
    const chunks: Buffer[] = [];
    let bytes = 0;
    let count = 0;
    for (const record of records) {
      if (record.settled) continue;
      record.settled = true;
      bytes += record.bytes;
      count += record.count;
      if (record.callbacks !== undefined) callbacks.push(...record.callbacks);
      chunks.push(sealData(record));
    }
    // The records stay counted in bufferedBytes until they are on disk: memory is bounded while the spool is slow.
    return spoolEntries(deliveryStream, count, callbacks, chunks, reason, cause, code).finally(() => {
      bufferedBytes -= bytes;
      for (const record of records) release(record);
    });
  }

  /** Counts and reports the outcome of one spool write: the records are spooled, or (if even that failed) lost. */
  function spoolSettled(
    deliveryStream: string,
    count: number,
    callbacks: readonly ((delivered: boolean) => void)[],
    outcome: { file: string } | { ioCause: unknown },
    reason: string,
    cause: unknown,
    code: 'DELIVERY_FAILED' | 'BUFFER_FULL',
  ): void {
    for (const callback of callbacks) callback(false);
    if ('file' in outcome) {
      spooled += count;
      report(
        new FiatError(code, `${count} records for delivery stream ${deliveryStream} were spooled to ${outcome.file} (${reason}); resend them with fiat spool replay`, {
          cause,
        }),
      );
      return;
    }
    lost += count;
    const ioCause = outcome.ioCause;
    const error = new FiatError(
      'IO_FAILED',
      `could not write the spool under ${spoolDir}: ${count} records for ${deliveryStream} are lost (${(ioCause as Error).message})`,
      { cause: ioCause },
    );
    ioError = error;
    report(error);
  }

  function spoolEntries(
    deliveryStream: string,
    count: number,
    callbacks: readonly ((delivered: boolean) => void)[],
    chunks: readonly Buffer[],
    reason: string,
    cause: unknown,
    code: 'DELIVERY_FAILED' | 'BUFFER_FULL',
  ): Promise<void> {
    if (count === 0) return Promise.resolve();
    if (!engine.spoolFailures) {
      failedNoSpool += count;
      for (const callback of callbacks) callback(false);
      report(new FiatError(code, `${count} records for delivery stream ${deliveryStream} were not delivered (${reason}); their spool file is kept`, { cause }));
      return Promise.resolve();
    }
    const job = writeFileAtomic(spoolDir, spoolKey(deliveryStream), chunks).then(
      (file) => spoolSettled(deliveryStream, count, callbacks, { file }, reason, cause, code),
      (ioCause: unknown) => spoolSettled(deliveryStream, count, callbacks, { ioCause }, reason, cause, code),
    );
    const tracked = job.finally(() => spoolJobs.delete(tracked));
    spoolJobs.add(tracked);
    return tracked;
  }

  const overflowReason = `maxBufferBytes ${maxBufferBytes} reached while Firehose is slow or down`;

  /** Spools the overflow, one asynchronous write at a time (the next starts when the last ends). */
  function drainOverflow(): void {
    overflowScheduled = false;
    if (overflowWriting || overflow.size === 0) return;
    overflowWriting = true;
    const writes: Promise<void>[] = [];
    for (const [deliveryStream, pending] of overflow) {
      overflow.delete(deliveryStream);
      writes.push(spoolEntries(deliveryStream, pending.count, pending.callbacks, overflowChunks(pending), overflowReason, undefined, 'BUFFER_FULL'));
    }
    overflowBytes = 0;
    const all = Promise.all(writes).then(() => {
      overflowWriting = false;
      if (overflow.size > 0) drainOverflow();
    });
    const tracked = all.finally(() => spoolJobs.delete(tracked));
    spoolJobs.add(tracked);
  }

  /** Spools the overflow now, synchronously: the backpressure that keeps an outage from growing the heap. */
  function spoolOverflowSync(): void {
    for (const [deliveryStream, pending] of overflow) {
      overflow.delete(deliveryStream);
      let outcome: { file: string } | { ioCause: unknown };
      try {
        outcome = { file: writeFileAtomicSync(spoolDir, spoolKey(deliveryStream), overflowChunks(pending)) };
      } catch (ioCause) {
        outcome = { ioCause };
      }
      spoolSettled(deliveryStream, pending.count, pending.callbacks, outcome, overflowReason, undefined, 'BUFFER_FULL');
    }
    overflowBytes = 0;
  }

  function sleep(ms: number): Promise<void> {
    return new Promise((resolvePromise) => {
      if (aborted) return resolvePromise();
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        abort.signal.removeEventListener('abort', done);
        resolvePromise();
      }
      abort.signal.addEventListener('abort', done, { once: true });
    });
  }

  async function send(deliveryStream: string, records: readonly Packed[]): Promise<{ RequestResponses?: { RecordId?: string; ErrorCode?: string; ErrorMessage?: string }[] }> {
    const { client: resolved, Command } = await client();
    const command = new Command({
      DeliveryStreamName: deliveryStream,
      Records: records.map((r) => ({ Data: sealData(r) })),
    });
    const controller = new AbortController();
    const onAbort = () => controller.abort();
    abort.signal.addEventListener('abort', onAbort, { once: true });
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        controller.abort();
        const error = new Error(`PutRecordBatch to ${deliveryStream} timed out after ${requestTimeoutMs} ms`);
        error.name = 'TimeoutError';
        reject(error);
      }, requestTimeoutMs);
    });
    try {
      return await Promise.race([resolved.send(command, { abortSignal: controller.signal }), timeout]);
    } finally {
      clearTimeout(timer);
      abort.signal.removeEventListener('abort', onAbort);
    }
  }

  async function runBatch(batch: Batch): Promise<void> {
    const started = Date.now();
    let pending = batch.records;
    let probe = false;
    if (outageUntil !== 0) {
      // The breaker is open: spool without sending, except one probe batch once the backoff has passed.
      if (started < outageUntil || probing) {
        await spoolRecords(batch.deliveryStream, pending, 'Firehose was unreachable moments ago (circuit open; a probe batch is sent every outageBackoffMs)', undefined, 'DELIVERY_FAILED');
        return;
      }
      probing = probe = true;
    }
    try {
      await attempts();
    } finally {
      if (probe) probing = false;
    }

    async function attempts(): Promise<void> {
      for (let attempt = 1; ; attempt += 1) {
        pending = pending.filter((r) => !r.settled);
        if (pending.length === 0 || aborted) return;
        const wait = pausedUntil - Date.now();
        if (wait > 0) {
          await sleep(wait);
          if (aborted) return;
        }
        calls += 1;
        let lastError: unknown;
        let uncertain = false;
        let wholeCallFailed = false;
        try {
          const response = await send(batch.deliveryStream, pending);
          const responses = response?.RequestResponses ?? [];
          const failed: Packed[] = [];
          pending.forEach((record, i) => {
            const entry = responses[i];
            if (entry === undefined || (entry.ErrorCode !== undefined && entry.ErrorCode !== null)) {
              failed.push(record);
              if (entry?.ErrorCode !== undefined) {
                lastError = Object.assign(new Error(entry.ErrorMessage ?? entry.ErrorCode), { name: entry.ErrorCode });
              } else {
                lastError = new Error('PutRecordBatch answered without an entry for this record');
                uncertain = true;
              }
            } else {
              acknowledge(record);
            }
          });
          if (failed.length === 0) return;
          pending = failed;
        } catch (error) {
          if (aborted) return;
          if (isFatalConfig(error)) {
            await spoolRecords(batch.deliveryStream, pending, 'the Firehose client could not be created', error, 'DELIVERY_FAILED');
            return;
          }
          const kind = classifyFirehoseError(error);
          if (kind === 'fatal') {
            await spoolRecords(batch.deliveryStream, pending, `a non-retryable error: ${describe(error)}`, error, 'DELIVERY_FAILED');
            return;
          }
          lastError = error;
          uncertain = kind === 'unknown';
          wholeCallFailed = true;
        }
        const delay = backoffDelay(attempt, { baseDelayMs, maxDelayMs }, random);
        if (wholeCallFailed) pausedUntil = Math.max(pausedUntil, Date.now() + delay);
        if (attempt >= maxAttempts || Date.now() - started + delay > maxRetryTimeMs) {
          outageUntil = Date.now() + outageBackoffMs;
          await spoolRecords(
            batch.deliveryStream,
            pending,
            `retry budget exhausted after ${attempt} attempts in ${Date.now() - started} ms: ${describe(lastError)}`,
            lastError,
            'DELIVERY_FAILED',
          );
          return;
        }
        const resent = pending.reduce((n, r) => n + (r.settled ? 0 : r.count), 0);
        retried += resent;
        if (uncertain) uncertainResends += resent;
        await sleep(delay);
      }
    }
  }

  function isFatalConfig(error: unknown): boolean {
    return error instanceof FiatError && error.code === 'CONFIG_INVALID';
  }

  async function flush(): Promise<void> {
    dispatchAll();
    if (overflow.size > 0) drainOverflow();
    await Promise.all([...[...batches].map((b) => b.done), ...spoolJobs]);
    // Spool jobs started by batches that ended during the wait.
    while (spoolJobs.size > 0) await Promise.all([...spoolJobs]);
    if (ioError !== undefined) {
      const error = ioError;
      ioError = undefined;
      throw error;
    }
  }

  function unsettledByStream(): Map<string, Packed[]> {
    const out = new Map<string, Packed[]>();
    const add = (deliveryStream: string, record: Packed) => {
      if (record.settled) return;
      let list = out.get(deliveryStream);
      if (list === undefined) out.set(deliveryStream, (list = []));
      list.push(record);
    };
    for (const batch of batches) for (const record of batch.records) add(batch.deliveryStream, record);
    for (const queue of queues.values()) {
      for (const record of queue.sealed) add(queue.deliveryStream, record);
      if (queue.open !== undefined) add(queue.deliveryStream, queue.open);
    }
    return out;
  }

  /** Stops sending: aborts calls and backoffs, and spools everything not acknowledged. */
  async function abortAndSpool(timeoutMs: number): Promise<void> {
    aborted = true;
    abort.abort();
    const jobs: Promise<void>[] = [];
    for (const [deliveryStream, records] of unsettledByStream()) {
      jobs.push(spoolRecords(deliveryStream, records, `close() timed out after ${timeoutMs} ms`, undefined, 'DELIVERY_FAILED'));
    }
    drainOverflow();
    await Promise.all(jobs);
    while (spoolJobs.size > 0) await Promise.all([...spoolJobs]);
  }

  function stats(): FirehoseTransportStats {
    const failed = spooled + lost + failedNoSpool;
    return {
      received,
      logged: received,
      delivered,
      pending: received - delivered - failed,
      failed,
      objects: firehoseRecords,
      bytes: rawBytes,
      retried,
      spooled,
      lost,
      putRecordBatchCalls: calls,
      firehoseRecords,
      rawBytes,
      billedBytes,
      bufferedBytes,
      peakBufferedBytes,
      uncertainResends,
    };
  }

  return {
    spoolDir,
    maxBufferBytes,
    onFull,
    flushIntervalMs,
    /** Accepts one line; overflow past maxBufferBytes is spooled or refused. */
    accept(deliveryStream: string, line: string, onSettled?: (delivered: boolean) => void, bypassLimit = false): void {
      const bytes = Buffer.byteLength(line, 'utf8');
      if (bytes > MAX_RECORD_BYTES) {
        throw new FiatError('RECORD_TOO_LARGE', `a record for ${deliveryStream} is ${bytes} bytes, over the 1,024,000-byte Firehose record limit`);
      }
      if (!bypassLimit && bufferedBytes + bytes > maxBufferBytes) {
        if (onFull === 'throw') {
          throw new FiatError('BUFFER_FULL', `maxBufferBytes (${maxBufferBytes}) of unacknowledged records reached for ${deliveryStream}; retry later or raise maxBufferBytes`);
        }
        received += 1;
        let pending = overflow.get(deliveryStream);
        if (pending === undefined) {
          pending = { chunks: [], current: Buffer.allocUnsafe(OVERFLOW_CHUNK_BYTES), offset: 0, count: 0, callbacks: [] };
          overflow.set(deliveryStream, pending);
        }
        appendOverflow(pending, line, bytes);
        if (onSettled !== undefined) pending.callbacks.push(onSettled);
        overflowBytes += bytes;
        if (overflowWriting && overflowBytes > OVERFLOW_SYNC_BYTES) {
          spoolOverflowSync();
          return;
        }
        if (!overflowScheduled) {
          overflowScheduled = true;
          setImmediate(drainOverflow);
        }
        return;
      }
      received += 1;
      enqueue(deliveryStream, line, bytes, onSettled);
    },
    dispatchAll,
    flush,
    abortAndSpool,
    stats,
    stop(): void {
      aborted = true;
      abort.abort();
    },
    client,
  };
}

/**
 * The Amazon Data Firehose transport: packs newline-terminated lines into Firehose records,
 * sends them with `PutRecordBatch` within Firehose's limits, resends only the records that
 * failed, retries whole-call failures within a budget, and spools what it cannot deliver to
 * fsync'd NDJSON files (`fiat spool replay` resends them). Memory is bounded by `maxBufferBytes`.
 * The AWS SDK is loaded only when the first batch is sent.
 *
 * @example
 * ```ts
 * import { createFirehoseTransport } from '@fiat/core/firehose';
 * const transport = createFirehoseTransport({ clientConfig: { region: 'eu-west-1' } });
 * const logger = ValidatedLog.configure(transport, { app: 'billing', email: 'team@example.com', streams: [Audit] });
 * ```
 */
export function createFirehoseTransport(options: FirehoseTransportOptions): FirehoseTransport {
  const engine = createEngine(options, { spoolFailures: true });
  let closed = false;
  let closing: Promise<FirehoseCloseReport> | undefined;
  let startup: Promise<unknown> | undefined;
  const timer = setInterval(() => engine.dispatchAll(), engine.flushIntervalMs);
  timer.unref();
  if (options.replaySpoolOnStart === true) {
    startup = replaySpool(options).catch((cause: unknown) => {
      options.onError?.(new FiatError('DELIVERY_FAILED', `replaying the spool ${engine.spoolDir} on start failed: ${describe(cause)}`, { cause }));
    });
  }

  async function close(closeOptions: { readonly timeoutMs?: number } = {}): Promise<FirehoseCloseReport> {
    const timeoutMs = closeOptions.timeoutMs;
    if (timeoutMs !== undefined) positiveNumber(timeoutMs, 'timeoutMs', 1);
    closed = true;
    clearInterval(timer);
    let timedOut = false;
    const flushing = (async () => {
      if (startup !== undefined) await startup;
      await engine.flush();
    })();
    if (timeoutMs === undefined) {
      await flushing.catch(() => undefined);
    } else {
      let t: NodeJS.Timeout | undefined;
      const expired = new Promise<'timeout'>((r) => (t = setTimeout(() => r('timeout'), timeoutMs)));
      const outcome = await Promise.race([flushing.then(() => 'done' as const, () => 'done' as const), expired]);
      clearTimeout(t);
      if (outcome === 'timeout') {
        timedOut = true;
        await engine.abortAndSpool(timeoutMs);
      }
    }
    engine.stop();
    const s = engine.stats();
    return { delivered: s.delivered, undelivered: s.received - s.delivered, spooled: s.spooled, lost: s.lost, timedOut, spoolDir: engine.spoolDir };
  }

  return {
    kind: 'firehose',
    spoolDir: engine.spoolDir,
    write(record: TransportRecord): void {
      if (closed) throw new FiatError('LOGGER_CLOSED', 'the firehose transport is closed');
      engine.accept(record.names.deliveryStream, record.line);
    },
    async flush(): Promise<void> {
      if (startup !== undefined) await startup;
      await engine.flush();
    },
    close(closeOptions?: { readonly timeoutMs?: number }): Promise<FirehoseCloseReport> {
      closing ??= close(closeOptions);
      return closing;
    },
    stats: engine.stats,
  };
}

interface SpoolFile {
  readonly path: string;
  readonly deliveryStream: string;
}

async function listSpoolFiles(spoolDir: string): Promise<SpoolFile[]> {
  let streams: string[];
  try {
    streams = (await readdir(spoolDir, { withFileTypes: true })).filter((d) => d.isDirectory() && d.name !== '_tmp').map((d) => d.name).sort();
  } catch (error) {
    if ((error as { code?: string }).code === 'ENOENT') return [];
    throw new FiatError('IO_FAILED', `cannot read the spool ${spoolDir}: ${(error as Error).message}`, { cause: error });
  }
  const files: SpoolFile[] = [];
  for (const deliveryStream of streams) {
    const names = (await readdir(join(spoolDir, deliveryStream))).filter((f) => f.endsWith('.ndjson')).sort();
    for (const name of names) files.push({ path: join(spoolDir, deliveryStream, name), deliveryStream });
  }
  return files;
}

/**
 * Resends spooled records through Firehose (same client options and retry budget as the
 * transport) and removes each spool file once all of its records are acknowledged; files with
 * records still failing are kept. Records keep their `event_id`, so duplicates can be removed downstream.
 *
 * @example
 * ```ts
 * import { replaySpool } from '@fiat/core/firehose';
 * const report = await replaySpool({ clientConfig: { region: 'eu-west-1' }, spoolDir: '.fiat/spool' });
 * console.log(`${report.delivered} records resent, ${report.remainingFiles.length} files kept`);
 * ```
 */
export async function replaySpool(options: ReplaySpoolOptions): Promise<ReplayReport> {
  const engine = createEngine({ ...options, replaySpoolOnStart: false } as FirehoseTransportOptions, { spoolFailures: false });
  const files = await listSpoolFiles(engine.spoolDir);
  const groupBytes = Math.min(engine.maxBufferBytes, 16 * 1024 * 1024);
  let records = 0;
  let delivered = 0;
  let failed = 0;
  let filesRemoved = 0;
  const remainingFiles: string[] = [];
  try {
    for (let i = 0; i < files.length; ) {
      const group: { file: SpoolFile; total: number; ok: number; bad: number }[] = [];
      let bytes = 0;
      while (i < files.length && (group.length === 0 || bytes < groupBytes)) {
        const file = files[i++]!;
        let text: string;
        try {
          text = await readFile(file.path, 'utf8');
        } catch (error) {
          throw new FiatError('IO_FAILED', `cannot read spool file ${file.path}: ${(error as Error).message}`, { cause: error });
        }
        const state = { file, total: 0, ok: 0, bad: 0 };
        group.push(state);
        for (const raw of text.split('\n')) {
          if (raw.trim() === '') continue;
          const line = `${raw}\n`;
          state.total += 1;
          bytes += line.length;
          engine.accept(file.deliveryStream, line, (ok) => (ok ? (state.ok += 1) : (state.bad += 1)), true);
        }
      }
      await engine.flush();
      for (const state of group) {
        records += state.total;
        delivered += state.ok;
        failed += state.total - state.ok;
        if (state.ok === state.total) {
          await rm(state.file.path, { force: true });
          filesRemoved += 1;
        } else {
          remainingFiles.push(state.file.path);
        }
      }
    }
  } finally {
    engine.stop();
  }
  return { files: files.length, filesRemoved, records, delivered, failed, remainingFiles, putRecordBatchCalls: engine.stats().putRecordBatchCalls };
}

/**
 * Wraps a Lambda (or any async) handler so that each invocation ends with a flush of the
 * logger or transport: nothing is left in memory when the runtime freezes.
 *
 * @example
 * ```ts
 * const logger = Audit.configure('firehose', { app: 'orders', email: 'team@example.com', clientConfig: {} });
 * export const handler = withFlush(logger, async (event) => logger.run('handle', event, () => handle(event)));
 * ```
 */
export function withFlush<TEvent, TContext, TResult>(
  target: { flush(): Promise<void> },
  handler: (event: TEvent, context: TContext) => TResult | Promise<TResult>,
): (event: TEvent, context: TContext) => Promise<TResult> {
  return async (event, context) => {
    try {
      return await handler(event, context);
    } finally {
      await target.flush();
    }
  };
}
