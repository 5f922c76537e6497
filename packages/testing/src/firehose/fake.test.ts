import { CreateDeliveryStreamCommand, PutRecordBatchCommand, PutRecordCommand } from '@aws-sdk/client-firehose';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createFakeFirehose } from './fake.js';

function data(text: string): Uint8Array {
  return Buffer.from(text, 'utf8');
}

async function rejection(promise: Promise<unknown>): Promise<{ name: string; message: string; $metadata?: { httpStatusCode: number } }> {
  try {
    await promise;
  } catch (error) {
    return error as never;
  }
  throw new Error('expected a rejection');
}

describe('createFakeFirehose: the data plane', () => {
  it('accepts SDK command objects, answers with RecordIds and unpacks packed records in order', async () => {
    // Prepare
    const fake = createFakeFirehose();
    // Act
    const out = await fake.send(
      new PutRecordBatchCommand({ DeliveryStreamName: 'fiat-audit', Records: [{ Data: data('{"n":1}\n{"n":2}\n') }, { Data: data('{"n":3}\n') }] }),
    );
    await fake.send(new PutRecordCommand({ DeliveryStreamName: 'fiat-other', Record: { Data: data('{"n":9}\n') } }));
    // Assess
    expect(out.FailedPutCount).toBe(0);
    expect(out.RequestResponses).toHaveLength(2);
    expect(new Set(out.RequestResponses.map((r: { RecordId: string }) => r.RecordId)).size).toBe(2);
    expect(fake.records('fiat-audit')).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
    expect(fake.records()).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }, { n: 9 }]);
    expect(fake.calls.map((c) => c.operation)).toEqual(['PutRecordBatch', 'PutRecord']);
    expect(fake.billedBytes).toBe(3 * 5120);
  });

  it('enforces the limits with the errors AWS gives', async () => {
    // Prepare
    const fake = createFakeFirehose();
    const many = Array.from({ length: 501 }, () => ({ Data: data('x\n') }));
    const big = Buffer.alloc(1_024_001, 'x');
    const fat = Array.from({ length: 5 }, () => ({ Data: Buffer.alloc(1_000_000, 'x') }));
    // Act
    const tooMany = await rejection(fake.send(new PutRecordBatchCommand({ DeliveryStreamName: 's', Records: many })));
    const tooLarge = await rejection(fake.send(new PutRecordBatchCommand({ DeliveryStreamName: 's', Records: [{ Data: big }] })));
    const tooFat = await rejection(fake.send(new PutRecordBatchCommand({ DeliveryStreamName: 's', Records: fat })));
    // Assess
    expect(tooMany.name).toBe('ValidationException');
    expect(tooMany.message).toMatch(/less than or equal to 500/);
    expect(tooLarge.name).toBe('ValidationException');
    expect(tooLarge.message).toMatch(/Member must have length less than or equal to 1024000/);
    expect(tooFat.name).toBe('InvalidArgumentException');
    expect(tooFat.message).toMatch(/exceeds 4 MB/);
    expect(fake.stored).toHaveLength(0);
  });

  it('refuses puts to a missing stream when streams are not auto-created', async () => {
    const fake = createFakeFirehose({ autoCreateStreams: false });
    const error = await rejection(fake.send(new PutRecordBatchCommand({ DeliveryStreamName: 'nope', Records: [{ Data: data('x\n') }] })));
    expect(error.name).toBe('ResourceNotFoundException');
    expect(error.$metadata?.httpStatusCode).toBe(400);
  });
});

describe('createFakeFirehose: fault injection', () => {
  it('throttles the next N calls without writing', async () => {
    const fake = createFakeFirehose({ faults: { throttleNext: 2 } });
    const put = () => fake.send(new PutRecordBatchCommand({ DeliveryStreamName: 's', Records: [{ Data: data('{"a":1}\n') }] }));
    expect((await rejection(put())).name).toBe('ServiceUnavailableException');
    expect((await rejection(put())).name).toBe('ServiceUnavailableException');
    await put();
    expect(fake.records('s')).toHaveLength(1);
    expect(fake.calls.map((c) => c.outcome)).toEqual(['ServiceUnavailableException', 'ServiceUnavailableException', 'ok']);
  });

  it('fails a fraction of the records of each call with ErrorCode, writing the rest', async () => {
    const fake = createFakeFirehose({ faults: { failRecordRate: 0.5, failRecordCode: 'InternalFailure' }, seed: 7 });
    const out = await fake.send(
      new PutRecordBatchCommand({ DeliveryStreamName: 's', Records: Array.from({ length: 100 }, (_, i) => ({ Data: data(`{"i":${i}}\n`) })) }),
    );
    const failed = out.RequestResponses.filter((r: { ErrorCode?: string }) => r.ErrorCode === 'InternalFailure').length;
    expect(out.FailedPutCount).toBe(failed);
    expect(failed).toBeGreaterThan(20);
    expect(failed).toBeLessThan(80);
    expect(fake.records('s')).toHaveLength(100 - failed);
  });

  it('loses the response: the records are written, then the call fails', async () => {
    const fake = createFakeFirehose({ faults: { loseResponseNext: 1 } });
    const error = await rejection(fake.send(new PutRecordBatchCommand({ DeliveryStreamName: 's', Records: [{ Data: data('{"a":1}\n') }] })));
    expect(error.name).toBe('TimeoutError');
    expect(fake.records('s')).toEqual([{ a: 1 }]);
    expect(fake.calls[0]!.outcome).toBe('lost');
  });
});

