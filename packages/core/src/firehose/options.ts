// Owns the Firehose transport's options: their types with documented defaults, Firehose's limits, and
// resolveFirehoseOptions, the one place where defaults are applied and bad values are refused.
import { FiatError } from '../errors.js';
import { DATA_DIRS } from '../dataDirs.js';
import { positiveNumber } from '../env.js';
import type { CloseReport, Transport, TransportStats } from '../transport.js';
import type { ReplayReport } from './replaySpool.js';

/** Firehose's limit of records per `PutRecordBatch` call: 500. */
export const FIREHOSE_MAX_BATCH_RECORDS = 500;
/** Firehose's limit of bytes per `PutRecordBatch` call: 4 MiB (before base64). */
export const FIREHOSE_MAX_BATCH_BYTES = 4 * 1024 * 1024;
/** Firehose's limit of one record (before base64): 1,024,000 bytes. */
export const FIREHOSE_MAX_RECORD_BYTES = 1_024_000;
/** Firehose bills ingestion per record, each rounded up to a multiple of 5 KB: 5,120 bytes. */
export const FIREHOSE_BILLING_STEP_BYTES = 5120;
/** Default size a packed Firehose record is filled to: 199 × 5,120 = 1,018,880 bytes, just under 1,000 KiB. */
export const DEFAULT_PACKED_RECORD_BYTES = 199 * FIREHOSE_BILLING_STEP_BYTES;
/** Default interval at which buffered records are sent: 1 s. */
export const DEFAULT_FIREHOSE_FLUSH_INTERVAL_MS = 1000;
/** Default bound of records held in memory and not yet acknowledged: 64 MiB. */
export const DEFAULT_MAX_BUFFER_BYTES = 64 * 1024 * 1024;
/** Default spool folder when neither `spoolDir` nor `FIAT_SPOOL_DIR` is set, outside AWS Lambda (there: `/tmp/fiat-spool`). */
export const DEFAULT_SPOOL_DIR = DATA_DIRS.spool.local;

/** The input of one `PutRecordBatch` call, as the AWS SDK spells it. */
export interface PutRecordBatchInput {
  readonly DeliveryStreamName: string;
  readonly Records: readonly { readonly Data: Uint8Array }[];
}

/** The part of a `PutRecordBatch` answer the transport reads. */
export interface PutRecordBatchOutput {
  readonly FailedPutCount?: number;
  readonly RequestResponses?: readonly { readonly RecordId?: string; readonly ErrorCode?: string; readonly ErrorMessage?: string }[];
}

/**
 * A client with the SDK's `send`: a `FirehoseClient` (Fiat then takes `PutRecordBatchCommand` from
 * `@aws-sdk/client-firehose`, the module the client came from), or any object whose `send` accepts a
 * plain `{ operation: 'PutRecordBatch', input }` command (a mock).
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
 * A client with the SDK's aggregated method `putRecordBatch(input, options)`: the SDK's `Firehose`
 * class or `createFakeFirehose()`. Fiat calls it directly and never imports the SDK.
 *
 * @example
 * ```ts
 * const client: FirehoseBatchClient = new Firehose({ region: 'eu-west-1' });
 * ```
 */
export interface FirehoseBatchClient {
  putRecordBatch(input: PutRecordBatchInput, options?: { abortSignal?: AbortSignal }): Promise<any>;
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
   * Safe only with a client that does not keep `Data` after the call resolves (the AWS SDK does not;
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
  /** Bytes of records held in memory and not yet acknowledged or spooled, overflow included. Default: 64 MiB. */
  readonly maxBufferBytes?: number;
  /** Past `maxBufferBytes`: `'spool'` new records to disk, or `'throw'` `BUFFER_FULL` from `log()`. Default: `'spool'`. */
  readonly onFull?: 'spool' | 'throw';
  /** Folder of the spool (NDJSON files per delivery stream). Default: `FIAT_SPOOL_DIR`, else `/tmp/fiat-spool` in AWS Lambda, else `.fiat/spool`. */
  readonly spoolDir?: string;
  /** Resend the spool in the background when the transport starts (counted in `stats()` and the close report). Default: `false`. */
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
        /** A client: the SDK's `Firehose` or `FirehoseClient`, or `createFakeFirehose()`. Default: none. */
        readonly client: FirehoseBatchClient | FirehoseSendClient;
        readonly clientConfig?: never;
      }
    | {
        readonly client?: never;
        /** Settings to build a `FirehoseClient` from (loads the SDK lazily). Default: `{}` (the SDK's defaults). */
        readonly clientConfig?: FirehoseClientSettings;
      }
  );

