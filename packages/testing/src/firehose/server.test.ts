import {
  CreateDeliveryStreamCommand,
  DeleteDeliveryStreamCommand,
  DescribeDeliveryStreamCommand,
  FirehoseClient,
  ListDeliveryStreamsCommand,
  PutRecordBatchCommand,
  UpdateDestinationCommand,
} from '@aws-sdk/client-firehose';
import { Audit } from '@fiat/audit';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readLakeRecords } from '../lake.js';
import { startFakeFirehoseServer, type FakeFirehoseServer } from './server.js';

let dir: string;
let server: FakeFirehoseServer | undefined;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fiat-server-'));
});
afterEach(async () => {
  await server?.close();
  server = undefined;
  await rm(dir, { recursive: true, force: true });
});

function clientFor(endpoint: string): FirehoseClient {
  return new FirehoseClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
}

async function rejection(promise: Promise<unknown>): Promise<{ name: string; $metadata?: { httpStatusCode?: number } }> {
  try {
    await promise;
  } catch (error) {
    return error as never;
  }
  throw new Error('expected a rejection');
}

describe('startFakeFirehoseServer with the real FirehoseClient', () => {
  it('speaks the control plane: create, describe (ACTIVE), duplicate, list, update, delete, not found', async () => {
    // Prepare
    server = await startFakeFirehoseServer({ port: 0 });
    const client = clientFor(server.endpoint);
    const input = {
      DeliveryStreamName: 'fiat-audit',
      DeliveryStreamType: 'DirectPut' as const,
      ExtendedS3DestinationConfiguration: {
        RoleARN: 'arn:aws:iam::123456789012:role/fiat-delivery',
        BucketARN: 'arn:aws:s3:::my-lake',
        Prefix: 'audit/dt=!{timestamp:yyyy-MM-dd}/',
        ErrorOutputPrefix: 'errors/audit/!{firehose:error-output-type}/dt=!{timestamp:yyyy-MM-dd}/',
        CompressionFormat: 'GZIP' as const,
        BufferingHints: { SizeInMBs: 64, IntervalInSeconds: 60 },
      },
    };
    // Act
    const created = await client.send(new CreateDeliveryStreamCommand(input));
    const duplicate = await rejection(client.send(new CreateDeliveryStreamCommand(input)));
    const described = await client.send(new DescribeDeliveryStreamCommand({ DeliveryStreamName: 'fiat-audit' }));
    const listed = await client.send(new ListDeliveryStreamsCommand({}));
    const d = described.DeliveryStreamDescription!;
    await client.send(
      new UpdateDestinationCommand({
        DeliveryStreamName: 'fiat-audit',
        CurrentDeliveryStreamVersionId: d.VersionId!,
        DestinationId: d.Destinations![0]!.DestinationId!,
        ExtendedS3DestinationUpdate: { BufferingHints: { SizeInMBs: 128, IntervalInSeconds: 120 } },
      }),
    );
    const updated = await client.send(new DescribeDeliveryStreamCommand({ DeliveryStreamName: 'fiat-audit' }));
    await client.send(new DeleteDeliveryStreamCommand({ DeliveryStreamName: 'fiat-audit' }));
    const missing = await rejection(client.send(new DescribeDeliveryStreamCommand({ DeliveryStreamName: 'fiat-audit' })));
    // Assess
    expect(created.DeliveryStreamARN).toBe('arn:aws:firehose:us-east-1:123456789012:deliverystream/fiat-audit');
    expect(duplicate.name).toBe('ResourceInUseException');
    expect(d.DeliveryStreamStatus).toBe('ACTIVE');
    expect(d.CreateTimestamp).toBeInstanceOf(Date);
    expect(d.Destinations![0]!.ExtendedS3DestinationDescription).toMatchObject({ BucketARN: 'arn:aws:s3:::my-lake', CompressionFormat: 'GZIP' });
    expect(listed.DeliveryStreamNames).toEqual(['fiat-audit']);
    expect(updated.DeliveryStreamDescription!.VersionId).toBe('2');
    expect(updated.DeliveryStreamDescription!.Destinations![0]!.ExtendedS3DestinationDescription!.BufferingHints).toEqual({ SizeInMBs: 128, IntervalInSeconds: 120 });
    expect(missing.name).toBe('ResourceNotFoundException');
    expect(missing.$metadata?.httpStatusCode).toBe(400);
  });

  it('answers partial failures and limit errors like Firehose', async () => {
    // Prepare
    server = await startFakeFirehoseServer({ port: 0, faults: { failRecordRate: 1 } });
    const client = clientFor(server.endpoint);
    // Act
    const partial = await client.send(new PutRecordBatchCommand({ DeliveryStreamName: 's', Records: [{ Data: Buffer.from('{"a":1}\n') }] }));
    server.faults.failRecordRate = 0;
    const tooMany = await rejection(
      client.send(new PutRecordBatchCommand({ DeliveryStreamName: 's', Records: Array.from({ length: 501 }, () => ({ Data: Buffer.from('x\n') })) })),
    );
    server.faults.throttleNext = 1;
    const throttled = await rejection(client.send(new PutRecordBatchCommand({ DeliveryStreamName: 's', Records: [{ Data: Buffer.from('{"a":1}\n') }] })));
    // Assess
    expect(partial.FailedPutCount).toBe(1);
    expect(partial.RequestResponses![0]!.ErrorCode).toBe('ServiceUnavailableException');
    expect(tooMany.name).toBe('ValidationException');
    expect(throttled.name).toBe('ServiceUnavailableException');
    expect(throttled.$metadata?.httpStatusCode).toBe(503);
  });

  it('answers after the latency given as latencyMs, which can change at run time', async () => {
    // Prepare
    server = await startFakeFirehoseServer({ port: 0, latencyMs: 5 });
    const client = clientFor(server.endpoint);
    // Act
    const first = await client.send(new PutRecordBatchCommand({ DeliveryStreamName: 's', Records: [{ Data: Buffer.from('{"a":1}\n') }] }));
    server.fake.latencyMs = 10;
    const second = await client.send(new PutRecordBatchCommand({ DeliveryStreamName: 's', Records: [{ Data: Buffer.from('{"a":2}\n') }] }));
    // Assess: the server's fake waits latencyMs in every call (timed by fake timers in fake.test.ts)
    expect([first.FailedPutCount, second.FailedPutCount]).toEqual([0, 0]);
    expect(server.fake.latencyMs).toBe(10);
    expect(server.records('s')).toEqual([{ a: 1 }, { a: 2 }]);
  });

  it('delivers records logged through the real SDK client to lakeDir in the local lake layout', async () => {
    // Prepare
    server = await startFakeFirehoseServer({ port: 0, lakeDir: dir, bufferBytes: 64 * 1024, bufferIntervalMs: 100 });
    const logger = Audit.configure('firehose', {
      app: 'e2e',
      email: 'qa@example.com',
      client: clientFor(server.endpoint),
      spoolDir: join(dir, 'spool'),
      maxRecordBytes: 16 * 1024,
    });
    // Act
    for (let i = 0; i < 2000; i++) logger.run('_add', { x: i, y: 1 }, () => i + 1);
    await logger.close();
    await server.flush();
    // Assess
    const records = await readLakeRecords(dir, Audit.stream.names);
    expect(records).toHaveLength(4000);
    expect(records.filter((r) => r.record.phase === 'output')).toHaveLength(2000);
    expect(server.files.length).toBeGreaterThan(1);
    const [audit, checkpoints] = [server.files.filter((key) => key.startsWith('audit/')), server.files.filter((key) => !key.startsWith('audit/'))];
    expect(audit.every((key) => /^audit\/dt=\d{4}-\d{2}-\d{2}\/fiat-audit-1-\d{4}-\d{2}-\d{2}-\d{2}-\d{2}-\d{2}-[0-9a-f-]{36}\.gz$/.test(key))).toBe(true);
    // Audit is chained: its checkpoints land under Fiat's own prefix for them.
    expect(checkpoints.length).toBeGreaterThan(0);
    expect(checkpoints.every((key) => /^_fiat_checkpoint\/dt=\d{4}-\d{2}-\d{2}\/fiat-checkpoint-1-/.test(key))).toBe(true);
  });
});
