import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Audit } from '@fiat/schemas';
import { readLakeRecords, startFakeAthenaServer, startFakeFirehoseServer } from '@fiat/testing';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { captureContext, runFiat, virtualClock, type FiatRun } from './test-helpers.js';

let dir: string;

function fiat(argv: string[]): Promise<FiatRun> {
  return runFiat(argv, {
    cwd: dir,
    env: { FIAT_LAKE_DIR: join(dir, 'lake'), FIAT_REGION: 'eu-west-1', FIAT_BUCKET: 'acme-lake', FIAT_ROLE_ARN: 'arn:aws:iam::123456789012:role/fiat' },
  });
}

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fiat-smoke-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('fiat smoke --target local', () => {
  it('sends a valid Audit record and waits until its event_id is queryable', async () => {
    const run = await fiat(['smoke', 'Audit', '--target', 'local', '--wait']);
    expect(run.stderr).toMatch(/^sent Audit record [0-9a-f-]{36} via local; waiting/);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^sent Audit record ([0-9a-f-]{36}) via local in \d+\.\d s; queryable in audit after \d+\.\d s; the secret planted in task_args.password was not read back\n$/);
    const eventId = /record ([0-9a-f-]{36})/.exec(run.stdout)?.[1];
    const records = await readLakeRecords(join(dir, 'lake'), Audit.names);
    expect(records.map((r) => r.record.event_id)).toEqual([eventId]);
    expect(records[0]?.record).toMatchObject({ app: 'fiat-smoke', phase: 'start', task_args: '{"password":"[redacted]"}' });
  });

  it('prints JSON with --json, saying where it planted a secret and that it was checked', async () => {
    const run = await fiat(['smoke', 'Audit', '--wait', '--json']);
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report).toMatchObject({ stream: 'Audit', target: 'local', fields: { phase: 'start' }, redaction: { place: 'task_args.password', checked: true } });
    expect(report.queryableMs).toBeGreaterThanOrEqual(0);
    const records = await readLakeRecords(join(dir, 'lake'), Audit.names);
    expect(JSON.stringify(records)).not.toContain(report.fields.task_args.password);
  });
});

describe('fiat smoke --target firehose: the transport', () => {
  it('passes the Firehose transport itself: the smoke command works alone, in a fresh module graph', async () => {
    // Prepare: a fresh module graph holding the smoke command alone (not the CLI, whose spool command imports the transport)
    vi.resetModules();
    const { smokeCommand } = await import('./commands/smoke.js');
    const { loadConfig } = await import('./config.js');
    const server = await startFakeFirehoseServer({ port: 0 });
    const env = { FIAT_REGION: 'eu-west-1', FIAT_FIREHOSE_ENDPOINT: server.endpoint, FIAT_SPOOL_DIR: join(dir, 'spool'), AWS_ACCESS_KEY_ID: 'AKIDFAKE', AWS_SECRET_ACCESS_KEY: 'fake' };
    const context = captureContext(dir, env);
    try {
      // Act
      const code = await smokeCommand.run(['Audit'], { target: 'firehose' }, context, () => loadConfig({ cwd: dir, env }));
      // Assess
      expect([code, context.err]).toEqual([0, '']);
      expect(server.records('fiat-audit')).toEqual([expect.objectContaining({ app: 'fiat-smoke', phase: 'start' })]);
    } finally {
      await server.close();
    }
  });
});

