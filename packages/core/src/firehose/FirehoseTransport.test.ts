import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { defineStream } from '../defineStream.js';
import { isFiatError, type FiatError } from '../errors.js';
import { resolveStreamNames } from '../names.js';
import { CORE_SRC, removeBundles, runBundled } from '../test-helpers/childProcess.js';
import { ValidatedLog } from '../ValidatedLog.js';
import { createFirehoseTransport } from './FirehoseTransport.js';
import './index.js'; // registers 'firehose' for ValidatedLog.configure('firehose', …)
import { DEFAULT_PACKED_RECORD_BYTES, type FirehoseBatchClient, type PutRecordBatchInput } from './options.js';
import { replaySpool } from './replaySpool.js';
import { withFlush } from './withFlush.js';

afterAll(removeBundles);

const names = resolveStreamNames('Audit');

interface Call {
  readonly name: string;
  readonly stream: string;
  readonly datas: Buffer[];
}

/** A scripted client: records every call; `answer` decides per call (default: all acknowledged). */
function scriptedClient(answer?: (call: Call, index: number) => unknown | Promise<unknown>) {
  const calls: Call[] = [];
  const client: FirehoseBatchClient = {
    async putRecordBatch(input: PutRecordBatchInput) {
      const call = {
        name: 'PutRecordBatch',
        stream: input.DeliveryStreamName,
        datas: input.Records.map((r) => Buffer.from(r.Data)),
      };
      calls.push(call);
      const custom = answer === undefined ? undefined : await answer(call, calls.length - 1);
      if (custom !== undefined) return custom;
      return { FailedPutCount: 0, RequestResponses: call.datas.map((_, i) => ({ RecordId: `r${calls.length}-${i}` })) };
    },
  };
  const lines = () => calls.flatMap((c) => c.datas.flatMap((d) => d.toString('utf8').split('\n').filter((l) => l !== '')));
  return { client, calls, lines };
}

function line(i: number, pad = 200): string {
  return `${JSON.stringify({ event_id: `id-${i}`, pad: 'x'.repeat(pad) })}\n`;
}

function write(transport: ReturnType<typeof createFirehoseTransport>, i: number, pad?: number): void {
  transport.write({ names, line: line(i, pad), eventId: `id-${i}`, time: Date.now() });
}

function awsError(name: string, status: number): Error {
  return Object.assign(new Error(`${name} (test)`), { name, $metadata: { httpStatusCode: status } });
}

let spoolDir: string;
beforeEach(async () => {
  spoolDir = await mkdtemp(join(tmpdir(), 'fiat-spool-'));
});
afterEach(async () => {
  vi.useRealTimers();
  await rm(spoolDir, { recursive: true, force: true });
});

async function spoolLines(dir: string): Promise<string[]> {
  const out: string[] = [];
  let streams: string[] = [];
  try {
    streams = (await readdir(dir)).filter((d) => d !== '_tmp');
  } catch {
    return out;
  }
  for (const stream of streams) {
    for (const file of await readdir(join(dir, stream))) {
      out.push(...(await readFile(join(dir, stream, file), 'utf8')).split('\n').filter((l) => l !== ''));
    }
  }
  return out;
}