/**
 * Every option key of the Firehose transport: `ValidatedLog.configure('firehose', …)` routes these to
 * the transport and refuses keys that are neither the logger's nor these.
 */
export const FIREHOSE_TRANSPORT_OPTION_KEYS = [
  'client',
  'clientConfig',
  'packing',
  'maxRecordBytes',
  'recycleBuffers',
  'maxBatchRecords',
  'maxBatchBytes',
  'flushIntervalMs',
  'maxInFlight',
  'maxBufferBytes',
  'onFull',
  'spoolDir',
  'replaySpoolOnStart',
  'retry',
  'onError',
  'random',
] as const satisfies readonly (keyof FirehoseTransportBaseOptions | 'client' | 'clientConfig')[];

/** Counters of the Firehose transport. Every record received is delivered, spooled, lost or still pending. */
export interface FirehoseTransportStats extends TransportStats {
  /** Record resends: each time a logical record is sent again after a failure counts once. */
  readonly retried: number;
  /** Records written to the spool (retry budget exhausted, non-retryable error, buffer full, close timeout, `flushSync`). */
  readonly spooled: number;
  /** Records neither delivered nor spooled because the spool could not be written (reported through `onError`). */
  readonly lost: number;
  /** `PutRecordBatch` calls made (replays on start included). */
  readonly putRecordBatchCalls: number;
  /** What Firehose bills for the acknowledged Firehose records: each rounded up to 5,120 bytes. */
  readonly billedBytes: number;
  /** Bytes of records in memory, not yet acknowledged or spooled (overflow waiting for the spool included). */
  readonly bufferedBytes: number;
  /** The highest `bufferedBytes` seen. */
  readonly peakBufferedBytes: number;
  /** Record resends after a call that may have been applied (timeout after sending, 5xx, lost response): the only source of duplicates. */
  readonly uncertainResends: number;
  /** Records resent from the spool by `replaySpoolOnStart` and acknowledged (not counted in `received`/`delivered`). */
  readonly replayed: number;
  /** Spool lines `replaySpoolOnStart` quarantined to `<spoolDir>/<stream>/rejected/` (malformed, truncated, oversize). */
  readonly replayRejected: number;
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
  /** What `replaySpoolOnStart` did, when it was set. */
  readonly replay?: ReplayReport;
}

/** The Firehose transport: a {@link Transport} with richer stats and close report. */
export interface FirehoseTransport extends Transport {
  readonly kind: 'firehose';
  /** The absolute spool folder. */
  readonly spoolDir: string;
  /**
   * Appends every record not yet acknowledged (open, sealed, in flight, overflow, being spooled) to
   * the spool synchronously, one fsync'd file per delivery stream: what a process 'exit' handler calls.
   */
  flushSync(): void;
  close(options?: { readonly timeoutMs?: number }): Promise<FirehoseCloseReport>;
  stats(): FirehoseTransportStats;
}

/** The options after defaults, checked once. */
export interface ResolvedFirehoseOptions {
  readonly packing: boolean;
  readonly maxRecordBytes: number;
  readonly maxBatchRecords: number;
  readonly maxBatchBytes: number;
  readonly flushIntervalMs: number;
  readonly maxInFlight: number;
  readonly maxBufferBytes: number;
  readonly onFull: 'spool' | 'throw';
  readonly recycleBuffers: boolean;
  readonly replaySpoolOnStart: boolean;
  readonly retry: ResolvedRetryOptions;
  readonly random: () => number;
}

/** {@link FirehoseRetryOptions} after defaults. */
export interface ResolvedRetryOptions {
  readonly maxAttempts: number;
  readonly maxRetryTimeMs: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  readonly requestTimeoutMs: number;
  readonly outageBackoffMs: number;
}

