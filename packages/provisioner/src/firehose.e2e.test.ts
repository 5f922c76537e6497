import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FirehoseClient } from '@aws-sdk/client-firehose';
import { Audit } from '@fiat/audit';
import { DEFAULT_CHECKPOINT_EVERY, type FiatError, type FirehoseTransportStats, type VerifyReport } from '@fiat/core';
import { startFakeFirehoseServer, startFakeS3Server, type FakeFirehoseServer, type FakeS3Server } from '@fiat/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runFiat, type FiatRun } from './test-helpers.js';

// The Firehose path end to end, offline: the real SDK client → the fake Firehose HTTP server →
// gzip NDJSON files in the lake → `fiat query` (DuckDB); and an outage → spool → `fiat spool replay`.

let dir: string;
let lakeDir: string;
let spoolDir: string;
let server: FakeFirehoseServer | undefined;
let s3: FakeS3Server | undefined;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fiat-firehose-e2e-'));
  lakeDir = join(dir, 'lake');
  spoolDir = join(dir, 'spool');
});
afterEach(async () => {
  await server?.close();
  await s3?.close();
  server = undefined;
  s3 = undefined;
  await rm(dir, { recursive: true, force: true });
});

function fiat(argv: string[]): Promise<FiatRun> {
  return runFiat(argv, { cwd: dir, env: { FIAT_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'AKIDFAKE', AWS_SECRET_ACCESS_KEY: 'fake-secret' } });
}

async function query<T>(sql: string): Promise<T[]> {
  const result = await fiat(['query', sql, '--json', '--lake-dir', lakeDir]);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout) as T[];
}

function sdkClient(endpoint: string): FirehoseClient {
  return new FirehoseClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'AKIDFAKE', secretAccessKey: 'fake-secret' } });
}

/** `fiat verify --target s3` over what the fake Firehose delivered, read back through the fake S3 and the real S3 client. */
async function verifyDelivered(): Promise<{ code: number; report: VerifyReport }> {
  s3 = await startFakeS3Server({ dir: lakeDir, bucket: 'audit-lake' });
  const env = { FIAT_REGION: 'us-east-1', FIAT_BUCKET: 'audit-lake', FIAT_S3_ENDPOINT: s3.endpoint, AWS_ACCESS_KEY_ID: 'AKIDFAKE', AWS_SECRET_ACCESS_KEY: 'fake-secret' };
  const run = await runFiat(['verify', 'Audit', '--target', 's3', '--json'], { cwd: dir, env });
  return { code: run.code, report: JSON.parse(run.stdout) as VerifyReport };
}

async function spoolFiles(): Promise<string[]> {
  try {
    return await readdir(join(spoolDir, 'fiat-audit'));
  } catch {
    return [];
  }
}