describe('firehose transport: batching and packing', () => {
  it('packs many lines into one Firehose record, each line newline-terminated', async () => {
    // Prepare
    const { client, calls } = scriptedClient();
    const transport = createFirehoseTransport({ client, spoolDir });
    // Act
    for (let i = 0; i < 1000; i++) write(transport, i);
    await transport.flush();
    // Assess
    expect(calls).toHaveLength(1);
    expect(calls[0]!.datas).toHaveLength(1);
    const text = calls[0]!.datas[0]!.toString('utf8');
    expect(text.endsWith('\n')).toBe(true);
    expect(text.split('\n').filter((l) => l !== '')).toHaveLength(1000);
    expect(transport.stats()).toMatchObject({ received: 1000, delivered: 1000, pending: 0, objects: 1, putRecordBatchCalls: 1 });
    await transport.close();
  });

  it('sends one line per Firehose record with packing: false, at most 500 records per call', async () => {
    // Prepare
    const { client, calls } = scriptedClient();
    const transport = createFirehoseTransport({ client, spoolDir, packing: false });
    // Act
    for (let i = 0; i < 1234; i++) write(transport, i);
    await transport.flush();
    // Assess
    expect(calls.map((c) => c.datas.length)).toEqual([500, 500, 234]);
    expect(calls.every((c) => c.name === 'PutRecordBatch' && c.stream === 'fiat-audit')).toBe(true);
    expect(transport.stats().objects).toBe(1234);
    await transport.close();
  });

  it('keeps each packed record within maxRecordBytes and each call within 4 MiB', async () => {
    // Prepare
    const { client, calls } = scriptedClient();
    const transport = createFirehoseTransport({ client, spoolDir });
    // Act: ~20 MB of 10 KB lines
    for (let i = 0; i < 2000; i++) write(transport, i, 10_000);
    await transport.flush();
    // Assess
    for (const call of calls) {
      expect(call.datas.length).toBeLessThanOrEqual(500);
      expect(call.datas.reduce((n, d) => n + d.length, 0)).toBeLessThanOrEqual(4 * 1024 * 1024);
      for (const data of call.datas) expect(data.length).toBeLessThanOrEqual(DEFAULT_PACKED_RECORD_BYTES);
    }
    expect(transport.stats().delivered).toBe(2000);
    await transport.close();
  });

  it('sends a full batch without waiting for flush() or the interval', async () => {
    // Prepare
    const { client, calls } = scriptedClient();
    const transport = createFirehoseTransport({ client, spoolDir, packing: false, flushIntervalMs: 3_600_000 });
    // Act
    for (let i = 0; i < 500; i++) write(transport, i);
    await vi.waitFor(() => expect(calls).toHaveLength(1));
    // Assess
    expect(calls[0]!.datas).toHaveLength(500);
    await transport.close();
  });

  it('sends what is buffered on the interval, with a timer that does not keep the process alive', async () => {
    // Prepare
    vi.useFakeTimers();
    const { client, calls } = scriptedClient();
    const transport = createFirehoseTransport({ client, spoolDir, flushIntervalMs: 1000 });
    write(transport, 1);
    // Act
    await vi.advanceTimersByTimeAsync(1000);
    vi.useRealTimers();
    await vi.waitFor(() => expect(calls).toHaveLength(1));
    // Assess
    expect(transport.stats().delivered).toBe(1);
    await transport.close();
  });

  it('counts raw and billed bytes: each Firehose record rounds up to 5,120 bytes', async () => {
    // Prepare
    const packed = scriptedClient();
    const single = scriptedClient();
    const a = createFirehoseTransport({ client: packed.client, spoolDir });
    const b = createFirehoseTransport({ client: single.client, spoolDir, packing: false });
    // Act
    for (let i = 0; i < 5000; i++) {
      write(a, i, 230);
      write(b, i, 230);
    }
    await Promise.all([a.flush(), b.flush()]);
    // Assess
    const sa = a.stats();
    const sb = b.stats();
    expect(sa.bytes).toBe(sb.bytes);
    expect(sb.billedBytes).toBe(5000 * 5120);
    expect(sa.billedBytes / sa.bytes).toBeLessThan(1.01);
    expect(sb.billedBytes / sb.bytes).toBeGreaterThan(19);
    await Promise.all([a.close(), b.close()]);
  });
});

describe('firehose transport: options', () => {
  it('refuses client and clientConfig together, naming both', () => {
    const { client } = scriptedClient();
    const attempt = () => createFirehoseTransport({ client, clientConfig: { region: 'eu-west-1' } } as never);
    expect(attempt).toThrow(/client and clientConfig/);
  });
});

