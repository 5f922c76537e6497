import { randomBytes } from 'node:crypto';
import { applyEncryptionChange, encryptionInputProblem } from './encryption.js';

/** Firehose's limit of records per `PutRecordBatch`. */
const MAX_BATCH_RECORDS = 500;
/** Firehose's limit of bytes per `PutRecordBatch` (before base64). */
const MAX_BATCH_BYTES = 4 * 1024 * 1024;
/** Firehose's limit of one record (before base64). */
const MAX_RECORD_BYTES = 1_024_000;
/** Firehose's billing step per record. */
const BILLING_STEP = 5120;
const STREAM_NAME = /^[a-zA-Z0-9_.-]{1,64}$/;
const DESTINATION_ID = 'destinationId-000000000001';

/** Which error code a failed record in a `PutRecordBatch` answer carries. */
export type FakeRecordErrorCode = 'ServiceUnavailableException' | 'InternalFailure' | 'mixed';

/**
 * Fault injection of the fake Firehose (in memory or behind the HTTP server). Fractions are
 * in [0, 1] and drawn from the fake's seeded random source. Every field can be changed at any time.
 *
 * @example
 * ```ts
 * const fake = createFakeFirehose({ faults: { throttleRate: 0.3, failRecordRate: 0.1 } });
 * fake.faults.throttleNext = 2; // the next two put calls are throttled
 * ```
 */
export interface FakeFirehoseFaults {
  /** Put calls still to throttle (`ServiceUnavailableException`, nothing written). Default: 0. */
  throttleNext: number;
  /** Fraction of put calls throttled. Default: 0. */
  throttleRate: number;
  /** Fraction of the records of each `PutRecordBatch` answered with an `ErrorCode` (not written). Default: 0. */
  failRecordRate: number;
  /** Error code of those records. Default: `'ServiceUnavailableException'`. */
  failRecordCode: FakeRecordErrorCode;
  /** Put calls still to "lose": the records are written, then the call fails (the duplicate-maker). Default: 0. */
  loseResponseNext: number;
  /** Fraction of put calls whose response is lost. Default: 0. */
  loseResponseRate: number;
  /** Milliseconds every call waits before it is answered. Default: 0. */
  latencyMs: number;
  /** When true, every call fails like an unreachable endpoint (connection refused). Default: false. */
  down: boolean;
  /** Errors (by AWS name) thrown by the next put calls, one per call, e.g. `['ResourceNotFoundException']`. Default: `[]`. */
  failNextCalls: string[];
}

/** Options of {@link createFakeFirehose}. */
export interface FakeFirehoseOptions {
  /** Create a delivery stream on the first put to it (else puts to unknown streams get `ResourceNotFoundException`). Default: `true`. */
  readonly autoCreateStreams?: boolean;
  /** Milliseconds a created stream stays `CREATING` before it is `ACTIVE`. Default: 0 (ACTIVE at once). */
  readonly createDelayMs?: number;
  /** Seed of the random source that drives fault injection. Default: 1. */
  readonly seed?: number;
  /** Initial fault injection. Default: no faults. */
  readonly faults?: Partial<FakeFirehoseFaults>;
  /** AWS account id in ARNs. Default: `'123456789012'`. */
  readonly accountId?: string;
  /** Region in ARNs. Default: `'us-east-1'`. */
  readonly region?: string;
  /** Called with each Firehose record written (used by the HTTP server to deliver to a lake). Default: none. */
  readonly onWrite?: (deliveryStreamName: string, data: Buffer, stream: FakeDeliveryStream) => void;
}

/** One call the fake received. */
export interface FakeFirehoseCall {
  /** 0-based order of arrival. */
  readonly index: number;
  /** The operation, e.g. `PutRecordBatch`. */
  readonly operation: string;
  /** The delivery stream named by the call, if any. */
  readonly deliveryStreamName: string | undefined;
  /** Firehose records in the call (puts only). */
  readonly records: number;
  /** Bytes of those records. */
  readonly bytes: number;
  /** `ok`, `partial` (some records failed), `lost` (written, then failed), or the error name thrown. */
  readonly outcome: string;
  /** Records answered with an `ErrorCode`. */
  readonly failedRecords: number;
  /** Record ids written by this call (puts only). */
  readonly recordIds: readonly string[];
}