describe('Firehose end to end with the real SDK client', () => {
  it('delivers the Audit walkthrough to lake files that fiat query counts', async () => {
    // Prepare
    server = await startFakeFirehoseServer({ port: 0, lakeDir, bufferBytes: 256 * 1024, bufferIntervalMs: 200 });
    const logger = Audit.configure('firehose', {
      app: 'audit',
      email: 'rich@example.com',
      tags: { environment: 'non-prod', team: 'NTA' },
      client: sdkClient(server.endpoint),
      spoolDir,
    });
    const _add = (x: number, y: number) => x + y;
    const _divide = (x: number, y: number) => {
      if (y === 0) throw new RangeError('division by zero');
      return x / y;
    };
    // Act
    const audit = logger.log({ task: '_add', task_args: { x: 1, y: 2 }, ticket_id: 'nta-1000' });
    audit.logOutput({ output: _add(1, 2) });
    for (let i = 1; i < 3000; i++) {
      try {
        if (i % 2 === 0) logger.run('_add', { x: i, y: 1 }, () => _add(i, 1), { ticket_id: `nta-${1000 + (i % 10)}` });
        else logger.run('_divide', { x: i, y: i % 5 }, () => _divide(i, i % 5));
      } catch {
        // _divide by zero: logged as an error record
      }
    }
    const report = await logger.close();
    await server.flush();
    // Assess
    expect(report).toMatchObject({ delivered: 6001, undelivered: 0 }); // 6,000 records and the chain's checkpoint at close()
    const rows = await query<{ phase: string; n: number }>('SELECT phase, count(*) AS n FROM audit GROUP BY phase ORDER BY phase');
    const errors = Array.from({ length: 2999 }, (_, k) => k + 1).filter((i) => i % 2 === 1 && i % 5 === 0).length;
    expect(rows.map((r) => [r.phase, Number(r.n)])).toEqual([
      ['error', errors],
      ['output', 3000 - errors],
      ['start', 3000],
    ]);
    const [first] = await query<{ task: string; x: string; output: string; app: string }>(
      "SELECT task, json_extract_scalar(task_args, '$.x') AS x, output, app FROM audit WHERE ticket_id = 'nta-1000' AND phase = 'output' AND task_args = '{\"x\":1,\"y\":2}'",
    );
    expect(first).toMatchObject({ task: '_add', x: '1', output: '3', app: 'audit' });
    const stats = logger.stats().transport as FirehoseTransportStats;
    expect(stats.billedBytes / stats.bytes).toBeLessThan(1.05);
  });

  it('survives an outage past the retry budget: spool, bounded memory, then fiat spool replay delivers every record', async () => {
    // Prepare: the endpoint drops every connection
    server = await startFakeFirehoseServer({ port: 0, lakeDir, bufferBytes: 1024 * 1024, bufferIntervalMs: 200 });
    server.faults.down = true;
    const maxBufferBytes = 256 * 1024;
    const errors: FiatError[] = [];
    const logger = Audit.configure('firehose', {
      app: 'audit',
      email: 'rich@example.com',
      clientConfig: { endpoint: server.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'AKIDFAKE', secretAccessKey: 'fake-secret' } },
      spoolDir,
      maxBufferBytes,
      maxRecordBytes: 64 * 1024,
      retry: { maxAttempts: 4, maxRetryTimeMs: 500, baseDelayMs: 10, maxDelayMs: 50 },
      onError: (error) => errors.push(error),
    });
    const RECORDS = 20_000;
    const CHECKPOINTS = RECORDS / DEFAULT_CHECKPOINT_EVERY; // Audit is chained: spooled and replayed like any record
    const ids = new Set<string>();
    // Act: log while Firehose is down, in slices so sends and spooling interleave
    for (let i = 0; i < RECORDS; i++) {
      ids.add(logger.validatedLog.log(Audit.stream, { audit_id: `a${i}`, phase: 'start', task: 'charge', task_args: { i } }).eventId);
      if (i % 1000 === 999) await new Promise((resolve) => setImmediate(resolve));
    }
    await logger.flush();
    const outage = logger.stats().transport as FirehoseTransportStats;
    await logger.close();
    const filesDuringOutage = await spoolFiles();
    server.faults.down = false;
    const replay = await fiat(['spool', 'replay', '--spool-dir', spoolDir, '--endpoint', server.endpoint, '--json']);
    await server.flush();
    // Assess: everything was spooled, memory stayed bounded, nothing was delivered during the outage
    expect(outage).toMatchObject({ received: RECORDS + CHECKPOINTS, delivered: 0, spooled: RECORDS + CHECKPOINTS, lost: 0, pending: 0 });
    expect(outage.peakBufferedBytes).toBeLessThanOrEqual(maxBufferBytes);
    expect(filesDuringOutage.length).toBeGreaterThan(0);
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.every((e) => e.code === 'DELIVERY_FAILED' || e.code === 'BUFFER_FULL')).toBe(true);
    // …and the replay delivered every record: zero loss, spool emptied
    expect(replay.stderr).toBe('');
    expect(replay.code).toBe(0);
    expect(JSON.parse(replay.stdout)).toMatchObject({ records: RECORDS + CHECKPOINTS, delivered: RECORDS + CHECKPOINTS, failed: 0, remainingFiles: [] });
    expect(await spoolFiles()).toEqual([]);
    const [counts] = await query<{ n: number; ids: number }>('SELECT count(*) AS n, count(DISTINCT event_id) AS ids FROM audit');
    expect(Number(counts!.ids)).toBe(RECORDS);
    const arrived = new Set(server.records('fiat-audit').map((r) => r.event_id as string));
    expect([...ids].filter((id) => !arrived.has(id))).toEqual([]);
    // The chain survived the spool and the replay: every record and checkpoint verifies from S3.
    const verified = await verifyDelivered();
    expect(verified.code).toBe(0);
    expect(verified.report.chains).toMatchObject([{ records: RECORDS, verified: RECORDS, checkpoints: { valid: CHECKPOINTS, lastSeq: RECORDS }, ok: true }]);
  });
});
