import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { gzip as gzipCallback } from 'node:zlib';
import { lakeObjectKey, writeLakeFile, type StreamNames } from '@fiat/core';
import { createFakeFirehose, type FakeDeliveryStream, type FakeFirehose, type FakeFirehoseOptions } from './fake.js';

const gzip = promisify(gzipCallback);
const TARGET_PREFIX = 'Firehose_20150804.';

/** Options of {@link startFakeFirehoseServer}. */
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
  /** Lake prefix per delivery stream, e.g. `{ 'fiat-audit': 'audit/' }`. Default: from the stream's `Prefix` (before `dt=`), else the name without `fiat-` plus `/`. */
  readonly prefixes?: Readonly<Record<string, string>>;
  /** Milliseconds every call waits before it is answered, as a network round trip would (sets `faults.latencyMs`). Default: 0. */
  readonly latencyMs?: number;
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
  return `${stream.name.replace(/^fiat-/, '')}/`;
}

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

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
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
    ...(options.latencyMs !== undefined ? { faults: { ...options.faults, latencyMs: options.latencyMs } } : {}),
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

  const server = createServer((req, res) => {
    void (async () => {
      if (fake.faults.down) {
        req.socket.destroy();
        return;
      }
      const target = String(req.headers['x-amz-target'] ?? '');
      const body = await readBody(req);
      if (req.method !== 'POST' || !target.startsWith(TARGET_PREFIX)) {
        sendJson(res, 400, { __type: 'UnknownOperationException', message: `unsupported request ${req.method} ${target}` }, 'UnknownOperationException');
        return;
      }
      const operation = target.slice(TARGET_PREFIX.length);
      let input: unknown;
      try {
        input = body === '' ? {} : JSON.parse(body);
      } catch {
        sendJson(res, 400, { __type: 'SerializationException', message: 'request body is not JSON' }, 'SerializationException');
        return;
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
    })();
  });
  server.keepAliveTimeout = 1000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  const endpoint = `http://${address.address}:${address.port}`;

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
    endpoint,
    port: address.port,
    fake,
    faults: fake.faults,
    records: (name) => fake.records(name),
    files,
    flush,
    async close() {
      clearInterval(timer);
      await flush();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