describe('firehose transport: failures', () => {
  it('resends only the records whose response carries an ErrorCode', async () => {
    // Prepare: the first call fails records 1 and 3
    const { client, calls } = scriptedClient((call, index) =>
      index === 0
        ? {
            FailedPutCount: 2,
            RequestResponses: call.datas.map((_, i) => (i === 1 || i === 3 ? { ErrorCode: 'ServiceUnavailableException', ErrorMessage: 'Slow down.' } : { RecordId: `r${i}` })),
          }
        : undefined,
    );
    const transport = createFirehoseTransport({ client, spoolDir, packing: false, retry: { baseDelayMs: 1 } });
    // Act
    for (let i = 0; i < 5; i++) write(transport, i);
    await transport.flush();
    // Assess
    expect(calls.map((c) => c.datas.map((d) => JSON.parse(d.toString()).event_id))).toEqual([
      ['id-0', 'id-1', 'id-2', 'id-3', 'id-4'],
      ['id-1', 'id-3'],
    ]);
    expect(transport.stats()).toMatchObject({ delivered: 5, retried: 2, spooled: 0, uncertainResends: 0 });
    await transport.close();
  });

  it('retries throttled calls, then spools and reports once the attempt budget is spent', async () => {
    // Prepare
    const errors: FiatError[] = [];
    const { client, calls } = scriptedClient(() => {
      throw awsError('ServiceUnavailableException', 503);
    });
    const transport = createFirehoseTransport({ client, spoolDir, retry: { maxAttempts: 4, baseDelayMs: 1 }, onError: (e) => errors.push(e) });
    // Act
    for (let i = 0; i < 10; i++) write(transport, i);
    await transport.flush();
    // Assess
    expect(calls).toHaveLength(4);
    expect(transport.stats()).toMatchObject({ received: 10, delivered: 0, spooled: 10, pending: 0, retried: 30 });
    expect(errors).toHaveLength(1);
    expect(errors[0]!.code).toBe('DELIVERY_FAILED');
    expect(errors[0]!.message).toMatch(/10 records .*spooled.*retry budget exhausted after 4 attempts/);
    const spooled = await spoolLines(spoolDir);
    expect(spooled.map((l) => JSON.parse(l).event_id)).toEqual(Array.from({ length: 10 }, (_, i) => `id-${i}`));
    await transport.close();
  });

  it('surfaces a non-retryable error at once, with the AWS error as cause, and spools the records', async () => {
    // Prepare
    const errors: FiatError[] = [];
    const cause = awsError('ResourceNotFoundException', 400);
    const { client, calls } = scriptedClient(() => {
      throw cause;
    });
    const transport = createFirehoseTransport({ client, spoolDir, onError: (e) => errors.push(e) });
    // Act
    write(transport, 1);
    await transport.flush();
    // Assess
    expect(calls).toHaveLength(1);
    expect(errors).toHaveLength(1);
    expect(isFiatError(errors[0], 'DELIVERY_FAILED')).toBe(true);
    expect(errors[0]!.cause).toBe(cause);
    expect(transport.stats()).toMatchObject({ spooled: 1, delivered: 0 });
    await transport.close();
  });

  it('stops retrying when the retry time budget would be exceeded', async () => {
    // Prepare
    const { client, calls } = scriptedClient(() => {
      throw awsError('ServiceUnavailableException', 503);
    });
    const transport = createFirehoseTransport({
      client,
      spoolDir,
      retry: { maxAttempts: 1000, maxRetryTimeMs: 50, baseDelayMs: 10, maxDelayMs: 20 },
      random: () => 0.99,
    });
    // Act
    write(transport, 1);
    await transport.flush();
    // Assess
    expect(calls.length).toBeLessThan(1000);
    expect(transport.stats().spooled).toBe(1);
    await transport.close();
  });

  it('treats a timed-out call as unknown outcome and resends it', async () => {
    // Prepare: the first call never answers
    const { client, calls } = scriptedClient((_, index) => (index === 0 ? new Promise(() => undefined) : undefined));
    const transport = createFirehoseTransport({ client, spoolDir, retry: { requestTimeoutMs: 20, baseDelayMs: 1 } });
    // Act
    write(transport, 1);
    await transport.flush();
    // Assess
    expect(calls).toHaveLength(2);
    expect(transport.stats()).toMatchObject({ delivered: 1, uncertainResends: 1 });
    await transport.close();
  });
});

