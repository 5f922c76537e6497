import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Audit } from '@fiat/schemas';
import { readLakeRecords } from '@fiat/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runFiat, type FiatRun } from './test-helpers.js';

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
    expect(run.stdout).toMatch(/^sent Audit record ([0-9a-f-]{36}) via local in \d+\.\d s; queryable in audit after \d+\.\d s\n$/);
    const eventId = /record ([0-9a-f-]{36})/.exec(run.stdout)?.[1];
    const records = await readLakeRecords(join(dir, 'lake'), Audit.names);
    expect(records.map((r) => r.record.event_id)).toEqual([eventId]);
    expect(records[0]?.record).toMatchObject({ app: 'fiat-smoke', phase: 'start' });
  });

  it('prints JSON with --json', async () => {
    const run = await fiat(['smoke', 'Audit', '--wait', '--json']);
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report).toMatchObject({ stream: 'Audit', target: 'local', fields: { phase: 'start' } });
    expect(report.queryableMs).toBeGreaterThanOrEqual(0);
  });
});

describe('fiat iam and create-stream --dry-run', () => {
  it('prints the IAM documents as JSON', async () => {
    const run = await fiat(['iam', 'Audit', '--json']);
    expect(run.code).toBe(0);
    const docs = JSON.parse(run.stdout);
    expect(docs.producerPolicy.Statement[0]).toEqual({
      Sid: 'FiatProduce',
      Effect: 'Allow',
      Action: ['firehose:PutRecord', 'firehose:PutRecordBatch'],
      Resource: 'arn:aws:firehose:eu-west-1:123456789012:deliverystream/fiat-audit',
    });
  });

  it('prints the CreateDeliveryStream request and sends nothing', async () => {
    const run = await fiat(['create-stream', 'Audit', '--dry-run']);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ DeliveryStreamName: 'fiat-audit', DeliveryStreamType: 'DirectPut' });
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
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("--target must be local or firehose, got 'kinesis'");
  });
});
