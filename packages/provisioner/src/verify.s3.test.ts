import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { FirehoseClient, PutRecordBatchCommand } from '@aws-sdk/client-firehose';
import { afterEach, describe, expect, it } from 'vitest';
import { ChainWriter, createChainSigner, FiatCheckpoint, uuidv7, formatTimestamp, type VerifyReport } from '@fiat/core';
import { startFakeFirehoseServer, startFakeS3Server, type FakeFirehoseServer, type FakeS3Server } from '@fiat/testing';
import { runFiat } from './test-helpers.js';

const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
let firehose: FakeFirehoseServer | undefined;
let s3: FakeS3Server | undefined;
afterEach(async () => {
  await firehose?.close();
  await s3?.close();
  firehose = s3 = undefined;
});

/** Seals `count` records in batches of `batch` and sends them, each batch followed by its checkpoint, through Firehose. */
async function deliverChain(client: FirehoseClient, chain: ChainWriter, count: number, batch: number): Promise<void> {
  for (let first = 1; first <= count; first += batch) {
    const lines: string[] = [];
    for (let n = first; n < Math.min(first + batch, count + 1); n++) {
      const time = Date.now();
      lines.push(chain.seal(`{"event_id":"${uuidv7(time)}","event_time":"${formatTimestamp(time)}","app":"s3","email":"t@example.com","tags":{},"n":${n}}`));
    }
    await client.send(new PutRecordBatchCommand({ DeliveryStreamName: 'fiat-audit', Records: lines.map((l) => ({ Data: Buffer.from(l) })) }));
    const time = Date.now();
    const checkpoint = FiatCheckpoint.encode(chain.checkpoint(time)!, { eventId: uuidv7(time), eventTime: time, app: 's3', email: 't@example.com', tags: {} });
    await client.send(new PutRecordBatchCommand({ DeliveryStreamName: 'fiat-checkpoint', Records: [{ Data: Buffer.from(checkpoint) }] }));
  }
}

describe('fiat verify --target s3', () => {
  it('verifies what the fake Firehose delivered, duplicates from lost responses included, through the real S3 client', async () => {
    // Prepare: a chain signed with Ed25519, sent through the fake Firehose; two responses are lost, so the SDK resends.
    const dir = await mkdtemp(join(tmpdir(), 'fiat-verify-s3-'));
    const lakeDir = join(dir, 'delivered');
    firehose = await startFakeFirehoseServer({ lakeDir, bufferBytes: 2048, prefixes: { 'fiat-checkpoint': '_fiat_checkpoint/' } });
    const client = new FirehoseClient({ endpoint: firehose.endpoint, region: 'us-east-1', credentials, maxAttempts: 3 });
    const pair = generateKeyPairSync('ed25519');
    await writeFile(join(dir, 'checkpoint.pub.pem'), pair.publicKey.export({ type: 'spki', format: 'pem' }));
    const chain = new ChainWriter({ stream: 'Audit', table: 'audit', signer: createChainSigner({ signingKey: pair.privateKey }) });
    firehose.faults.loseResponseNext = 1;
    await deliverChain(client, chain, 30, 10);
    firehose.faults.loseResponseNext = 1;
    await deliverChain(client, chain, 20, 10);
    await firehose.flush();
    client.destroy();
    s3 = await startFakeS3Server({ dir: lakeDir, bucket: 'audit-lake' });
    const env = { FIAT_REGION: 'us-east-1', FIAT_BUCKET: 'audit-lake', FIAT_S3_ENDPOINT: s3.endpoint, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test' };
    // Act
    const run = await runFiat(['verify', 'Audit', '--target', 's3', '--public-key', 'checkpoint.pub.pem', '--json'], { cwd: dir, env });
    // Assess
    const report = JSON.parse(run.stdout) as VerifyReport;
    expect(run.code).toBe(0);
    expect(report.chains).toHaveLength(1);
    expect(report.chains[0]).toMatchObject({ chainId: chain.chainId, records: 50, verified: 50, checkpoints: { valid: 5, lastSeq: 50 }, ok: true });
    expect(report.chains[0]!.duplicates).toBe(20); // two batches of 10 written, their responses lost, resent by the SDK
    expect(s3.requests.filter((r) => r.operation === 'ListObjectsV2').length).toBeGreaterThanOrEqual(2);
    expect(s3.requests.every((r) => r.status === 200)).toBe(true);

    // Act again: every object holding record 25 (and so its duplicates) removed from the bucket.
    const holding: string[] = [];
    for (const key of firehose.files.filter((f) => f.startsWith('audit/'))) {
      if (gunzipSync(await readFile(join(lakeDir, key))).toString().includes('"chain_seq":25,')) holding.push(key);
    }
    for (const key of holding) await rm(join(lakeDir, key));
    const after = await runFiat(['verify', 'Audit', '--target', 's3', '--public-key', 'checkpoint.pub.pem', '--json'], { cwd: dir, env });
    // Assess
    expect(after.code).toBe(1);
    const findings = (JSON.parse(after.stdout) as VerifyReport).chains[0]!.findings;
    expect(findings.length).toBeGreaterThan(0);
    expect(findings.every((f) => f.kind === 'missing')).toBe(true);
    expect(findings.some((f) => f.kind === 'missing' && f.from <= 25 && 25 <= f.to)).toBe(true);
  });

  it('needs the bucket', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'fiat-verify-s3-'));
    const run = await runFiat(['verify', '--target', 's3'], { cwd: dir, env: { FIAT_REGION: 'us-east-1' } });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/config key bucket is required for verify --target s3/);
  });
});