/** A delivery stream held by the fake. */
export interface FakeDeliveryStream {
  readonly name: string;
  readonly arn: string;
  status: 'CREATING' | 'ACTIVE';
  versionId: number;
  readonly createdAt: Date;
  lastUpdatedAt: Date | undefined;
  /** The `CreateDeliveryStream` request (or a minimal one for auto-created streams). */
  readonly request: Record<string, any>;
  /** The current destination configuration (ExtendedS3), after updates. */
  destination: Record<string, any>;
  readonly activeAt: number;
}

/** One Firehose record the fake stored. */
export interface FakeStoredRecord {
  readonly deliveryStreamName: string;
  readonly recordId: string;
  readonly data: Buffer;
  /** Index of the call that wrote it. */
  readonly call: number;
}

/**
 * An AWS-shaped error as the SDK raises it: `name` is the AWS error code, `$fault` and
 * `$metadata.httpStatusCode` are set.
 *
 * @example
 * ```ts
 * throw new FakeFirehoseError('ResourceNotFoundException', 'Firehose fiat-audit under account 123456789012 not found.');
 * ```
 */
export class FakeFirehoseError extends Error {
  readonly $fault: 'client' | 'server';
  readonly $metadata: { readonly httpStatusCode: number };
  readonly code: string | undefined;

  constructor(name: string, message: string, status?: number, code?: string) {
    super(message);
    this.name = name;
    const httpStatusCode = status ?? (SERVER_ERRORS.has(name) ? (name === 'ServiceUnavailableException' ? 503 : 500) : 400);
    this.$fault = httpStatusCode >= 500 ? 'server' : 'client';
    this.$metadata = { httpStatusCode };
    this.code = code;
  }
}

const SERVER_ERRORS = new Set(['ServiceUnavailableException', 'InternalFailure', 'InternalServerError']);

/**
 * An in-memory Amazon Data Firehose: pass it as `client` to the Firehose transport. It accepts
 * SDK command objects (`new PutRecordBatchCommand(…)`) or `{ input }` objects named by class.
 */
export interface FakeFirehose {
  /** Like `FirehoseClient.send`: runs the command and resolves with its output, or rejects with an AWS-shaped error. */
  send(command: { readonly input?: unknown } & object, options?: { abortSignal?: AbortSignal }): Promise<any>;
  /** Runs an operation by name (`PutRecordBatch`, `DescribeDeliveryStream`, …) with its input. */
  handle(operation: string, input: any): Promise<any>;
  /** The logical records delivered (packed Firehose records split into lines, parsed), in order of arrival. */
  records(deliveryStreamName?: string): Record<string, unknown>[];
  /** The raw newline-terminated lines delivered, in order of arrival. */
  lines(deliveryStreamName?: string): string[];
  /** The Firehose records stored (duplicates included). */
  readonly stored: readonly FakeStoredRecord[];
  /** The calls received, in order. */
  readonly calls: readonly FakeFirehoseCall[];
  /** What Firehose would bill: every stored record rounded up to 5,120 bytes. */
  readonly billedBytes: number;
  /** Bytes of every stored record. */
  readonly rawBytes: number;
  /** Fault injection, changeable at any time. */
  readonly faults: FakeFirehoseFaults;
  /** The delivery streams, by name. */
  readonly streams: ReadonlyMap<string, FakeDeliveryStream>;
  /** Forgets stored records and calls (streams and faults stay). */
  clear(): void;
}

/** A small seeded PRNG (mulberry32), so fault injection is repeatable. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function toBuffer(data: unknown): Buffer {
  // Copy, as the real service does by receiving the bytes: the caller may reuse its buffer after send resolves.
  if (data instanceof Uint8Array) return Buffer.from(data);
  if (typeof data === 'string') return Buffer.from(data, 'utf8');
  throw new FakeFirehoseError('ValidationException', '1 validation error detected: Value null at \'record.data\' failed to satisfy constraint: Member must not be null');
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    function onAbort() {
      clearTimeout(timer);
      const error = new Error('Request aborted');
      error.name = 'AbortError';
      reject(error);
    }
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function outcomeOf(error: unknown): string {
  return (error as { code?: unknown }).code === 'ECONNREFUSED' ? 'down' : String((error as Error).name);
}

function checkName(name: unknown, field = 'deliveryStreamName'): string {
  if (typeof name !== 'string' || !STREAM_NAME.test(name)) {
    throw new FakeFirehoseError(
      'ValidationException',
      `1 validation error detected: Value '${String(name)}' at '${field}' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+`,
    );
  }
  return name;
}

function describeDestination(config: Record<string, any>): Record<string, any> {
  return {
    BufferingHints: { SizeInMBs: 5, IntervalInSeconds: 300 },
    CompressionFormat: 'UNCOMPRESSED',
    EncryptionConfiguration: { NoEncryptionConfig: 'NoEncryption' },
    CloudWatchLoggingOptions: { Enabled: false },
    S3BackupMode: 'Disabled',
    ...config,
  };
}

/**
 * Creates an in-memory Firehose that behaves like the service at the API level: the 500-record,
 * 4 MiB and 1,000 KiB limits with the errors AWS gives, `RecordId`s, partial failures, control
 * plane (create, describe, list, update, delete) and fault injection.
 *
 * @example
 * ```ts
 * import { createFakeFirehose } from '@fiat/testing';
 * const fake = createFakeFirehose();
 * const logger = Audit.configure('firehose', { app: 'shop', email: 'me@example.com', client: fake });
 * logger.log({ task: '_add', task_args: { x: 1, y: 2 } }).logOutput({ output: 3 });
 * await logger.flush();
 * expect(fake.records('fiat-audit').map((r) => r.phase)).toEqual(['start', 'output']);
 * ```
 */
