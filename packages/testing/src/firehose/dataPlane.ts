// Owns the fake Firehose's data plane: PutRecordBatch and PutRecord with AWS's limits and errors,
// RecordIds, partial failures and lost responses (through the fault injector), and what was stored.
import { FakeFirehoseError, responseLostError } from './errors.js';
import { checkName, type DeliveryStreams, type FakeDeliveryStream } from './deliveryStreams.js';
import type { FaultInjector } from './faults.js';

/** Firehose's limit of records per `PutRecordBatch`. */
const MAX_BATCH_RECORDS = 500;
/** Firehose's limit of bytes per `PutRecordBatch` (before base64). */
const MAX_BATCH_BYTES = 4 * 1024 * 1024;
/** Firehose's limit of one record (before base64). */
const MAX_RECORD_BYTES = 1_024_000;
/** Firehose's billing step per record. */
const BILLING_STEP = 5120;

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
  /** `ok`, `partial` (some records failed), `lost` (written, then failed), `down`, or the error name thrown. */
  readonly outcome: string;
  /** Records answered with an `ErrorCode`. */
  readonly failedRecords: number;
  /** Record ids written by this call (puts only). */
  readonly recordIds: readonly string[];
}

/** One Firehose record the fake stored. */
export interface FakeStoredRecord {
  readonly deliveryStreamName: string;
  readonly recordId: string;
  readonly data: Buffer;
  /** Index of the call that wrote it. */
  readonly call: number;
}

/** What the data plane shares with the rest of the fake. */
export interface DataPlaneContext {
  readonly streams: DeliveryStreams;
  readonly injector: FaultInjector;
  readonly calls: () => FakeFirehoseCall[];
  readonly nextRecordId: () => string;
  readonly onWrite?: (deliveryStreamName: string, data: Buffer, stream: FakeDeliveryStream) => void;
}

function toBuffer(data: unknown): Buffer {
  // Copy, as the real service does by receiving the bytes: the caller may reuse its buffer after the call.
  if (data instanceof Uint8Array) return Buffer.from(data);
  if (typeof data === 'string') return Buffer.from(data, 'utf8');
  throw new FakeFirehoseError('ValidationException', "1 validation error detected: Value null at 'record.data' failed to satisfy constraint: Member must not be null");
}

function outcomeOf(error: unknown): string {
  return (error as { code?: unknown }).code === 'ECONNREFUSED' ? 'down' : String((error as Error).name);
}

function tooLargeError(sizes: readonly (readonly [number, number])[], field: (i: number) => string): FakeFirehoseError {
  const details = sizes
    .map(([n, i]) => `Value 'java.nio.HeapByteBuffer[pos=0 lim=${n} cap=${n}]' at '${field(i)}' failed to satisfy constraint: Member must have length less than or equal to ${MAX_RECORD_BYTES}`)
    .join('; ');
  return new FakeFirehoseError('ValidationException', `${sizes.length} validation error${sizes.length > 1 ? 's' : ''} detected: ${details}`);
}

/** Checks a batch against AWS's limits; returns its records' bytes. */
function batchDatas(records: readonly unknown[]): Buffer[] {
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
  if (tooLarge.length > 0) throw tooLargeError(tooLarge, (i) => `records.${i + 1}.member.data`);
  if (datas.reduce((n, d) => n + d.length, 0) > MAX_BATCH_BYTES) throw new FakeFirehoseError('InvalidArgumentException', 'Records size exceeds 4 MB limit');
  return datas;
}

/**
 * The fake's `PutRecordBatch` and `PutRecord`.
 *
 * @example
 * ```ts
 * const out = plane.putRecordBatch({ DeliveryStreamName: 'fiat-audit', Records: [{ Data: Buffer.from('{}\n') }] });
 * out.RequestResponses[0].RecordId; // '…00000001'
 * ```
 */
export class DataPlane {
  stored: FakeStoredRecord[] = [];
  billedBytes = 0;
  rawBytes = 0;
  readonly #context: DataPlaneContext;

