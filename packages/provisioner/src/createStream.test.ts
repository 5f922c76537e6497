import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFakeFirehoseServer, startFakeLogsServer, type FakeFirehoseServer, type FakeLogsServer } from '@fiat/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runFiat, virtualClock, type FiatRun } from './test-helpers.js';

let dir: string;
let firehose: FakeFirehoseServer;
let logs: FakeLogsServer;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fiat-create-stream-'));
  logs = await startFakeLogsServer({ region: 'eu-west-1' });
});
afterEach(async () => {
  await firehose?.close();
  await logs.close();
  await rm(dir, { recursive: true, force: true });
});

function env(extra: Record<string, string> = {}): Record<string, string> {
  return {
    FIAT_REGION: 'eu-west-1',
    FIAT_BUCKET: 'acme-lake',
    FIAT_ROLE_ARN: 'arn:aws:iam::123456789012:role/fiat-firehose',
    FIAT_FIREHOSE_ENDPOINT: firehose.endpoint,
    FIAT_LOGS_ENDPOINT: logs.endpoint,
    AWS_ACCESS_KEY_ID: 'AKIDFAKE',
    AWS_SECRET_ACCESS_KEY: 'fake-secret',
    ...extra,
  };
}

function fiat(argv: string[], options: { env?: Record<string, string>; sleep?: (ms: number) => Promise<void>; now?: () => number } = {}): Promise<FiatRun> {
  return runFiat(argv, { cwd: dir, env: options.env ?? env(), ...(options.sleep ? { sleep: options.sleep } : {}), ...(options.now ? { now: options.now } : {}) });
}

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('fiat create-stream', () => {
  it('waits for ACTIVE no longer than its deadline (10 minutes), never sleeping past it', async () => {
    // Prepare: the stream stays CREATING for an hour of real time
    firehose = await startFakeFirehoseServer({ port: 0, createDelayMs: 3_600_000 });
    const clock = virtualClock();
    const started = clock.now();
    // Act
    const run = await fiat(['create-stream', 'Audit'], { sleep: clock.sleep, now: clock.now });
    // Assess
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('fiat create-stream: delivery stream fiat-audit still CREATING after 600.0 s\n');
    expect(clock.now() - started).toBe(600_000);
    expect(Math.max(...clock.sleeps)).toBe(5000);
  });

  it('creates only the missing log stream when the log group exists', async () => {
    firehose = await startFakeFirehoseServer({ port: 0 });
    logs.fake.handle('CreateLogGroup', { logGroupName: '/aws/kinesisfirehose/fiat-audit' });
    const run = await fiat(['create-stream', 'Audit']);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('found log group /aws/kinesisfirehose/fiat-audit; created log stream S3Delivery\n');
    expect(logs.fake.calls.map((c) => `${c.operation}:${c.outcome}`)).toEqual(['CreateLogGroup:ok', 'CreateLogGroup:ResourceAlreadyExistsException', 'CreateLogStream:ok']);
  });

  it('creates no delivery stream when the log group cannot be made', async () => {
    firehose = await startFakeFirehoseServer({ port: 0 });
    const run = await fiat(['create-stream', 'Audit'], { env: env({ FIAT_LOGS_ENDPOINT: `http://127.0.0.1:${await closedPort()}` }) });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^fiat create-stream: cannot create log group \/aws\/kinesisfirehose\/fiat-audit: .*ECONNREFUSED/);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(firehose.fake.calls.filter((c) => c.operation === 'CreateDeliveryStream')).toEqual([]);
  });
});
