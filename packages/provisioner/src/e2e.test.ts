import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FirehoseClient } from '@aws-sdk/client-firehose';
import { Audit } from '@fiat/audit';
import {
  startFakeAthenaServer,
  startFakeFirehoseServer,
  startFakeIamServer,
  startFakeLogsServer,
  type FakeAthenaServer,
  type FakeFirehoseServer,
  type FakeIamServer,
  type FakeLogsServer,
} from '@fiat/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runFiat, type FiatRun } from './test-helpers.js';

// The whole AWS path offline, real SDK clients only:
// fiat iam --apply → fake IAM, fiat create-stream → fake CloudWatch Logs + fake Firehose, fiat create-table → fake Athena, the Audit walkthrough through the
// firehose transport → lake files, fiat query --target athena → rows.

let dir: string;
let lakeDir: string;
let firehose: FakeFirehoseServer;
let athena: FakeAthenaServer;
let logs: FakeLogsServer;
let iam: FakeIamServer;
const credentials = { accessKeyId: 'AKIDFAKEFAKEFAKE', secretAccessKey: 'fake-secret' };

function env(): Record<string, string> {
  return {
    FIAT_REGION: 'eu-west-1',
    FIAT_BUCKET: 'acme-lake',
    FIAT_DATABASE: 'fiat',
    FIAT_ROLE_ARN: 'arn:aws:iam::123456789012:role/fiat-firehose',
    FIAT_OUTPUT_LOCATION: 's3://acme-results/athena/',
    FIAT_LAKE_DIR: lakeDir,
    FIAT_SCHEMAS_DIR: join(dir, 'schemas'),
    FIAT_FIREHOSE_ENDPOINT: firehose.endpoint,
    FIAT_ATHENA_ENDPOINT: athena.url,
    FIAT_LOGS_ENDPOINT: logs.endpoint,
    FIAT_IAM_ENDPOINT: iam.endpoint,
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
  };
}

function fiat(argv: string[], extraEnv: Record<string, string> = {}): Promise<FiatRun> {
  return runFiat(argv, { cwd: dir, env: { ...env(), ...extraEnv } });
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fiat-e2e-'));
  lakeDir = join(dir, '.fiat', 'lake');
  firehose = await startFakeFirehoseServer({ port: 0, lakeDir, bufferIntervalMs: 200 });
  athena = await startFakeAthenaServer({ port: 0, lakeDir });
  logs = await startFakeLogsServer({ region: 'eu-west-1' });
  iam = await startFakeIamServer();
});