  constructor(context: DataPlaneContext) {
    this.#context = context;
  }

  putRecordBatch(input: any): any {
    const name = checkName(input?.DeliveryStreamName);
    const records: unknown[] = Array.isArray(input?.Records) ? input.Records : [];
    const base = { operation: 'PutRecordBatch', deliveryStreamName: name, records: records.length };
    let bytes = 0;
    try {
      const datas = batchDatas(records);
      bytes = datas.reduce((n, d) => n + d.length, 0);
      const stream = this.#context.streams.forPut(name);
      this.#context.injector.beforeWrite();
      return this.#writeBatch(stream, datas, { ...base, bytes });
    } catch (error) {
      if (!(error instanceof WrittenError)) this.#record({ ...base, bytes, outcome: outcomeOf(error), failedRecords: records.length, recordIds: [] });
      throw error instanceof WrittenError ? error.cause : error;
    }
  }

  putRecord(input: any): any {
    const name = checkName(input?.DeliveryStreamName);
    const base = { operation: 'PutRecord', deliveryStreamName: name, records: 1 };
    try {
      const data = toBuffer(input?.Record?.Data);
      if (data.length > MAX_RECORD_BYTES) throw tooLargeError([[data.length, 0]], () => 'record.data');
      const stream = this.#context.streams.forPut(name);
      this.#context.injector.beforeWrite();
      const recordId = this.#store(stream, data, this.#context.calls().length);
      const lost = this.#context.injector.responseLost();
      this.#record({ ...base, bytes: data.length, outcome: lost ? 'lost' : 'ok', failedRecords: 0, recordIds: [recordId] });
      if (lost) throw new WrittenError(responseLostError());
      return { RecordId: recordId, Encrypted: false };
    } catch (error) {
      if (!(error instanceof WrittenError)) this.#record({ ...base, bytes: 0, outcome: outcomeOf(error), failedRecords: 1, recordIds: [] });
      throw error instanceof WrittenError ? error.cause : error;
    }
  }

  /** Writes each record (or fails it by the injected record failure rate), then answers or loses the answer. */
  #writeBatch(stream: FakeDeliveryStream, datas: readonly Buffer[], base: Omit<FakeFirehoseCall, 'index' | 'outcome' | 'failedRecords' | 'recordIds'>): any {
    const index = this.#context.calls().length;
    const responses: { RecordId?: string; ErrorCode?: string; ErrorMessage?: string }[] = [];
    const recordIds: string[] = [];
    for (const data of datas) {
      const code = this.#context.injector.recordFailure();
      if (code !== undefined) {
        responses.push({ ErrorCode: code, ErrorMessage: code === 'InternalFailure' ? 'Internal service failure.' : 'Slow down.' });
        continue;
      }
      const recordId = this.#store(stream, data, index);
      recordIds.push(recordId);
      responses.push({ RecordId: recordId });
    }
    const failed = datas.length - recordIds.length;
    const lost = this.#context.injector.responseLost();
    this.#record({ ...base, outcome: lost ? 'lost' : failed > 0 ? 'partial' : 'ok', failedRecords: failed, recordIds });
    if (lost) throw new WrittenError(responseLostError());
    return { FailedPutCount: failed, Encrypted: false, RequestResponses: responses };
  }

  #store(stream: FakeDeliveryStream, data: Buffer, call: number): string {
    const recordId = this.#context.nextRecordId();
    this.stored.push({ deliveryStreamName: stream.name, recordId, data, call });
    this.rawBytes += data.length;
    this.billedBytes += Math.max(1, Math.ceil(data.length / BILLING_STEP)) * BILLING_STEP;
    this.#context.onWrite?.(stream.name, data, stream);
    return recordId;
  }

  #record(call: Omit<FakeFirehoseCall, 'index'>): void {
    const calls = this.#context.calls();
    calls.push({ index: calls.length, ...call });
  }
}

/** An error thrown after the call was already recorded (its records were written). */
class WrittenError extends Error {
  constructor(override readonly cause: Error) {
    super(cause.message);
  }
}