describe('fiat iam and create-stream --dry-run', () => {
  it('prints the IAM documents as JSON; a chained stream\'s producer may also write its checkpoints', async () => {
    const run = await fiat(['iam', 'Audit', '--json']);
    expect(run.code).toBe(0);
    const docs = JSON.parse(run.stdout);
    expect(docs.producerPolicy.Statement[0]).toEqual({
      Sid: 'FiatProduce',
      Effect: 'Allow',
      Action: ['firehose:PutRecord', 'firehose:PutRecordBatch'],
      Resource: ['arn:aws:firehose:eu-west-1:123456789012:deliverystream/fiat-audit', 'arn:aws:firehose:eu-west-1:123456789012:deliverystream/fiat-checkpoint'],
    });
    const text = await fiat(['iam', 'Audit']);
    expect(text.stdout).toContain("# Producer policy: write to fiat-audit and its checkpoints' delivery stream fiat-checkpoint only");
    const unchained = JSON.parse((await fiat(['iam', 'FiatCheckpoint', '--json'])).stdout);
    expect(unchained.producerPolicy.Statement[0].Resource).toBe('arn:aws:firehose:eu-west-1:123456789012:deliverystream/fiat-checkpoint');
  });

  it('prints a read-only verify policy: list and read the stream prefix and the checkpoints, nothing else', async () => {
    // Act
    const text = await fiat(['iam', 'Audit']);
    const json = await fiat(['iam', 'Audit', '--json']);
    // Assess
    expect(text.stdout).toContain('# Verify policy (read only): what fiat verify --target s3 reads for Audit (s3://acme-lake/audit/ and the checkpoints)');
    const { verifyPolicy } = JSON.parse(json.stdout);
    expect(verifyPolicy.Statement).toEqual([
      { Sid: 'FiatVerifyList', Effect: 'Allow', Action: 's3:ListBucket', Resource: 'arn:aws:s3:::acme-lake', Condition: { StringLike: { 's3:prefix': ['audit/*', '_fiat_checkpoint/*'] } } },
      { Sid: 'FiatVerifyRead', Effect: 'Allow', Action: 's3:GetObject', Resource: ['arn:aws:s3:::acme-lake/audit/*', 'arn:aws:s3:::acme-lake/_fiat_checkpoint/*'] },
    ]);
  });

  it('names the checkpoint prefix the configuration gives', async () => {
    await writeFile(join(dir, 'fiat.config.json'), JSON.stringify({ streams: { FiatCheckpoint: { prefix: 'checkpoints/' } } }));
    const json = await fiat(['iam', 'Audit', '--json']);
    expect(JSON.parse(json.stdout).verifyPolicy.Statement[1].Resource).toEqual(['arn:aws:s3:::acme-lake/audit/*', 'arn:aws:s3:::acme-lake/checkpoints/*']);
  });

  it('create-stream --dry-run prints the calls it would make (log group, log stream, the encrypted stream) and sends nothing', async () => {
    const run = await fiat(['create-stream', 'Audit', '--dry-run']);
    const json = await fiat(['create-stream', 'Audit', '--dry-run', '--json']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^# 1\. logs CreateLogGroup \(skipped when it exists\)\n\{\n {2}"logGroupName": "\/aws\/kinesisfirehose\/fiat-audit"\n\}\n/);
    expect(run.stdout).toContain('# 2. logs CreateLogStream (skipped when it exists)');
    expect(run.stdout).toContain('# 3. firehose CreateDeliveryStream (when it does not exist;');
    const plan = JSON.parse(json.stdout);
    expect(plan).toMatchObject({ action: 'create', applied: false, request: { DeliveryStreamName: 'fiat-audit', DeliveryStreamType: 'DirectPut' } });
    expect(plan.calls.map((c: { service: string; operation: string }) => `${c.service}:${c.operation}`)).toEqual(['logs:CreateLogGroup', 'logs:CreateLogStream', 'firehose:CreateDeliveryStream']);
    expect(plan.calls[1].input).toEqual({ logGroupName: '/aws/kinesisfirehose/fiat-audit', logStreamName: 'S3Delivery' });
    expect(plan.request.DeliveryStreamEncryptionConfigurationInput).toEqual({ KeyType: 'AWS_OWNED_CMK' });
    expect((await fiat(['create-stream', 'Audit', '--dry-run', '--no-encryption', '--json'])).stdout).not.toContain('DeliveryStreamEncryptionConfigurationInput');
  });

  it('every command has --help with examples and exit codes', async () => {
    for (const command of ['create-table', 'create-stream', 'iam', 'smoke', 'query', 'schemas']) {
      const run = await fiat([command, '--help']);
      expect(run.code).toBe(0);
      expect(run.stdout).toContain('Examples:');
      expect(run.stdout).toContain('Exit codes:');
    }
  });

  it('refuses a bad --target with exit code 2', async () => {
    const run = await fiat(['smoke', 'Audit', '--target', 'kinesis']);
    expect(run.stderr).toContain("--target must be local or firehose, got 'kinesis'");
    expect(run.code).toBe(2);
  });
});

describe('fiat smoke --wait deadline', () => {
  async function smokeThatNeverArrives(stderrIsTTY: boolean): Promise<{ run: FiatRun; elapsed: number; sleeps: number[] }> {
    // Prepare: the fake Firehose buffers for an hour, so the record never reaches the lake Athena reads
    const lakeDir = join(dir, 'lake');
    const firehose = await startFakeFirehoseServer({ port: 0, lakeDir, bufferIntervalMs: 3_600_000 });
    const athena = await startFakeAthenaServer({ port: 0, lakeDir });
    const clock = virtualClock();
    try {
      const env = { FIAT_REGION: 'eu-west-1', FIAT_LAKE_DIR: lakeDir, FIAT_FIREHOSE_ENDPOINT: firehose.endpoint, FIAT_ATHENA_ENDPOINT: athena.url, AWS_ACCESS_KEY_ID: 'AKIDFAKE', AWS_SECRET_ACCESS_KEY: 'fake' };
      const ddl = await runFiat(['create-table', 'Audit'], { cwd: dir, env: { ...env, FIAT_BUCKET: 'acme-lake' } });
      expect(ddl.code).toBe(0);
      const started = clock.now();
      // Act
      const run = await runFiat(['smoke', 'Audit', '--target', 'firehose', '--wait', '--timeout', '20'], { cwd: dir, env, sleep: clock.sleep, now: clock.now, stderrIsTTY });
      return { run, elapsed: clock.now() - started, sleeps: clock.sleeps };
    } finally {
      await firehose.close();
      await athena.close();
    }
  }

  it('gives up at --timeout, never sleeping past it (polls take no time here, so the end is the deadline itself)', async () => {
    const { run, elapsed, sleeps } = await smokeThatNeverArrives(false);
    // Assess
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/fiat smoke: record [0-9a-f-]{36} was not queryable in audit within --timeout 20 s\n/);
    expect(elapsed).toBe(20_000);
    expect(sleeps.reduce((a, b) => a + b, 0)).toBe(20_000);
    expect(run.stderr).not.toContain('\r');
  });

  it('shows the elapsed time on a terminal', async () => {
    const { run } = await smokeThatNeverArrives(true);
    expect(run.code).toBe(1);
    const shown = [...run.stderr.matchAll(/\r\x1b\[2Kwaiting for [0-9a-f-]{36} in audit: (\d+\.\d) s/g)].map((m) => Number(m[1]));
    expect(shown.length).toBeGreaterThan(3);
    expect(shown).toEqual([...shown].sort((a, b) => a - b));
    expect(shown.at(-1)).toBeLessThanOrEqual(20);
  });
});