function checkMax(value: unknown, option: string, fallback: number, max: number): number {
  const n = positiveNumber(value, option, fallback);
  if (n > max) throw new FiatError('CONFIG_INVALID', `option ${option} must be at most ${max}, got ${n}`);
  return n;
}

function checkClient(options: FirehoseTransportOptions): void {
  if (typeof options !== 'object' || options === null) {
    throw new FiatError('CONFIG_INVALID', 'firehose options are required: { client } or { clientConfig }');
  }
  if (options.client !== undefined && options.clientConfig !== undefined) {
    throw new FiatError('CONFIG_INVALID', 'options client and clientConfig are exclusive: give one of them');
  }
  const client = options.client as { send?: unknown; putRecordBatch?: unknown } | undefined;
  if (client !== undefined && typeof client.send !== 'function' && typeof client.putRecordBatch !== 'function') {
    throw new FiatError('CONFIG_INVALID', 'option client must have putRecordBatch(input) (like Firehose) or send(command) (like FirehoseClient)');
  }
  if (options.onFull !== undefined && options.onFull !== 'spool' && options.onFull !== 'throw') {
    throw new FiatError('CONFIG_INVALID', `option onFull must be 'spool' or 'throw', got ${JSON.stringify(options.onFull)}`);
  }
}

function resolveRetry(retry: FirehoseRetryOptions = {}): ResolvedRetryOptions {
  return {
    maxAttempts: positiveNumber(retry.maxAttempts, 'retry.maxAttempts', 8),
    maxRetryTimeMs: positiveNumber(retry.maxRetryTimeMs, 'retry.maxRetryTimeMs', 30_000),
    baseDelayMs: positiveNumber(retry.baseDelayMs, 'retry.baseDelayMs', 100),
    maxDelayMs: positiveNumber(retry.maxDelayMs, 'retry.maxDelayMs', 5000),
    requestTimeoutMs: positiveNumber(retry.requestTimeoutMs, 'retry.requestTimeoutMs', 15_000),
    outageBackoffMs: positiveNumber(retry.outageBackoffMs, 'retry.outageBackoffMs', 5000),
  };
}

/**
 * Applies the defaults of every option and refuses bad values with `CONFIG_INVALID` naming the option.
 *
 * @example
 * ```ts
 * resolveFirehoseOptions({ client: fake, maxInFlight: 2 }).maxBatchRecords; // 500
 * ```
 */
export function resolveFirehoseOptions(options: FirehoseTransportOptions): ResolvedFirehoseOptions {
  checkClient(options);
  const maxBatchBytes = checkMax(options.maxBatchBytes, 'maxBatchBytes', FIREHOSE_MAX_BATCH_BYTES, FIREHOSE_MAX_BATCH_BYTES);
  return {
    packing: options.packing ?? true,
    maxBatchBytes,
    maxRecordBytes: checkMax(options.maxRecordBytes, 'maxRecordBytes', Math.min(DEFAULT_PACKED_RECORD_BYTES, maxBatchBytes), FIREHOSE_MAX_RECORD_BYTES),
    maxBatchRecords: checkMax(options.maxBatchRecords, 'maxBatchRecords', FIREHOSE_MAX_BATCH_RECORDS, FIREHOSE_MAX_BATCH_RECORDS),
    flushIntervalMs: positiveNumber(options.flushIntervalMs, 'flushIntervalMs', DEFAULT_FIREHOSE_FLUSH_INTERVAL_MS),
    maxInFlight: positiveNumber(options.maxInFlight, 'maxInFlight', 4),
    maxBufferBytes: positiveNumber(options.maxBufferBytes, 'maxBufferBytes', DEFAULT_MAX_BUFFER_BYTES),
    onFull: options.onFull ?? 'spool',
    recycleBuffers: options.recycleBuffers ?? options.client === undefined,
    replaySpoolOnStart: options.replaySpoolOnStart === true,
    retry: resolveRetry(options.retry),
    random: options.random ?? Math.random,
  };
}