describe('firehose transport: memory bound, flush and close', () => {
  it("throws BUFFER_FULL past maxBufferBytes with onFull: 'throw', and accepts again once acknowledged", async () => {
    // Prepare: calls hang until released
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const { client } = scriptedClient(async () => {
      await gate;
      return undefined;
    });
    const transport = createFirehoseTransport({ client, spoolDir, maxBufferBytes: 10_000, onFull: 'throw' });
    // Act
    let thrown: unknown;
    let accepted = 0;
    try {
      for (let i = 0; i < 1000; i++) {
        write(transport, i);
        accepted += 1;
      }
    } catch (error) {
      thrown = error;
    }
    // Assess
    expect(isFiatError(thrown, 'BUFFER_FULL')).toBe(true);
    expect((thrown as Error).message).toMatch(/maxBufferBytes/);
    expect(transport.stats().bufferedBytes).toBeLessThanOrEqual(10_000);
    expect(transport.stats().received).toBe(accepted);
    release();
    await transport.flush();
    write(transport, 5000);
    await transport.flush();
    expect(transport.stats().delivered).toBe(accepted + 1);
    await transport.close();
  });

  it('spools new records past maxBufferBytes by default, and never holds more in memory', async () => {
    // Prepare
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const errors: FiatError[] = [];
    const { client } = scriptedClient(async () => {
      await gate;
      return undefined;
    });
    const transport = createFirehoseTransport({ client, spoolDir, maxBufferBytes: 10_000, onError: (e) => errors.push(e) });
    // Act
    for (let i = 0; i < 1000; i++) write(transport, i);
    const flushed = transport.flush();
    release();
    await flushed;
    // Assess
    const s = transport.stats();
    expect(s.peakBufferedBytes).toBeLessThanOrEqual(10_000);
    expect(s.delivered + s.spooled).toBe(1000);
    expect(s.spooled).toBeGreaterThan(900);
    expect(errors.some((e) => e.code === 'BUFFER_FULL')).toBe(true);
    expect((await spoolLines(spoolDir)).length).toBe(s.spooled);
    await transport.close();
  });

  it('flush() waits for sends already in flight', async () => {
    // Prepare
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const { client, calls } = scriptedClient(async () => {
      await gate;
      return undefined;
    });
    const transport = createFirehoseTransport({ client, spoolDir, packing: false });
    for (let i = 0; i < 500; i++) write(transport, i); // a full batch goes out at once
    await vi.waitFor(() => expect(calls).toHaveLength(1));
    // Act
    let done = false;
    const flushed = transport.flush().then(() => (done = true));
    await new Promise((r) => setTimeout(r, 20));
    const before = done;
    release();
    await flushed;
    // Assess
    expect(before).toBe(false);
    expect(transport.stats().delivered).toBe(500);
    await transport.close();
  });

  it('flush() waits for what was logged before it, not for what is logged meanwhile', async () => {
    // Prepare: each call waits until the test releases it
    const releases: (() => void)[] = [];
    const { client, calls } = scriptedClient(() => new Promise<undefined>((resolve) => releases.push(() => resolve(undefined))));
    const transport = createFirehoseTransport({ client, spoolDir, packing: false, maxBatchRecords: 1, maxInFlight: 2 });
    write(transport, 1);
    await vi.waitFor(() => expect(calls).toHaveLength(1));
    // Act: a flush, then more logging whose call stays open
    let flushed = false;
    const flushing = transport.flush().then(() => (flushed = true));
    write(transport, 2);
    await vi.waitFor(() => expect(calls).toHaveLength(2));
    releases[0]!();
    await flushing;
    // Assess
    expect(flushed).toBe(true);
    expect(transport.stats()).toMatchObject({ delivered: 1, pending: 1 });
    releases[1]!();
    await transport.close();
    expect(transport.stats()).toMatchObject({ delivered: 2, pending: 0 });
  });

  it('close({ timeoutMs }) stops, spools what is not acknowledged and reports it', async () => {
    // Prepare: Firehose never answers
    const { client } = scriptedClient(() => new Promise(() => undefined));
    const transport = createFirehoseTransport({ client, spoolDir });
    for (let i = 0; i < 20; i++) write(transport, i);
    // Act
    const report = await transport.close({ timeoutMs: 50 });
    // Assess
    expect(report).toMatchObject({ delivered: 0, undelivered: 20, spooled: 20, timedOut: true, spoolDir });
    expect((await spoolLines(spoolDir)).map((l) => JSON.parse(l).event_id)).toHaveLength(20);
    expect(() => write(transport, 21)).toThrow(/closed/);
  });

  it('replaySpool resends spooled records and removes the files once acknowledged', async () => {
    // Prepare: spool 30 records through a failing client
    const failing = scriptedClient(() => {
      throw awsError('ResourceNotFoundException', 400);
    });
    const first = createFirehoseTransport({ client: failing.client, spoolDir });
    for (let i = 0; i < 30; i++) write(first, i);
    await first.close();
    const healthy = scriptedClient();
    // Act
    const report = await replaySpool({ client: healthy.client, spoolDir });
    // Assess
    expect(report).toMatchObject({ files: 1, filesRemoved: 1, records: 30, delivered: 30, failed: 0, remainingFiles: [] });
    expect(healthy.lines().map((l) => JSON.parse(l).event_id)).toEqual(Array.from({ length: 30 }, (_, i) => `id-${i}`));
    expect(await spoolLines(spoolDir)).toEqual([]);
  });

  it('replaySpool keeps a file whose records are not all acknowledged', async () => {
    // Prepare
    const failing = scriptedClient(() => {
      throw awsError('AccessDeniedException', 400);
    });
    const first = createFirehoseTransport({ client: failing.client, spoolDir });
    for (let i = 0; i < 3; i++) write(first, i);
    await first.close();
    // Act
    const report = await replaySpool({ client: failing.client, spoolDir });
    // Assess
    expect(report).toMatchObject({ files: 1, filesRemoved: 0, delivered: 0, failed: 3 });
    expect(report.remainingFiles).toHaveLength(1);
    expect(await spoolLines(spoolDir)).toHaveLength(3);
  });

  it('withFlush ends each invocation with a flush', async () => {
    // Prepare
    const { client, calls } = scriptedClient();
    const transport = createFirehoseTransport({ client, spoolDir, flushIntervalMs: 3_600_000 });
    const handler = withFlush(transport, async (event: { n: number }) => {
      write(transport, event.n);
      return event.n * 2;
    });
    // Act
    const result = await handler({ n: 21 }, {});
    // Assess
    expect(result).toBe(42);
    expect(calls).toHaveLength(1);
    expect(transport.stats().pending).toBe(0);
    await transport.close();
  });
});

