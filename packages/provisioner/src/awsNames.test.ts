import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Audit } from '@fiat/schemas';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkDdlInputs, createTableDdl } from './athena/ddl.js';
import { DEFAULT_PROJECTION_RANGE, projectionRange } from './athena/projectionRange.js';
import { assertBucketName, S3_BUCKET_NAME, S3_LOCATION } from './awsNames.js';
import { loadConfig } from './config.js';
import { createDeliveryStreamRequest } from './firehose/deliveryStream.js';
import { iamDocuments } from './iam.js';

const roleArn = 'arn:aws:iam::123456789012:role/fiat-firehose';
const stream = { names: Audit.names, columns: Audit.columns };

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fiat-names-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('S3 bucket names', () => {
  it.each(['acme-lake', 'a.b.c', '123', 'x'.repeat(63)])('accepts %s', (bucket) => {
    expect(S3_BUCKET_NAME.test(bucket)).toBe(true);
  });

  it.each(['ab', 'x'.repeat(64), 'Acme', 'acme_lake', '-acme', 'acme-', 'acme..lake', "acme'lake", 'acme/lake'])('refuses %s', (bucket) => {
    expect(S3_BUCKET_NAME.test(bucket)).toBe(false);
  });

  it('applies the same rule to the bucket of an s3:// location', () => {
    expect(S3_LOCATION.test('s3://acme-results/fiat/')).toBe(true);
    expect(S3_LOCATION.test('s3://acme..results/fiat/')).toBe(false);
    expect(S3_LOCATION.test('s3://acme-results/fiat')).toBe(false);
  });

  it.each(['acme..lake', 'Acme'])('refuses %s alike in the configuration, the DDL, the delivery stream request and the IAM documents', async (bucket) => {
    // Prepare
    const message = `config key bucket must be an S3 bucket name, got ${JSON.stringify(bucket)}`;
    const refusal = { code: 'CONFIG_INVALID', message };
    // Act
    const fromConfig = loadConfig({ cwd: dir, env: { FIAT_BUCKET: bucket } });
    // Assess
    await expect(fromConfig).rejects.toMatchObject(refusal);
    expect(() => checkDdlInputs(stream, { database: 'fiat', bucket })).toThrow(expect.objectContaining(refusal));
    expect(() => createDeliveryStreamRequest(Audit.names, { bucket, roleArn })).toThrow(expect.objectContaining(refusal));
    expect(() => iamDocuments(Audit.names, { region: 'eu-west-1', bucket, roleArn })).toThrow(expect.objectContaining(refusal));
    expect(() => assertBucketName(bucket)).toThrow(expect.objectContaining(refusal));
  });
});

describe('partition projection range', () => {
  it('defaults to the last five years in the configuration and in the DDL', async () => {
    // Act
    const config = await loadConfig({ cwd: dir, env: {} });
    const ddl = createTableDdl(stream, { database: 'fiat', bucket: 'acme-lake' });
    // Assess
    expect(config.projectionRange).toBe(DEFAULT_PROJECTION_RANGE);
    expect(ddl).toContain(`'projection.dt.range'='NOW-5YEARS,NOW'`);
  });

  it.each(["NOW-5YEARS,NOW') --", 'yesterday,NOW', 'NOW-5YEARS'])('refuses %s alike in the configuration and the DDL', async (range) => {
    // Prepare
    const refusal = { code: 'CONFIG_INVALID', message: expect.stringMatching(/^config key projectionRange must be a projection range 'min,max'/) };
    // Act
    const fromConfig = loadConfig({ cwd: dir, env: { FIAT_PROJECTION_RANGE: range } });
    // Assess
    await expect(fromConfig).rejects.toMatchObject(refusal);
    expect(() => createTableDdl(stream, { database: 'fiat', bucket: 'acme-lake', projectionRange: range })).toThrow(expect.objectContaining(refusal));
    expect(() => projectionRange(range)).toThrow(expect.objectContaining(refusal));
  });
});
