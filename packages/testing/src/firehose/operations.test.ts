import { DeleteDeliveryStreamCommand, DescribeDeliveryStreamCommand, PutRecordBatchCommand } from '@aws-sdk/client-firehose';
import { describe, expect, it } from 'vitest';
import { operationOf } from './operations.js';

describe('operationOf: which operation a command names, never by class name', () => {
  it('takes an explicit operation first', () => {
    expect(operationOf({ operation: 'DeleteDeliveryStream', input: { DeliveryStreamName: 's' } })).toBe('DeleteDeliveryStream');
  });

  it("reads an SDK command's operation from its schema, also when a minifier renamed the class", () => {
    // Prepare: the same command objects under a renamed class, as a minified bundle would have them
    const renamed = (command: object) => Object.setPrototypeOf({ ...command }, class a {}.prototype) as object;
    const describeCommand = new DescribeDeliveryStreamCommand({ DeliveryStreamName: 's' });
    const deleteCommand = new DeleteDeliveryStreamCommand({ DeliveryStreamName: 's' });
    // Act + Assess
    expect(operationOf(renamed(describeCommand))).toBe('DescribeDeliveryStream');
    expect(operationOf(renamed(deleteCommand))).toBe('DeleteDeliveryStream');
    expect(operationOf(new PutRecordBatchCommand({ DeliveryStreamName: 's', Records: [] }))).toBe('PutRecordBatch');
  });

  it("falls back on the input's shape", () => {
    expect(operationOf({ input: { DeliveryStreamName: 's', Records: [] } })).toBe('PutRecordBatch');
    expect(operationOf({ input: { DeliveryStreamName: 's', Record: { Data: 'x' } } })).toBe('PutRecord');
    expect(operationOf({ input: { DeliveryStreamName: 's', ExtendedS3DestinationConfiguration: {} } })).toBe('CreateDeliveryStream');
    expect(operationOf({ input: { DeliveryStreamName: 's', CurrentDeliveryStreamVersionId: '1' } })).toBe('UpdateDestination');
    expect(operationOf({ input: {} })).toBe('ListDeliveryStreams');
    expect(operationOf({ input: { DeliveryStreamName: 's', AllowForceDelete: true } })).toBe('DeleteDeliveryStream');
  });

  it('refuses an input two operations share, saying how to name the operation', () => {
    expect(() => operationOf({ input: { DeliveryStreamName: 's' } })).toThrow(/send \{ operation, input \}/);
  });
});