describe("ValidatedLog.configure('firehose')", () => {
  it('logs through the firehose transport with envelope, and refuses client with clientConfig', async () => {
    // Prepare
    const Thing = defineStream({ name: 'Thing', schema: z.object({ n: z.int() }) });
    const { client, lines } = scriptedClient();
    const logger = ValidatedLog.configure('firehose', { app: 'demo', email: 'a@b.c', streams: [Thing], client, spoolDir });
    // Act
    const { eventId } = logger.log('Thing', { n: 7 });
    await logger.flush();
    // Assess
    expect(logger.transport.kind).toBe('firehose');
    expect(JSON.parse(lines()[0]!)).toMatchObject({ event_id: eventId, app: 'demo', email: 'a@b.c', n: 7 });
    await logger.close();
    expect(() => ValidatedLog.configure('firehose', { app: 'demo', email: 'a@b.c', client, clientConfig: {} } as never)).toThrow(
      /client and clientConfig/,
    );
  });

  it('loads neither the transport nor the AWS SDK on import of @fiat/core, and never the SDK with an injected client', async () => {
    // Prepare
    vi.resetModules();
    let sdkLoads = 0;
    let transportLoads = 0;
    vi.doMock('@aws-sdk/client-firehose', () => {
      sdkLoads += 1;
      throw new Error('the AWS SDK must not be loaded');
    });
    vi.doMock('./FirehoseTransport.js', async (importOriginal) => {
      transportLoads += 1;
      return importOriginal();
    });
    // Act
    const core = await import('../index.js');
    const afterRootImport = { sdkLoads, transportLoads };
    const subpath = await import('./index.js');
    const { client } = scriptedClient();
    const transport = subpath.createFirehoseTransport({ client, spoolDir });
    transport.write({ names: core.resolveStreamNames('Audit'), line: line(1), eventId: 'id-1', time: Date.now() });
    await transport.flush();
    // Assess
    expect(afterRootImport).toEqual({ sdkLoads: 0, transportLoads: 0 });
    expect(transportLoads).toBe(1);
    expect(sdkLoads).toBe(0);
    expect(transport.stats()).toMatchObject({ delivered: 1, spooled: 0 });
    await transport.close();
    vi.doUnmock('@aws-sdk/client-firehose');
    vi.doUnmock('./FirehoseTransport.js');
  });

  it('loads the AWS SDK once, on the first send, with clientConfig', async () => {
    // Prepare: the SDK module replaced by a stand-in that acknowledges everything
    vi.resetModules();
    let loads = 0;
    const sent: unknown[] = [];
    vi.doMock('@aws-sdk/client-firehose', () => {
      loads += 1;
      class PutRecordBatchCommand {
        constructor(readonly input: PutRecordBatchInput) {}
      }
      class FirehoseClient {
        constructor(readonly config: unknown) {}
        async send(command: PutRecordBatchCommand) {
          sent.push(this.config);
          return { FailedPutCount: 0, RequestResponses: command.input.Records.map((_, i) => ({ RecordId: `r${i}` })) };
        }
      }
      return { FirehoseClient, PutRecordBatchCommand };
    });
    const subpath = await import('./index.js');
    const core = await import('../index.js');
    // Act
    const transport = subpath.createFirehoseTransport({ clientConfig: { region: 'eu-west-1' }, spoolDir });
    const beforeSend = loads;
    for (let i = 0; i < 3; i++) transport.write({ names: core.resolveStreamNames('Audit'), line: line(i), eventId: `id-${i}`, time: Date.now() });
    await transport.flush();
    transport.write({ names: core.resolveStreamNames('Audit'), line: line(9), eventId: 'id-9', time: Date.now() });
    await transport.flush();
    // Assess
    expect(beforeSend).toBe(0);
    expect(loads).toBe(1);
    expect(sent).toEqual([
      { maxAttempts: 1, region: 'eu-west-1' },
      { maxAttempts: 1, region: 'eu-west-1' },
    ]);
    expect(transport.stats()).toMatchObject({ delivered: 4 });
    await transport.close();
    vi.doUnmock('@aws-sdk/client-firehose');
  });
});