describe('createFakeFirehose: the control plane', () => {
  it('creates, describes, lists, updates and deletes delivery streams', async () => {
    // Prepare
    const fake = createFakeFirehose();
    const request = {
      DeliveryStreamName: 'fiat-audit',
      DeliveryStreamType: 'DirectPut' as const,
      ExtendedS3DestinationConfiguration: {
        RoleARN: 'arn:aws:iam::123456789012:role/fiat',
        BucketARN: 'arn:aws:s3:::lake',
        Prefix: 'audit/dt=!{timestamp:yyyy-MM-dd}/',
        ErrorOutputPrefix: 'errors/!{firehose:error-output-type}/dt=!{timestamp:yyyy-MM-dd}/',
        BufferingHints: { SizeInMBs: 64, IntervalInSeconds: 60 },
        CompressionFormat: 'GZIP' as const,
      },
    };
    // Act
    await fake.send(new CreateDeliveryStreamCommand(request));
    const duplicate = await rejection(fake.send(new CreateDeliveryStreamCommand(request)));
    const described = await fake.handle('DescribeDeliveryStream', { DeliveryStreamName: 'fiat-audit' });
    const listed = await fake.handle('ListDeliveryStreams', {});
    await fake.handle('UpdateDestination', {
      DeliveryStreamName: 'fiat-audit',
      CurrentDeliveryStreamVersionId: '1',
      DestinationId: described.DeliveryStreamDescription.Destinations[0].DestinationId,
      ExtendedS3DestinationUpdate: { BufferingHints: { SizeInMBs: 128, IntervalInSeconds: 300 } },
    });
    const stale = await rejection(
      fake.handle('UpdateDestination', { DeliveryStreamName: 'fiat-audit', CurrentDeliveryStreamVersionId: '1', DestinationId: 'destinationId-000000000001' }),
    );
    const updated = await fake.handle('DescribeDeliveryStream', { DeliveryStreamName: 'fiat-audit' });
    await fake.handle('DeleteDeliveryStream', { DeliveryStreamName: 'fiat-audit' });
    const missing = await rejection(fake.handle('DescribeDeliveryStream', { DeliveryStreamName: 'fiat-audit' }));
    // Assess
    expect(duplicate.name).toBe('ResourceInUseException');
    const description = described.DeliveryStreamDescription;
    expect(description).toMatchObject({ DeliveryStreamName: 'fiat-audit', DeliveryStreamStatus: 'ACTIVE', VersionId: '1', DeliveryStreamType: 'DirectPut' });
    expect(description.Destinations[0].ExtendedS3DestinationDescription).toMatchObject({
      BucketARN: 'arn:aws:s3:::lake',
      Prefix: 'audit/dt=!{timestamp:yyyy-MM-dd}/',
      CompressionFormat: 'GZIP',
      BufferingHints: { SizeInMBs: 64, IntervalInSeconds: 60 },
    });
    expect(listed).toEqual({ DeliveryStreamNames: ['fiat-audit'], HasMoreDeliveryStreams: false });
    expect(stale.name).toBe('ConcurrentModificationException');
    expect(updated.DeliveryStreamDescription.VersionId).toBe('2');
    expect(updated.DeliveryStreamDescription.Destinations[0].ExtendedS3DestinationDescription.BufferingHints).toEqual({ SizeInMBs: 128, IntervalInSeconds: 300 });
    expect(updated.DeliveryStreamDescription.Destinations[0].ExtendedS3DestinationDescription.CompressionFormat).toBe('GZIP');
    expect(missing.name).toBe('ResourceNotFoundException');
  });
});

describe('createFakeFirehose: the port and latency', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('implements putRecordBatch(input, options), the call the Firehose transport makes', async () => {
    // Prepare
    const fake = createFakeFirehose();
    // Act
    const out = await fake.putRecordBatch({ DeliveryStreamName: 'fiat-audit', Records: [{ Data: data('{"n":1}\n') }] });
    // Assess
    expect(out).toMatchObject({ FailedPutCount: 0, RequestResponses: [{ RecordId: expect.any(String) }] });
    expect(fake.records('fiat-audit')).toEqual([{ n: 1 }]);
  });

  it('answers each call after latencyMs, changeable at run time', async () => {
    // Prepare
    vi.useFakeTimers();
    const fake = createFakeFirehose({ latencyMs: 20 });
    const put = () => fake.putRecordBatch({ DeliveryStreamName: 's', Records: [{ Data: data('{"a":1}\n') }] });
    // Act: the first call waits 20 ms
    const first = put();
    await vi.advanceTimersByTimeAsync(19);
    const before = fake.calls.length;
    await vi.advanceTimersByTimeAsync(1);
    await first;
    // …then latency goes up to 500 ms
    fake.latencyMs = 500;
    const second = put();
    await vi.advanceTimersByTimeAsync(499);
    const midway = fake.calls.length;
    await vi.advanceTimersByTimeAsync(1);
    await second;
    // Assess
    expect(before).toBe(0);
    expect(midway).toBe(1);
    expect(fake.calls).toHaveLength(2);
  });

  it('aborts a call waiting out its latency when the caller aborts', async () => {
    // Prepare
    vi.useFakeTimers();
    const fake = createFakeFirehose({ latencyMs: 1000 });
    const controller = new AbortController();
    // Act
    const call = fake.putRecordBatch({ DeliveryStreamName: 's', Records: [{ Data: data('x\n') }] }, { abortSignal: controller.signal });
    controller.abort();
    // Assess
    await expect(call).rejects.toMatchObject({ name: 'AbortError' });
    expect(fake.stored).toHaveLength(0);
  });
});
