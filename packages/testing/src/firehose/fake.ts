// Owns the in-memory fake Firehose as a whole: its options, its public face (the SDK's `send`, the
// aggregated `putRecordBatch`/`putRecord` the transport's port calls, `handle` by operation name) and
// the per-call latency; the planes, faults and streams live in their own files.
import { randomBytes } from 'node:crypto';
import { ControlPlane } from './controlPlane.js';
import { DataPlane, type FakeFirehoseCall, type FakeStoredRecord } from './dataPlane.js';
import { DeliveryStreams, type FakeDeliveryStream } from './deliveryStreams.js';
import { connectionRefused } from './errors.js';
import { FaultInjector, noFaults, seeded, type FakeFirehoseFaults } from './faults.js';
import { operationOf, type FakeCommand } from './operations.js';

export { FakeFirehoseError } from './errors.js';
export type { FakeFirehoseFaults, FakeRecordErrorCode } from './faults.js';
export type { FakeFirehoseCall, FakeStoredRecord } from './dataPlane.js';
export type { FakeDeliveryStream } from './deliveryStreams.js';
export type { FakeCommand } from './operations.js';

/** Options of {@link createFakeFirehose}. */
export interface FakeFirehoseOptions {
  /** Create a delivery stream on the first put to it (else puts to unknown streams get `ResourceNotFoundException`). Default: `true`. */
  readonly autoCreateStreams?: boolean;
  /** Milliseconds a created stream stays `CREATING` before it is `ACTIVE`. Default: 0 (ACTIVE at once). */
  readonly createDelayMs?: number;
  /** Milliseconds every call waits before it is answered, like a real endpoint (e.g. 20); changeable later through `latencyMs`. Default: 0. */
  readonly latencyMs?: number;
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

/**
 * An in-memory Amazon Data Firehose: pass it as `client` to the Firehose transport, which calls its
 * `putRecordBatch` (the port), or `send` it SDK commands or `{ operation, input }` objects.
 */
export interface FakeFirehose {
  /** Like `FirehoseClient.send`: runs the command (SDK command or `{ operation?, input }`) and resolves with its output, or rejects with an AWS-shaped error. */
  send(command: FakeCommand & object, options?: { abortSignal?: AbortSignal }): Promise<any>;
  /** Like the SDK's `Firehose.putRecordBatch`: the call the Firehose transport makes. */
  putRecordBatch(input: any, options?: { abortSignal?: AbortSignal }): Promise<any>;
  /** Like the SDK's `Firehose.putRecord`. */
  putRecord(input: any, options?: { abortSignal?: AbortSignal }): Promise<any>;
  /** Runs an operation by name (`PutRecordBatch`, `DescribeDeliveryStream`, …) with its input. */
  handle(operation: string, input: any, signal?: AbortSignal): Promise<any>;
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
  /** Milliseconds every call waits before it is answered; change it at any time. */
  latencyMs: number;
  /** Fault injection, changeable at any time. */
  readonly faults: FakeFirehoseFaults;
  /** The delivery streams, by name. */
  readonly streams: ReadonlyMap<string, FakeDeliveryStream>;
  /** Forgets stored records and calls (streams and faults stay). */
  clear(): void;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    function onAbort(): void {
      clearTimeout(timer);
      const error = new Error('Request aborted');
      error.name = 'AbortError';
      reject(error);
    }
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function splitLines(stored: readonly FakeStoredRecord[], deliveryStreamName: string | undefined): string[] {
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

/**
 * Creates an in-memory Firehose that behaves like the service at the API level: the 500-record,
 * 4 MiB and 1,000 KiB limits with the errors AWS gives, `RecordId`s, partial failures, control
 * plane (create, describe, list, update, delete), latency and fault injection.
 *
 * @example
 * ```ts
 * import { createFakeFirehose } from '@fiat/testing';
 * const fake = createFakeFirehose({ latencyMs: 20 });
 * const logger = Audit.configure('firehose', { app: 'shop', email: 'me@example.com', client: fake });
 * logger.log({ task: '_add', task_args: { x: 1, y: 2 } }).logOutput({ output: 3 });
 * await logger.flush();
 * expect(fake.records('fiat-audit').map((r) => r.phase)).toEqual(['start', 'output']);
 * ```
 */
export function createFakeFirehose(options: FakeFirehoseOptions = {}): FakeFirehose {
  const accountId = options.accountId ?? '123456789012';
  const streams = new DeliveryStreams({ accountId, region: options.region ?? 'us-east-1', autoCreate: options.autoCreateStreams ?? true, createDelayMs: options.createDelayMs ?? 0 });
  const faults = noFaults(options.faults);
  let calls: FakeFirehoseCall[] = [];
  let recordCounter = 0;
  const idPrefix = randomBytes(24).toString('base64');
  const data = new DataPlane({
    streams,
    injector: new FaultInjector(faults, seeded(options.seed ?? 1)),
    calls: () => calls,
    nextRecordId: () => `${idPrefix}${(++recordCounter).toString(36).padStart(8, '0')}`,
    ...(options.onWrite !== undefined ? { onWrite: options.onWrite } : {}),
  });
  const control = new ControlPlane(streams, accountId);

  const fake: FakeFirehose = {
    latencyMs: options.latencyMs ?? 0,
    async handle(operation, input, signal) {
      if (fake.latencyMs > 0) await sleep(fake.latencyMs, signal);
      if (operation === 'PutRecordBatch') return data.putRecordBatch(input);
      if (operation === 'PutRecord') return data.putRecord(input);
      if (faults.down) throw connectionRefused();
      const output = control.handle(operation, input);
      const deliveryStreamName = typeof input?.DeliveryStreamName === 'string' ? input.DeliveryStreamName : undefined;
      calls.push({ index: calls.length, operation, deliveryStreamName, records: 0, bytes: 0, outcome: 'ok', failedRecords: 0, recordIds: [] });
      return output;
    },
    send: async (command, sendOptions) => fake.handle(operationOf(command), command.input, sendOptions?.abortSignal),
    putRecordBatch: (input, callOptions) => fake.handle('PutRecordBatch', input, callOptions?.abortSignal),
    putRecord: (input, callOptions) => fake.handle('PutRecord', input, callOptions?.abortSignal),
    records: (deliveryStreamName) => splitLines(data.stored, deliveryStreamName).map((line) => JSON.parse(line) as Record<string, unknown>),
    lines: (deliveryStreamName) => splitLines(data.stored, deliveryStreamName),
    get stored() {
      return data.stored;
    },
    get calls() {
      return calls;
    },
    get billedBytes() {
      return data.billedBytes;
    },
    get rawBytes() {
      return data.rawBytes;
    },
    faults,
    streams: streams.byName,
    clear() {
      data.stored = [];
      data.billedBytes = 0;
      data.rawBytes = 0;
      calls = [];
    },
  };
  return fake;
}