describe('the firehose transport during an outage', () => {
  it('spends one retry budget, then spools further batches without sending them until a probe succeeds', async () => {
    // Prepare: every call fails like a refused connection.
    let up = false;
    const { client, calls } = scriptedClient(() => {
      if (!up) throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
      return undefined;
    });
    const transport = createFirehoseTransport({
      client,
      spoolDir,
      packing: false,
      maxBatchRecords: 10,
      maxInFlight: 1,
      retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 2, outageBackoffMs: 60_000 },
    });
    // Act: 20 batches while the endpoint is down
    for (let i = 0; i < 200; i++) write(transport, i, 10);
    await transport.flush();
    // Assess: the first batch used its budget; the others went to the spool unsent (the probe is the first batch)
    expect(calls.length).toBe(3);
    expect(await spoolLines(spoolDir)).toHaveLength(200);
    expect(transport.stats()).toMatchObject({ received: 200, delivered: 0, spooled: 200, pending: 0, bufferedBytes: 0 });
    // A later probe that succeeds closes the breaker.
    up = true;
    await transport.close();
  });

  it('sends again once the outage backoff has passed and a probe succeeds', async () => {
    // Prepare: only Date is faked, so the breaker's clock moves when the test says and never on its own.
    vi.useFakeTimers({ toFake: ['Date'] });
    let up = false;
    const { client, calls } = scriptedClient(() => {
      if (!up) throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
      return undefined;
    });
    const transport = createFirehoseTransport({
      client,
      spoolDir,
      packing: false,
      maxBatchRecords: 5,
      maxInFlight: 1,
      retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 2, outageBackoffMs: 20 },
    });
    for (let i = 0; i < 10; i++) write(transport, i, 10);
    await transport.flush();
    expect(transport.stats().spooled).toBe(10);
    up = true;
    vi.setSystemTime(Date.now() + 30);
    for (let i = 10; i < 30; i++) write(transport, i, 10);
    await transport.flush();
    expect(transport.stats()).toMatchObject({ delivered: 20, spooled: 10, pending: 0 });
    expect(calls.length).toBe(2 + 4);
    await transport.close();
  });

  it('keeps spooling records counted in bufferedBytes until they are on disk', async () => {
    const { client } = scriptedClient(() => {
      throw Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    });
    const peaks: number[] = [];
    const transport = createFirehoseTransport({
      client,
      spoolDir,
      maxBufferBytes: 20_000,
      retry: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1 },
    });
    for (let i = 0; i < 2000; i++) {
      write(transport, i, 100);
      peaks.push(transport.stats().bufferedBytes);
    }
    await transport.flush();
    expect(Math.max(...peaks)).toBeLessThanOrEqual(20_000);
    expect(transport.stats().peakBufferedBytes).toBeLessThanOrEqual(20_000);
    expect(new Set(await spoolLines(spoolDir)).size).toBe(2000);
    await transport.close();
  });
});

