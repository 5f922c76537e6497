import { defineStream, FiatCheckpoint } from '@fiat/core';
import { Audit } from '@fiat/schemas';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createDatabaseDdl, createTableDdl } from './athena/ddl.js';
import { createDeliveryStreamRequest } from './firehose/deliveryStream.js';
import { iamDocuments } from './iam.js';
import { sampleRecord } from './sample.js';

/** A stream that uses every type Fiat stores. */
const EveryType = defineStream({
  name: 'EveryType',
  description: 'Every column type Fiat writes.',
  schema: z.object({
    text: z.string().min(3).max(40),
    kind: z.enum(['alpha', 'beta']),
    count: z.int().min(10),
    ratio: z.number().positive().max(2),
    flag: z.boolean(),
    at: z.iso.datetime(),
    when: z.date(),
    day: z.iso.date(),
    contact: z.email(),
    id: z.uuid(),
    labels: z.array(z.string()).min(2),
    scores: z.array(z.number()),
    nested: z.object({ name: z.string(), end: z.iso.datetime(), inner: z.object({ depth: z.int(), tags: z.array(z.string()) }) }),
    items: z.array(z.object({ sku: z.string(), qty: z.int().positive() })),
    attrs: z.record(z.string(), z.string()),
    counters: z.record(z.string(), z.int()),
    payload: z.unknown(),
    maybe: z.string().optional(),
    nullable_count: z.int().nullable(),
    optional_times: z.array(z.iso.datetime()).optional(),
  }),
});

const config = {
  database: 'fiat',
  bucket: 'acme-lake',
  roleArn: 'arn:aws:iam::123456789012:role/fiat-firehose',
  kmsKeyArn: 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab',
  region: 'eu-west-1',
};

describe.each([
  ['audit', Audit],
  ['every-type', EveryType],
])('golden files for %s', (slug, stream) => {
  it('pins the Athena DDL (Hive SerDe by default)', async () => {
    const ddl = createTableDdl({ names: stream.names, columns: stream.columns }, config);
    await expect(`${createDatabaseDdl(config.database)};\n\n${ddl};\n`).toMatchFileSnapshot(`./__golden__/${slug}.ddl.sql`);
  });

  it('pins the Athena DDL with the OpenX SerDe and a custom projection range', async () => {
    const ddl = createTableDdl({ names: stream.names, columns: stream.columns }, { ...config, serde: 'openx', projectionRange: '2024-01-01,NOW' });
    await expect(`${ddl};\n`).toMatchFileSnapshot(`./__golden__/${slug}.openx.ddl.sql`);
  });

  it('pins the CreateDeliveryStream request (customer key, AWS-owned key by default, no encryption)', async () => {
    const withKms = createDeliveryStreamRequest(stream.names, config);
    const { kmsKeyArn: _kms, ...plain } = config;
    const withoutKms = createDeliveryStreamRequest(stream.names, { ...plain, bufferSizeMB: 5, bufferIntervalSeconds: 300 });
    const withoutEncryption = createDeliveryStreamRequest(stream.names, { ...plain, encryption: false });
    await expect(`${JSON.stringify({ withKms, withoutKms, withoutEncryption }, null, 2)}\n`).toMatchFileSnapshot(`./__golden__/${slug}.create-delivery-stream.json`);
  });

  it('pins the IAM documents (with a customer key)', async () => {
    // As fiat iam makes them: a chained stream's producer also writes its checkpoints.
    const docs = iamDocuments(stream.names, { ...config, ...(stream.integrity === 'chain' ? { producerAlso: [FiatCheckpoint.names] } : {}) });
    await expect(`${JSON.stringify(docs, null, 2)}\n`).toMatchFileSnapshot(`./__golden__/${slug}.iam.json`);
  });

  it('builds a valid sample record that fills every field', () => {
    const sample = sampleRecord(stream, { now: new Date(Date.UTC(2026, 10, 26, 9, 5, 7, 42)) });
    expect(stream.validate(sample)).toEqual([]);
    expect(Object.keys(sample).sort()).toEqual(stream.fields.map((f) => f.name).sort());
  });
});

describe('the every-type stream', () => {
  it('covers every Athena type Fiat writes', () => {
    const types = new Set(EveryType.columns.map((c) => c.type.replace(/<.*/, '')));
    expect([...types].sort()).toEqual(['array', 'bigint', 'boolean', 'date', 'double', 'map', 'string', 'struct', 'timestamp']);
  });

  it('puts struct field names (even reserved words like end) in backticks', () => {
    const ddl = createTableDdl({ names: EveryType.names, columns: EveryType.columns }, config);
    expect(ddl).toContain('struct<`name`:string,`end`:timestamp,`inner`:struct<`depth`:bigint,`tags`:array<string>>>');
  });

  it('samples respect the constraints (enum, min, max, format, minItems)', () => {
    const sample = sampleRecord(EveryType);
    expect(sample.kind).toBe('alpha');
    expect(sample.count).toBeGreaterThanOrEqual(10);
    expect(sample.ratio).toBeLessThanOrEqual(2);
    expect((sample.labels as string[]).length).toBeGreaterThanOrEqual(1);
    expect(String(sample.contact)).toMatch(/@/);
  });
});