export function createFakeFirehose(options: FakeFirehoseOptions = {}): FakeFirehose {
  const random = seeded(options.seed ?? 1);
  const accountId = options.accountId ?? '123456789012';
  const region = options.region ?? 'us-east-1';
  const autoCreate = options.autoCreateStreams ?? true;
  const streams = new Map<string, FakeDeliveryStream>();
  let stored: FakeStoredRecord[] = [];
  let calls: FakeFirehoseCall[] = [];
  let billedBytes = 0;
  let rawBytes = 0;
  let recordCounter = 0;
  const idPrefix = randomBytes(24).toString('base64');
  const faults: FakeFirehoseFaults = {
    throttleNext: 0,
    throttleRate: 0,
    failRecordRate: 0,
    failRecordCode: 'ServiceUnavailableException',
    loseResponseNext: 0,
    loseResponseRate: 0,
    latencyMs: 0,
    down: false,
    failNextCalls: [],
    ...options.faults,
  };

  function createStream(name: string, request: Record<string, any>): FakeDeliveryStream {
    const now = Date.now();
    const delay = options.createDelayMs ?? 0;
    const stream: FakeDeliveryStream = {
      name,
      arn: `arn:aws:firehose:${region}:${accountId}:deliverystream/${name}`,
      status: delay > 0 ? 'CREATING' : 'ACTIVE',
      versionId: 1,
      createdAt: new Date(now),
      lastUpdatedAt: undefined,
      request,
      destination: { ...(request.ExtendedS3DestinationConfiguration ?? request.S3DestinationConfiguration ?? {}) },
      activeAt: now + delay,
    };
    streams.set(name, stream);
    return stream;
  }

  function streamFor(name: string, forPut: boolean): FakeDeliveryStream {
    let stream = streams.get(name);
    if (stream === undefined && forPut && autoCreate) stream = createStream(name, { DeliveryStreamName: name, DeliveryStreamType: 'DirectPut' });
    if (stream === undefined) {
      throw new FakeFirehoseError('ResourceNotFoundException', `Firehose ${name} under account ${accountId} not found.`);
    }
    if (stream.status === 'CREATING' && Date.now() >= stream.activeAt) stream.status = 'ACTIVE';
    return stream;
  }

  function record(call: Omit<FakeFirehoseCall, 'index'>): void {
    calls.push({ index: calls.length, ...call });
  }

  function nextRecordId(): string {
    recordCounter += 1;
    return `${idPrefix}${recordCounter.toString(36).padStart(8, '0')}`;
  }

  function store(stream: FakeDeliveryStream, data: Buffer, call: number): string {
    const recordId = nextRecordId();
    stored.push({ deliveryStreamName: stream.name, recordId, data, call });
    rawBytes += data.length;
    billedBytes += Math.max(1, Math.ceil(data.length / BILLING_STEP)) * BILLING_STEP;
    options.onWrite?.(stream.name, data, stream);
    return recordId;
  }

  /** Faults applied to every put call before anything is written; throws the injected error. */
  function callFaults(): void {
    if (faults.down) {
      const error = new Error('connect ECONNREFUSED 127.0.0.1:443') as Error & { code: string };
      error.code = 'ECONNREFUSED';
      throw error;
    }
    const forced = faults.failNextCalls.shift();
    if (forced !== undefined) throw new FakeFirehoseError(forced, `${forced} (injected by the fake)`);
    if (faults.throttleNext > 0) {
      faults.throttleNext -= 1;
      throw new FakeFirehoseError('ServiceUnavailableException', 'Slow down.');
    }
    if (faults.throttleRate > 0 && random() < faults.throttleRate) {
      throw new FakeFirehoseError('ServiceUnavailableException', 'Slow down.');
    }
  }

  function responseLost(): boolean {
    if (faults.loseResponseNext > 0) {
      faults.loseResponseNext -= 1;
      return true;
    }
    return faults.loseResponseRate > 0 && random() < faults.loseResponseRate;
  }

  function lostError(): Error {
    const error = new Error('socket hang up (response lost, injected by the fake)') as Error & { code: string };
    error.name = 'TimeoutError';
    error.code = 'ECONNRESET';
    return error;
  }

  function putRecordBatch(input: any): any {
    const name = checkName(input?.DeliveryStreamName);
    const records: unknown[] = Array.isArray(input?.Records) ? input.Records : [];
    const base = { operation: 'PutRecordBatch', deliveryStreamName: name, records: records.length };
    let bytes = 0;
    let recorded = false;
    try {
      if (records.length === 0) {
        throw new FakeFirehoseError('ValidationException', "1 validation error detected: Value '[]' at 'records' failed to satisfy constraint: Member must have length greater than or equal to 1");
      }
      if (records.length > MAX_BATCH_RECORDS) {
        throw new FakeFirehoseError(
          'ValidationException',
          `1 validation error detected: Value '[...]' at 'records' failed to satisfy constraint: Member must have length less than or equal to ${MAX_BATCH_RECORDS}`,
        );
      }
      const datas = records.map((r) => toBuffer((r as { Data?: unknown })?.Data));
      const tooLarge = datas.map((d, i) => [d.length, i] as const).filter(([n]) => n > MAX_RECORD_BYTES);
      if (tooLarge.length > 0) {
        throw new FakeFirehoseError(
          'ValidationException',
          `${tooLarge.length} validation error${tooLarge.length > 1 ? 's' : ''} detected: ${tooLarge
            .map(([n, i]) => `Value 'java.nio.HeapByteBuffer[pos=0 lim=${n} cap=${n}]' at 'records.${i + 1}.member.data' failed to satisfy constraint: Member must have length less than or equal to ${MAX_RECORD_BYTES}`)
            .join('; ')}`,
        );
      }
      bytes = datas.reduce((n, d) => n + d.length, 0);
      if (bytes > MAX_BATCH_BYTES) throw new FakeFirehoseError('InvalidArgumentException', 'Records size exceeds 4 MB limit');
      const stream = streamFor(name, true);
      if (stream.status !== 'ACTIVE') {
        throw new FakeFirehoseError('ResourceInUseException', `Firehose ${name} under account ${accountId} is in CREATING state, not ACTIVE.`);
      }
      callFaults();
      const index = calls.length;
      const responses: { RecordId?: string; ErrorCode?: string; ErrorMessage?: string }[] = [];
      const recordIds: string[] = [];
      let failed = 0;
      for (const data of datas) {
        if (faults.failRecordRate > 0 && random() < faults.failRecordRate) {
          const code =
            faults.failRecordCode === 'mixed' ? (random() < 0.5 ? 'ServiceUnavailableException' : 'InternalFailure') : faults.failRecordCode;
          responses.push({ ErrorCode: code, ErrorMessage: code === 'InternalFailure' ? 'Internal service failure.' : 'Slow down.' });
          failed += 1;
        } else {
          const recordId = store(stream, data, index);
          recordIds.push(recordId);
          responses.push({ RecordId: recordId });
        }
      }
      recorded = true;
      if (responseLost()) {
        record({ ...base, bytes, outcome: 'lost', failedRecords: failed, recordIds });
        throw lostError();
      }
      record({ ...base, bytes, outcome: failed > 0 ? 'partial' : 'ok', failedRecords: failed, recordIds });
      return { FailedPutCount: failed, Encrypted: false, RequestResponses: responses };
    } catch (error) {
      if (!recorded) record({ ...base, bytes, outcome: outcomeOf(error), failedRecords: records.length, recordIds: [] });
      throw error;
    }
  }

  function putRecord(input: any): any {
    const name = checkName(input?.DeliveryStreamName);
    const base = { operation: 'PutRecord', deliveryStreamName: name, records: 1 };
    let recorded = false;
    try {
      const data = toBuffer(input?.Record?.Data);
      if (data.length > MAX_RECORD_BYTES) {
        throw new FakeFirehoseError(
          'ValidationException',
          `1 validation error detected: Value 'java.nio.HeapByteBuffer[pos=0 lim=${data.length} cap=${data.length}]' at 'record.data' failed to satisfy constraint: Member must have length less than or equal to ${MAX_RECORD_BYTES}`,
        );
      }
      const stream = streamFor(name, true);
      if (stream.status !== 'ACTIVE') {
        throw new FakeFirehoseError('ResourceInUseException', `Firehose ${name} under account ${accountId} is in CREATING state, not ACTIVE.`);
      }
      callFaults();
      const recordId = store(stream, data, calls.length);
      recorded = true;
      if (responseLost()) {
        record({ ...base, bytes: data.length, outcome: 'lost', failedRecords: 0, recordIds: [recordId] });
        throw lostError();
      }
      record({ ...base, bytes: data.length, outcome: 'ok', failedRecords: 0, recordIds: [recordId] });
      return { RecordId: recordId, Encrypted: false };
    } catch (error) {
      if (!recorded) record({ ...base, bytes: 0, outcome: outcomeOf(error), failedRecords: 1, recordIds: [] });
      throw error;
    }
  }

  function describeStream(stream: FakeDeliveryStream): any {
    if (stream.status === 'CREATING' && Date.now() >= stream.activeAt) stream.status = 'ACTIVE';
    const destination = describeDestination(stream.destination);
    const { BucketARN, RoleARN, Prefix, ErrorOutputPrefix, BufferingHints, CompressionFormat, EncryptionConfiguration, CloudWatchLoggingOptions } = destination;
    return {
      DeliveryStreamDescription: {
        DeliveryStreamName: stream.name,
        DeliveryStreamARN: stream.arn,
        DeliveryStreamStatus: stream.status,
        DeliveryStreamType: stream.request.DeliveryStreamType ?? 'DirectPut',
        DeliveryStreamEncryptionConfiguration: stream.request.DeliveryStreamEncryptionConfigurationInput
          ? { ...stream.request.DeliveryStreamEncryptionConfigurationInput, Status: 'ENABLED' }
          : { Status: 'DISABLED' },
        VersionId: String(stream.versionId),
        CreateTimestamp: stream.createdAt,
        ...(stream.lastUpdatedAt !== undefined ? { LastUpdateTimestamp: stream.lastUpdatedAt } : {}),
        Destinations: [
          {
            DestinationId: DESTINATION_ID,
            S3DestinationDescription: { RoleARN, BucketARN, Prefix, ErrorOutputPrefix, BufferingHints, CompressionFormat, EncryptionConfiguration, CloudWatchLoggingOptions },
            ExtendedS3DestinationDescription: destination,
          },
        ],
        HasMoreDestinations: false,
      },
    };
  }

  function control(operation: string, input: any): any {
    const name = input?.DeliveryStreamName;
    switch (operation) {
      case 'CreateDeliveryStream': {
        checkName(name);
        if (streams.has(name)) {
          throw new FakeFirehoseError('ResourceInUseException', `Firehose ${name} under accountId ${accountId} already exists`);
        }
        if (input.ExtendedS3DestinationConfiguration === undefined && input.S3DestinationConfiguration === undefined) {
          throw new FakeFirehoseError('InvalidArgumentException', 'Exactly one destination configuration is supported for a Firehose');
        }
        const destination = input.ExtendedS3DestinationConfiguration ?? input.S3DestinationConfiguration;
        for (const key of ['RoleARN', 'BucketARN']) {
          if (typeof destination[key] !== 'string') {
            throw new FakeFirehoseError('ValidationException', `1 validation error detected: Value null at 'extendedS3DestinationConfiguration.${key.charAt(0).toLowerCase()}${key.slice(1)}' failed to satisfy constraint: Member must not be null`);
          }
        }
        const hints = destination.BufferingHints;
        if (hints !== undefined && ((hints.SizeInMBs === undefined) !== (hints.IntervalInSeconds === undefined))) {
          throw new FakeFirehoseError('InvalidArgumentException', 'BufferingHints: SizeInMBs and IntervalInSeconds must be set together');
        }
        const problem = encryptionInputProblem(input.DeliveryStreamEncryptionConfigurationInput);
        if (problem !== undefined) throw new FakeFirehoseError('InvalidArgumentException', problem);
        const stream = createStream(name, structuredClone(input));
        return { DeliveryStreamARN: stream.arn };
      }
      case 'StartDeliveryStreamEncryption':
      case 'StopDeliveryStreamEncryption': {
        const stream = streamFor(checkName(name), false);
        const problem = operation === 'StartDeliveryStreamEncryption' ? encryptionInputProblem(input.DeliveryStreamEncryptionConfigurationInput) : undefined;
        if (problem !== undefined) throw new FakeFirehoseError('InvalidArgumentException', problem);
        applyEncryptionChange(stream.request, operation, input);
        return {};
      }
      case 'DescribeDeliveryStream':
        return describeStream(streamFor(checkName(name), false));
      case 'DeleteDeliveryStream':
        streamFor(checkName(name), false);
        streams.delete(name);
        return {};
      case 'ListDeliveryStreams': {
        const limit = typeof input?.Limit === 'number' ? input.Limit : 10;
        let names = [...streams.values()]
          .filter((s) => input?.DeliveryStreamType === undefined || (s.request.DeliveryStreamType ?? 'DirectPut') === input.DeliveryStreamType)
          .map((s) => s.name)
          .sort();
        if (typeof input?.ExclusiveStartDeliveryStreamName === 'string') names = names.filter((n) => n > input.ExclusiveStartDeliveryStreamName);
        return { DeliveryStreamNames: names.slice(0, limit), HasMoreDeliveryStreams: names.length > limit };
      }
      case 'UpdateDestination': {
        const stream = streamFor(checkName(name), false);
        if (String(input.CurrentDeliveryStreamVersionId) !== String(stream.versionId)) {
          throw new FakeFirehoseError(
            'ConcurrentModificationException',
            `Firehose ${name} version ${String(input.CurrentDeliveryStreamVersionId)} is not the current version ${stream.versionId}`,
          );
        }
        if (input.DestinationId !== DESTINATION_ID) {
          throw new FakeFirehoseError('InvalidArgumentException', `Destination ${String(input.DestinationId)} not found for Firehose ${name}`);
        }
        const update = input.ExtendedS3DestinationUpdate ?? input.S3DestinationUpdate ?? {};
        stream.destination = { ...stream.destination, ...structuredClone(update) };
        stream.versionId += 1;
        stream.lastUpdatedAt = new Date();
        return {};
      }
      default:
        throw new FakeFirehoseError('UnknownOperationException', `The fake Firehose does not implement ${operation}`);
    }
  }

  async function handle(operation: string, input: any, signal?: AbortSignal): Promise<any> {
    if (faults.latencyMs > 0) await sleep(faults.latencyMs, signal);
    if (operation === 'PutRecordBatch') return putRecordBatch(input);
    if (operation === 'PutRecord') return putRecord(input);
    if (faults.down) {
      const error = new Error('connect ECONNREFUSED 127.0.0.1:443') as Error & { code: string };
      error.code = 'ECONNREFUSED';
      throw error;
    }
    const output = control(operation, input);
    record({ operation, deliveryStreamName: typeof input?.DeliveryStreamName === 'string' ? input.DeliveryStreamName : undefined, records: 0, bytes: 0, outcome: 'ok', failedRecords: 0, recordIds: [] });
    return output;
  }

  function lines(deliveryStreamName?: string): string[] {
    const out: string[] = [];
    for (const r of stored) {
      if (deliveryStreamName !== undefined && r.deliveryStreamName !== deliveryStreamName) continue;
      const text = r.data.toString('utf8');
      let start = 0;
      for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', start)) {
        out.push(text.slice(start, i + 1));
        start = i + 1;
      }
      if (start < text.length) out.push(text.slice(start));
    }
    return out;
  }

  return {
    async send(command, sendOptions) {
      const name = (command as { constructor?: { name?: string } }).constructor?.name ?? '';
      const operation = name.endsWith('Command') ? name.slice(0, -'Command'.length) : name;
      return handle(operation, (command as { input?: unknown }).input, sendOptions?.abortSignal);
    },
    handle: (operation, input) => handle(operation, input),
    records: (deliveryStreamName) => lines(deliveryStreamName).map((line) => JSON.parse(line) as Record<string, unknown>),
    lines,
    get stored() {
      return stored;
    },
    get calls() {
      return calls;
    },
    get billedBytes() {
      return billedBytes;
    },
    get rawBytes() {
      return rawBytes;
    },
    faults,
    streams,
    clear() {
      stored = [];
      calls = [];
      billedBytes = 0;
      rawBytes = 0;
    },
  };
}