describe('buffer recycling', () => {
  it('reuses the buffers of acknowledged records without corrupting what is sent later', async () => {
    // Prepare: small packed records so that thousands of buffers are taken, returned and reused.
    const { client, lines } = scriptedClient();
    const transport = createFirehoseTransport({ client, spoolDir, recycleBuffers: true, maxRecordBytes: 2_000, maxBatchRecords: 3, maxInFlight: 2 });
    // Act
    for (let i = 0; i < 5_000; i++) {
      write(transport, i, i % 50);
      if (i % 500 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    await transport.close();
    // Assess: every line arrives once, intact, in order
    expect(lines()).toEqual(Array.from({ length: 5_000 }, (_, i) => line(i, i % 50).trimEnd()));
    expect(transport.stats()).toMatchObject({ received: 5_000, delivered: 5_000, pending: 0 });
  });

  it('is off by default for an injected client, which may keep what it was sent', async () => {
    const kept: Buffer[] = [];
    const { client } = scriptedClient();
    const keeping: FirehoseBatchClient = {
      putRecordBatch: async (input) => {
        kept.push(...input.Records.map((r) => r.Data as Buffer));
        return client.putRecordBatch(input);
      },
    };
    const transport = createFirehoseTransport({ client: keeping, spoolDir, maxRecordBytes: 2_000, maxBatchRecords: 2 });
    for (let i = 0; i < 300; i++) write(transport, i, 20);
    await transport.close();
    const text = kept.map((b) => b.toString('utf8')).join('');
    expect(text.split('\n').filter((l) => l !== '')).toEqual(Array.from({ length: 300 }, (_, i) => line(i, 20).trimEnd()));
  });
});

describe('the firehose path’s own defects (regressions)', () => {
  it('sends a line larger than maxRecordBytes whole, in a record of its own', async () => {
    // Prepare
    const { client, lines } = scriptedClient();
    const transport = createFirehoseTransport({ client, spoolDir, maxRecordBytes: 2_000 });
    // Act
    write(transport, 1, 10);
    write(transport, 2, 3_000);
    write(transport, 3, 10);
    await transport.close();
    // Assess
    expect(lines()).toEqual([line(1, 10), line(2, 3_000), line(3, 10)].map((l) => l.trimEnd()));
  });

  it('does not count a resend after a refused connection as uncertain', async () => {
    // Prepare: the first call is refused before it reaches Firehose, the second is lost after it did
    let call = 0;
    const { client } = scriptedClient(() => {
      call += 1;
      if (call === 1) throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
      if (call === 2) throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
      return undefined;
    });
    const transport = createFirehoseTransport({ client, spoolDir, retry: { baseDelayMs: 1, maxDelayMs: 1 } });
    // Act
    write(transport, 1);
    await transport.flush();
    // Assess
    expect(transport.stats()).toMatchObject({ delivered: 1, retried: 2, uncertainResends: 1 });
    await transport.close();
  });

  it('keeps off-heap memory within maxBufferBytes plus one open record in a synchronous 1M-record loop with the endpoint down', async () => {
    // Prepare: every call is refused; nothing lets the event loop turn until the loop ends
    const maxBufferBytes = 16 * 1024 * 1024;
    const maxRecordBytes = 1_000_000;
    const client: FirehoseBatchClient = {
      putRecordBatch: async () => {
        throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
      },
    };
    const transport = createFirehoseTransport({ client, spoolDir, maxBufferBytes, maxRecordBytes, recycleBuffers: true, retry: { maxAttempts: 1 } });
    const records = 1_000_000;
    const pad = 'x'.repeat(60);
    const baseline = process.memoryUsage().arrayBuffers;
    let peak = 0;
    // Act
    for (let i = 0; i < records; i++) {
      transport.write({ names, line: `{"event_id":"id-${i}","pad":"${pad}"}\n`, eventId: `id-${i}`, time: 0 });
      if (i % 10_000 === 0) peak = Math.max(peak, process.memoryUsage().arrayBuffers - baseline);
    }
    peak = Math.max(peak, process.memoryUsage().arrayBuffers - baseline);
    const peakBuffered = transport.stats().peakBufferedBytes;
    console.log(`1M-record outage loop: off-heap peak ${(peak / 1024 / 1024).toFixed(1)} MiB over the baseline, peakBufferedBytes ${(peakBuffered / 1024 / 1024).toFixed(1)} MiB`);
    await transport.close();
    // Assess: the bound (with 1 MiB for what else the test process allocates), and every record in the spool
    expect(peakBuffered).toBeLessThanOrEqual(maxBufferBytes);
    expect(peak).toBeLessThanOrEqual(maxBufferBytes + maxRecordBytes + 1024 * 1024);
    expect(transport.stats()).toMatchObject({ received: records, spooled: records, lost: 0, pending: 0 });
    let newlines = 0;
    for (const file of await readdir(join(spoolDir, 'fiat-audit'))) {
      const data = await readFile(join(spoolDir, 'fiat-audit', file));
      for (let at = data.indexOf(10); at !== -1; at = data.indexOf(10, at + 1)) newlines += 1;
    }
    expect(newlines).toBe(records);
  }, 120_000);

  it('counts the records replayed on start in stats() and reports the replay on close', async () => {
    // Prepare: a spool file left by an earlier process, with one truncated line
    await mkdir(join(spoolDir, 'fiat-audit'), { recursive: true });
    await writeFile(join(spoolDir, 'fiat-audit', 'old.ndjson'), `${line(100)}${line(101)}${line(102)}{"event_id":"id-1`);
    const { client, lines } = scriptedClient();
    const transport = createFirehoseTransport({ client, spoolDir, replaySpoolOnStart: true });
    // Act
    write(transport, 1);
    write(transport, 2);
    const report = await transport.close();
    // Assess
    expect(lines().map((l) => JSON.parse(l).event_id).sort()).toEqual(['id-1', 'id-100', 'id-101', 'id-102', 'id-2']);
    expect(transport.stats()).toMatchObject({ received: 2, delivered: 2, pending: 0, replayed: 3, replayRejected: 1 });
    expect(report.replay).toMatchObject({ files: 1, delivered: 3, rejected: 1, remainingFiles: [] });
  });
});

describe('flushSync', () => {
  it('spools every record not yet acknowledged — open, sealed, in flight and overflow — synchronously, once each', async () => {
    // Prepare: Firehose never answers; a full batch is in flight, more is buffered, and the rest overflowed
    const { client } = scriptedClient(() => new Promise(() => undefined));
    const transport = createFirehoseTransport({ client, spoolDir, packing: false, maxBatchRecords: 10, maxInFlight: 1, maxBufferBytes: 20_000 });
    for (let i = 0; i < 200; i++) write(transport, i, 100);
    const before = transport.stats();
    // Act
    transport.flushSync();
    // Assess (before any await: everything is on disk now)
    const ids = (await spoolLines(spoolDir)).map((l) => JSON.parse(l).event_id);
    expect(before.pending).toBe(200);
    expect(ids.sort()).toEqual(Array.from({ length: 200 }, (_, i) => `id-${i}`).sort());
    expect(transport.stats()).toMatchObject({ received: 200, spooled: 200, pending: 0, bufferedBytes: 0 });
    await transport.close({ timeoutMs: 50 });
    expect((await spoolLines(spoolDir)).length).toBe(200);
  });

  it('loses nothing when the process calls process.exit() right after logging', async () => {
    // Prepare: a child logs 5,000 records to a Firehose that never answers, with a small buffer, and exits at once
    const script = `
      const { createFirehoseTransport } = await import(${JSON.stringify(join(CORE_SRC, 'firehose/index.ts'))});
      const transport = createFirehoseTransport({ client: { putRecordBatch: () => new Promise(() => {}) }, spoolDir: 'spool', maxBufferBytes: 256 * 1024, maxRecordBytes: 16 * 1024 });
      process.on('exit', () => transport.flushSync());
      const names = { stream: 'Audit', table: 'audit', prefix: 'audit/', deliveryStream: 'fiat-audit' };
      for (let i = 0; i < 5000; i++) transport.write({ names, line: JSON.stringify({ event_id: 'id-' + i, pad: 'x'.repeat(100) }) + '\\n', eventId: 'id-' + i, time: 0 });
      await new Promise((resolve) => setImmediate(resolve)); // batches go out, overflow files start sealing
      process.exit(0);
    `;
    // Act
    const run = await runBundled(script);
    // Assess
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const ids = (await spoolLines(join(run.dir, 'spool'))).map((l) => JSON.parse(l).event_id);
    expect(ids.length).toBe(5000);
    expect(new Set(ids).size).toBe(5000);
  }, 60_000);
});
