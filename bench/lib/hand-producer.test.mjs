import { startFakeFirehoseServer } from '@fiat/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { createHandProducer } from './hand-producer.mjs';
import { auditFields, LOGGER_OPTIONS } from './records.mjs';
import { DUMMY_CREDENTIALS } from './server.mjs';
import { checkLine } from './verify.mjs';

let server;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('the hand-written producer (the Firehose peer)', () => {
  it('batches within the limit, resends the records Firehose failed, and delivers each record once', async () => {
    // Prepare: the server fails 30% of each call's records.
    server = await startFakeFirehoseServer({ port: 0, faults: { failRecordRate: 0.3 } });
    const producer = createHandProducer({
      clientConfig: { endpoint: server.endpoint, region: 'us-east-1', credentials: DUMMY_CREDENTIALS },
      deliveryStreamName: 'fiat-audit',
      envelope: LOGGER_OPTIONS,
      maxRecords: 100,
    });
    // Act
    for (let i = 0; i < 1000; i++) producer.log(auditFields(i));
    const counts = await producer.close();
    // Assess
    const records = server.records('fiat-audit');
    expect(counts).toMatchObject({ delivered: 1000, failed: 0 });
    expect(counts.resent).toBeGreaterThan(0);
    expect(new Set(records.map((r) => r.audit_id)).size).toBe(1000);
    expect(records).toHaveLength(1000);
    for (const record of records) checkLine('stored', 'audit', record);
    const puts = server.fake.calls.filter((c) => c.operation === 'PutRecordBatch');
    expect(Math.max(...puts.map((c) => c.records))).toBeLessThanOrEqual(100);
  });

  it('validates against the published JSON Schema', async () => {
    server = await startFakeFirehoseServer({ port: 0 });
    const producer = createHandProducer({
      clientConfig: { endpoint: server.endpoint, region: 'us-east-1', credentials: DUMMY_CREDENTIALS },
      deliveryStreamName: 'fiat-audit',
      envelope: LOGGER_OPTIONS,
    });
    expect(() => producer.log({ ...auditFields(0), phase: 'finished' })).toThrow(/invalid audit record.*phase/);
    expect(() => producer.log({ ...auditFields(0), extra: 1 })).toThrow(/additional properties/);
    await producer.close();
  });
});
