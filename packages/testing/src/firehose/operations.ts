// Owns telling which Firehose operation a command names — an explicit `operation`, the operation
// name in an AWS SDK command's schema, or the shape of its input — never a class name, which a
// minifier renames.
import { FakeFirehoseError } from './errors.js';

/** A command the fake's `send` accepts: an AWS SDK command, or `{ operation?, input }`. */
export interface FakeCommand {
  readonly input?: unknown;
  /** The operation, e.g. `'PutRecordBatch'`; else taken from an SDK command's schema or the input's shape. */
  readonly operation?: string;
}

/** The operation name an AWS SDK v3 command carries in its operation schema (`[9, namespace, name, …]`). */
function sdkOperation(command: object): string | undefined {
  const schema = (command as { schema?: unknown }).schema;
  if (Array.isArray(schema) && schema[0] === 9 && typeof schema[2] === 'string') return schema[2];
  const named = (schema as { name?: unknown } | undefined)?.name;
  return typeof named === 'string' ? named : undefined;
}

/** The operation an input's fields imply; undefined when two operations take the same fields. */
function operationByShape(input: Record<string, unknown>): string | undefined {
  if (Array.isArray(input.Records)) return 'PutRecordBatch';
  if (typeof input.Record === 'object' && input.Record !== null) return 'PutRecord';
  if (input.ExtendedS3DestinationConfiguration !== undefined || input.S3DestinationConfiguration !== undefined) return 'CreateDeliveryStream';
  if (input.CurrentDeliveryStreamVersionId !== undefined) return 'UpdateDestination';
  if (input.DeliveryStreamName === undefined) return 'ListDeliveryStreams';
  if (input.AllowForceDelete !== undefined) return 'DeleteDeliveryStream';
  if (input.ExclusiveStartDestinationId !== undefined || input.Limit !== undefined) return 'DescribeDeliveryStream';
  return undefined;
}

/**
 * The operation a command names.
 *
 * @example
 * ```ts
 * operationOf({ operation: 'DescribeDeliveryStream', input: { DeliveryStreamName: 's' } }); // 'DescribeDeliveryStream'
 * operationOf(new PutRecordBatchCommand({ DeliveryStreamName: 's', Records: [] }));          // 'PutRecordBatch'
 * operationOf({ input: { DeliveryStreamName: 's', Records: [] } });                          // 'PutRecordBatch'
 * ```
 */
export function operationOf(command: FakeCommand): string {
  if (typeof command.operation === 'string') return command.operation;
  const named = sdkOperation(command);
  if (named !== undefined) return named;
  const input = (typeof command.input === 'object' && command.input !== null ? command.input : {}) as Record<string, unknown>;
  const byShape = operationByShape(input);
  if (byShape !== undefined) return byShape;
  throw new FakeFirehoseError(
    'UnknownOperationException',
    'the fake Firehose cannot tell the operation from this input (DescribeDeliveryStream and DeleteDeliveryStream take the same fields): send { operation, input }',
  );
}