afterAll(async () => {
  await firehose?.close();
  await athena?.close();
  await logs?.close();
  await iam?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('end to end: fake IAM, CloudWatch Logs, Firehose and Athena through the real SDK clients', () => {
  it('sets up the delivery role with fiat iam --apply', async () => {
    const run = await fiat(['iam', 'Audit', '--apply']);
    expect(run.stdout).toBe('created role fiat-firehose; wrote inline policy fiat-audit-delivery\n');
    expect(run.code).toBe(0);
    expect(iam.fake.roles.get('fiat-firehose')?.arn).toBe(env().FIAT_ROLE_ARN);
  });

  it('creates the error log group, the delivery stream (encrypted at rest) and the table', async () => {
    const stream = await fiat(['create-stream', 'Audit']);
    expect(stream.stdout).toContain('created delivery stream fiat-audit (ACTIVE)');
    expect(stream.stderr).toContain('created log group /aws/kinesisfirehose/fiat-audit; created log stream S3Delivery');
    expect(stream.code).toBe(0);
    const created = firehose.fake.calls.filter((c) => c.operation === 'CreateDeliveryStream');
    expect(created).toHaveLength(1);
    expect([...(logs.fake.groups.get('/aws/kinesisfirehose/fiat-audit')?.streams.keys() ?? [])]).toEqual(['S3Delivery']);
    expect(firehose.fake.streams.get('fiat-audit')?.request.DeliveryStreamEncryptionConfigurationInput).toEqual({ KeyType: 'AWS_OWNED_CMK' });

    const table = await fiat(['create-table', 'Audit']);
    expect(table.stdout).toContain('created table fiat.audit');
    expect(table.code).toBe(0);
  });

  it('runs the Audit walkthrough through the firehose transport and queries it through Athena', async () => {
    const client = new FirehoseClient({ region: 'eu-west-1', endpoint: firehose.endpoint, credentials });
    const logger = Audit.configure('firehose', {
      app: 'audit',
      email: 'rich@example.com',
      tags: { environment: 'non-prod', team: 'NTA' },
      client,
      spoolDir: join(dir, 'spool'),
    });
    const _add = (x: number, y: number): number => x + y;
    const audit = logger.log({ task: '_add', task_args: { x: 1, y: 2 }, ticket_id: 'nta-1000' });
    audit.logOutput({ output: _add(1, 2) });
    const report = await logger.close();
    expect(report.undelivered).toBe(0);
    await firehose.flush();
    client.destroy();

    const run = await fiat([
      'query',
      `SELECT phase, task, json_extract_scalar(task_args, '$.x') AS x, output, ticket_id, app, tags['team'] AS team, audit_id FROM audit ORDER BY event_time, phase DESC`,
      '--target',
      'athena',
      '--json',
    ]);
    expect(run.stderr).toMatch(/^Data scanned: [1-9]\d* bytes/);
    expect(run.code).toBe(0);
    const rows = JSON.parse(run.stdout) as Record<string, unknown>[];
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({ phase: 'start', task: '_add', x: '1', output: null, ticket_id: 'nta-1000', app: 'audit', team: 'NTA' });
    expect(rows[1]).toMatchObject({ phase: 'output', task: '_add', output: '3', ticket_id: 'nta-1000' });
    expect(rows[1]?.audit_id).toBe(rows[0]?.audit_id);
  });

  it('fiat query --describe audit --target athena prints each column with its redaction (the DDL comment)', async () => {
    const run = await fiat(['query', '--describe', 'audit', '--target', 'athena', '--json']);
    expect(run.code).toBe(0);
    const rows = JSON.parse(run.stdout) as { column: string; type: string; redaction: string }[];
    expect(rows.find((r) => r.column === 'task_args')?.redaction).toMatch(/^redacted: mask \(\[redacted\]\) at secret keys/);
    expect(rows.find((r) => r.column === 'task')).toEqual({ column: 'task', type: 'string', redaction: '-' });
  });

  it('running both create commands a second time changes nothing', async () => {
    const ddlBefore = athena.executions.filter((e) => e.statementType === 'DDL').length;
    const firehoseBefore = firehose.fake.calls.filter((c) => ['UpdateDestination', 'DeleteDeliveryStream'].includes(c.operation) || (c.operation === 'CreateDeliveryStream' && c.outcome === 'ok')).length;

    const stream = await fiat(['create-stream', 'Audit']);
    expect(stream.code).toBe(0);
    expect(stream.stdout).toContain('delivery stream fiat-audit exists and matches the definition');
    expect(stream.stderr).toContain('found log group /aws/kinesisfirehose/fiat-audit; found log stream S3Delivery');
    expect(logs.fake.groups.size).toBe(1);
    const table = await fiat(['create-table', 'Audit']);
    expect(table.code).toBe(0);
    expect(table.stdout).toContain('table fiat.audit is up to date');

    expect(athena.executions.filter((e) => e.statementType === 'DDL').length).toBe(ddlBefore);
    expect(
      firehose.fake.calls.filter((c) => ['UpdateDestination', 'DeleteDeliveryStream'].includes(c.operation) || (c.operation === 'CreateDeliveryStream' && c.outcome === 'ok')).length,
    ).toBe(firehoseBefore);
  });

  it('create-stream shows drift and applies it only with --update', async () => {
    const drift = await fiat(['create-stream', 'Audit'], { FIAT_BUFFER_INTERVAL_SECONDS: '120' });
    expect(drift.code).toBe(1);
    expect(firehose.fake.calls.filter((c) => c.operation === 'UpdateDestination')).toHaveLength(0);
    const update = await fiat(['create-stream', 'Audit', '--update'], { FIAT_BUFFER_INTERVAL_SECONDS: '120' });
    const out = update.stdout;
    expect(update.code).toBe(0);
    expect(out).toContain('BufferingHints.IntervalInSeconds: 60 → 120');
    expect(firehose.fake.calls.filter((c) => c.operation === 'UpdateDestination')).toHaveLength(1);
    // Back to the definition's 60 s, so the rest of the suite sees the default again.
    expect((await fiat(['create-stream', 'Audit', '--update'])).code).toBe(0);
  });

  it('create-stream drift covers encryption at rest: applied with Stop/StartDeliveryStreamEncryption', async () => {
    const calls = (operation: string): number => firehose.fake.calls.filter((c) => c.operation === operation).length;
    const encryption = (): unknown => firehose.fake.streams.get('fiat-audit')?.request.DeliveryStreamEncryptionConfigurationInput;
    // --no-encryption against the encrypted stream: drift, nothing changed without --update
    const off = await fiat(['create-stream', 'Audit', '--no-encryption']);
    expect(off.code).toBe(1);
    expect(off.stdout).toContain('DeliveryStreamEncryption: "AWS_OWNED_CMK" → "DISABLED"');
    expect(calls('StopDeliveryStreamEncryption')).toBe(0);
    expect((await fiat(['create-stream', 'Audit', '--no-encryption', '--update'])).code).toBe(0);
    expect(calls('StopDeliveryStreamEncryption')).toBe(1);
    expect(encryption()).toBeUndefined();
    // A customer key: the stream key and the objects' SSE-KMS both drift; --update applies both
    const key = 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    const customer = await fiat(['create-stream', 'Audit', '--update'], { FIAT_KMS_KEY_ARN: key });
    expect(customer.stdout).toContain(`DeliveryStreamEncryption: "DISABLED" → "CUSTOMER_MANAGED_CMK ${key}"`);
    expect(customer.stdout).toContain(`EncryptionConfiguration.KMSEncryptionConfig.AWSKMSKeyARN: null → "${key}"`);
    expect(customer.code).toBe(0);
    expect(encryption()).toEqual({ KeyType: 'CUSTOMER_MANAGED_CMK', KeyARN: key });
    // Back to the default (AWS-owned key), so the rest of the suite sees it again
    const back = await fiat(['create-stream', 'Audit', '--update']);
    expect(back.stdout).toContain(`DeliveryStreamEncryption: "CUSTOMER_MANAGED_CMK ${key}" → "AWS_OWNED_CMK"`);
    expect(back.code).toBe(0);
    expect(encryption()).toEqual({ KeyType: 'AWS_OWNED_CMK' });
    expect((await fiat(['create-stream', 'Audit'])).code).toBe(0);
  });

  it('refuses --no-encryption with a customer key configured (exit 2)', async () => {
    const run = await fiat(['create-stream', 'Audit', '--no-encryption'], { FIAT_KMS_KEY_ARN: 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab' });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^fiat create-stream: config key kmsKeyArn asks for encryption with a customer key, which --no-encryption turns off/);
  });

  it('fiat smoke Audit --target firehose --wait passes', async () => {
    const run = await fiat(['smoke', 'Audit', '--target', 'firehose', '--wait', '--timeout', '20']);
    expect(run.stderr).toMatch(/^sent Audit record [0-9a-f-]{36} via firehose; waiting until it is queryable/);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^sent Audit record [0-9a-f-]{36} via firehose in \d+\.\d s; queryable in audit after \d+\.\d s; the secret planted in task_args.password was not read back\n$/);
  });
});
