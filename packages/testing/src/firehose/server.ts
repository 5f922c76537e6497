import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { promisify } from 'node:util';
import { gzip as gzipCallback } from 'node:zlib';
import { DeadLetter, FiatCheckpoint, lakeObjectKey, writeLakeFile, type StreamNames } from '@fiat/core';
import { DEFAULT_MAX_BODY_BYTES, FakeRequestError, isJsonRequest, readRequestBody, RequestErrorLog } from '../http.js';
import { createFakeFirehose, type FakeDeliveryStream, type FakeFirehose, type FakeFirehoseOptions } from './fake.js';
import { listenLocal } from '../httpServer.js';

const gzip = promisify(gzipCallback);
const TARGET_PREFIX = 'Firehose_20150804.';

/** Options of {@link startFakeFirehoseServer}; `latencyMs` delays every answer (e.g. 20 for a realistic endpoint). */
export interface FakeFirehoseServerOptions extends Omit<FakeFirehoseOptions, 'onWrite'> {
  /** Port to listen on (127.0.0.1). Default: 0 (any free port). */
  readonly port?: number;
  /** Host to listen on. Default: `'127.0.0.1'`. */
  readonly host?: string;
  /** Deliver written records to this lake folder, in the local transport's layout. Default: none (records stay in memory). */
  readonly lakeDir?: string;
  /** Bytes buffered per delivery stream before a lake file is written (Firehose's `SizeInMBs`). Default: 5 MiB. */
  readonly bufferBytes?: number;
  /** Milliseconds before buffered records are written anyway (Firehose's `IntervalInSeconds`). Default: 60,000. */
  readonly bufferIntervalMs?: number;
  /**
   * Lake prefix per delivery stream, e.g. `{ 'fiat-audit': 'audit/' }`. Default: from the stream's `Prefix` (before
   * `dt=`), else `_fiat_checkpoint/` and `_fiat_deadletter/` for Fiat's own streams, else the name without `fiat-`
   * plus `/`.
   */
  readonly prefixes?: Readonly<Record<string, string>>;
  /** Largest request body read; a larger one is answered 413 and its connection closed. Default: 16 MiB. */
  readonly maxBodyBytes?: number;
  /**
   * Called with each request the server could not serve (client abort or reset, malformed request,
   * body over `maxBodyBytes`); they are also kept in `requestErrors`. Nothing is printed. Default: none.
   */
  readonly onRequestError?: (error: FakeRequestError) => void;
}

/** A running fake Firehose HTTP server. */
export interface FakeFirehoseServer {
  /** The endpoint to give `FirehoseClient({ endpoint })`, e.g. `http://127.0.0.1:53127`. */
  readonly endpoint: string;
  /** The port it listens on. */
  readonly port: number;
  /** The in-memory fake behind it: records, calls, billed bytes, streams. */
  readonly fake: FakeFirehose;
  /** Fault injection (the fake's). Setting `down` makes the server drop every connection. */
  readonly faults: FakeFirehose['faults'];
  /** The logical records received, parsed, in order (see {@link FakeFirehose.records}). */
  records(deliveryStreamName?: string): Record<string, unknown>[];
  /** Lake files written so far (keys relative to `lakeDir`). */
  readonly files: readonly string[];
  /** The last 100 requests the server could not serve (aborted, reset, malformed, too large). */
  readonly requestErrors: readonly FakeRequestError[];
  /** Writes every buffered record to the lake now. */
  flush(): Promise<void>;
  /** Flushes, then stops the server. */
  close(): Promise<void>;
}

interface LakeBuffer {
  readonly names: StreamNames;
  chunks: Buffer[];
  bytes: number;
  firstArrival: number;
}

function prefixOf(stream: FakeDeliveryStream, prefixes: Readonly<Record<string, string>> | undefined): string {
  const given = prefixes?.[stream.name];
  if (given !== undefined) return given;
  const configured = stream.destination.Prefix;
  if (typeof configured === 'string' && configured.length > 0) {
    const cut = configured.indexOf('dt=');
    const head = cut === -1 ? configured.split('!{')[0]! : configured.slice(0, cut);
    if (head.length > 0) return head.endsWith('/') ? head : `${head}/`;
  }
  const builtIn = BUILT_IN_PREFIXES[stream.name];
  return builtIn ?? `${stream.name.replace(/^fiat-/, '')}/`;
}

/** Fiat's own delivery streams, whose prefixes are not their names: checkpoints and dead letters. */
const BUILT_IN_PREFIXES: Readonly<Record<string, string>> = {
  [FiatCheckpoint.names.deliveryStream]: FiatCheckpoint.names.prefix,
  [DeadLetter.names.deliveryStream]: DeadLetter.names.prefix,
};

/** Dates become epoch seconds, buffers base64, as AWS JSON 1.1 does. */
function toWire(value: unknown): unknown {
  if (value instanceof Date) return value.getTime() / 1000;
  if (Buffer.isBuffer(value) || value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (Array.isArray(value)) return value.map(toWire);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined).map(([k, v]) => [k, toWire(v)]));
  }
  return value;
}

function fromWire(operation: string, input: any): any {
  if (operation === 'PutRecordBatch' && Array.isArray(input?.Records)) {
    return { ...input, Records: input.Records.map((r: { Data?: unknown }) => ({ Data: typeof r?.Data === 'string' ? Buffer.from(r.Data, 'base64') : r?.Data })) };
  }
  if (operation === 'PutRecord' && typeof input?.Record?.Data === 'string') {
    return { ...input, Record: { Data: Buffer.from(input.Record.Data, 'base64') } };
  }
  return input;
}

function sendJson(res: ServerResponse, status: number, body: unknown, errorType?: string): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/x-amz-json-1.1',
    'content-length': Buffer.byteLength(text),
    'x-amzn-requestid': `fake-${Date.now().toString(36)}`,
    ...(errorType !== undefined ? { 'x-amzn-errortype': errorType } : {}),
  });
  res.end(text);
}

/**
 * Starts an HTTP server that speaks Firehose's JSON 1.1 protocol (`X-Amz-Target:
 * Firehose_20150804.<Operation>`: PutRecord, PutRecordBatch, CreateDeliveryStream,
 * DescribeDeliveryStream, DeleteDeliveryStream, ListDeliveryStreams, UpdateDestination), so the
 * real `FirehoseClient` works against it through `endpoint`. With `lakeDir`, written records are
 * delivered as gzip NDJSON files in the local lake's layout, buffered by size and age like Firehose.
 *
 * @example
 * ```ts
 * const server = await startFakeFirehoseServer({ port: 0, lakeDir: '/tmp/lake', bufferIntervalMs: 100 });
 * const client = new FirehoseClient({ endpoint: server.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
 * // … log through Audit.configure('firehose', { …, client }) …
 * await server.close(); // delivers what is buffered
 * ```
 */
export async function startFakeFirehoseServer(options: FakeFirehoseServerOptions = {}): Promise<FakeFirehoseServer> {
  const buffers = new Map<string, LakeBuffer>();
  const jobs = new Set<Promise<void>>();
  const files: string[] = [];
  const bufferBytes = options.bufferBytes ?? 5 * 1024 * 1024;
  const bufferIntervalMs = options.bufferIntervalMs ?? 60_000;
  const lakeDir = options.lakeDir;
  let deliveryError: unknown;

  function deliver(buffer: LakeBuffer): void {
    buffers.delete(buffer.names.deliveryStream);
    if (lakeDir === undefined) return;
    const job = (async () => {
      const key = lakeObjectKey(buffer.names, buffer.firstArrival);
      await writeLakeFile(lakeDir, key, await gzip(Buffer.concat(buffer.chunks)));
      files.push(key);
    })()
      .catch((error: unknown) => {
        deliveryError = error;
      })
      .finally(() => jobs.delete(job));
    jobs.add(job);
  }

  const fake = createFakeFirehose({
    ...options,
    onWrite(name, data, stream) {
      if (lakeDir === undefined) return;
      let buffer = buffers.get(name);
      if (buffer === undefined) {
        const prefix = prefixOf(stream, options.prefixes);
        buffer = { names: { stream: name, table: name, prefix, deliveryStream: name }, chunks: [], bytes: 0, firstArrival: Date.now() };
        buffers.set(name, buffer);
      }
      buffer.chunks.push(data);
      buffer.bytes += data.length;
      if (buffer.bytes >= bufferBytes) deliver(buffer);
    },
  });

  const timer = setInterval(() => {
    const now = Date.now();
    for (const buffer of [...buffers.values()]) if (now - buffer.firstArrival >= bufferIntervalMs) deliver(buffer);
  }, Math.max(10, Math.min(bufferIntervalMs, 1000)));
  timer.unref();

  const requestErrors = new RequestErrorLog(options.onRequestError);
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;

  /** Serves one request; every way it can fail ends in a recorded error and a 4xx or a closed socket. */
  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (fake.faults.down) {
      req.socket.destroy();
      return;
    }
    const target = String(req.headers['x-amz-target'] ?? '');
    const body = await readRequestBody(req, maxBodyBytes);
    if (req.method !== 'POST' || !target.startsWith(TARGET_PREFIX)) {
      const what = target === '' ? '(no X-Amz-Target header)' : target;
      throw new FakeRequestError('malformed', `unsupported request ${req.method} ${what}`, { awsType: 'UnknownOperationException' });
    }
    if (!isJsonRequest(req)) throw new FakeRequestError('malformed', `unsupported content-type '${String(req.headers['content-type'] ?? '')}'`);
    const operation = target.slice(TARGET_PREFIX.length);
    let input: unknown;
    try {
      input = body === '' ? {} : JSON.parse(body);
    } catch (cause) {
      throw new FakeRequestError('malformed', 'request body is not JSON', { cause });
    }
    try {
      const output = await fake.handle(operation, fromWire(operation, input));
      sendJson(res, 200, toWire(output));
    } catch (error) {
      const e = error as { name?: string; message?: string; $metadata?: { httpStatusCode?: number }; code?: string };
      if (e.name === 'TimeoutError' || e.code === 'ECONNREFUSED') {
        // A lost response or an unreachable endpoint: drop the connection without an answer.
        req.socket.destroy();
        return;
      }
      if (e.$metadata === undefined) {
        sendJson(res, 500, { __type: 'InternalFailure', message: String(e.message) }, 'InternalFailure');
        return;
      }
      sendJson(res, e.$metadata.httpStatusCode ?? 400, { __type: e.name, message: e.message }, e.name);
    }
  }

  const server = createServer((req, res) => {
    req.on('error', () => undefined);
    res.on('error', () => undefined);
    serve(req, res).catch((cause: unknown) =>
      requestErrors.fail(req, res, cause, 'fake Firehose', (error) =>
        sendJson(res, error.kind === 'internal' ? 500 : 400, { __type: error.awsType, message: error.message }, error.awsType),
      ),
    );
  });
  requestErrors.guard(server);
  server.keepAliveTimeout = 1000;

  const listening = await listenLocal(server, options);

  async function flush(): Promise<void> {
    for (const buffer of [...buffers.values()]) deliver(buffer);
    while (jobs.size > 0) await Promise.all([...jobs]);
    if (deliveryError !== undefined) {
      const error = deliveryError;
      deliveryError = undefined;
      throw error;
    }
  }

  return {
    endpoint: listening.endpoint,
    port: listening.port,
    fake,
    faults: fake.faults,
    records: (name) => fake.records(name),
    files,
    requestErrors: requestErrors.errors,
    flush,
    async close() {
      clearInterval(timer);
      await flush();
      await listening.close();
    },
  };
}
