// Owns the fake Firehose's control plane: CreateDeliveryStream, DescribeDeliveryStream (with AWS's
// defaults filled in), ListDeliveryStreams, UpdateDestination, DeleteDeliveryStream and
// Start/StopDeliveryStreamEncryption, with AWS's errors.
import { checkName, type DeliveryStreams, type FakeDeliveryStream } from './deliveryStreams.js';
import { applyEncryptionChange, encryptionInputProblem } from './encryption.js';
import { FakeFirehoseError } from './errors.js';

const DESTINATION_ID = 'destinationId-000000000001';

/** The control-plane operations the fake implements. */
export const CONTROL_OPERATIONS = [
  'CreateDeliveryStream',
  'DescribeDeliveryStream',
  'ListDeliveryStreams',
  'UpdateDestination',
  'DeleteDeliveryStream',
  'StartDeliveryStreamEncryption',
  'StopDeliveryStreamEncryption',
] as const;

function describeDestination(config: Record<string, any>): Record<string, any> {
  return {
    BufferingHints: { SizeInMBs: 5, IntervalInSeconds: 300 },
    CompressionFormat: 'UNCOMPRESSED',
    EncryptionConfiguration: { NoEncryptionConfig: 'NoEncryption' },
    CloudWatchLoggingOptions: { Enabled: false },
    S3BackupMode: 'Disabled',
    ...config,
  };
}

function describeStream(stream: FakeDeliveryStream): any {
  const destination = describeDestination(stream.destination);
  const { BucketARN, RoleARN, Prefix, ErrorOutputPrefix, BufferingHints, CompressionFormat, EncryptionConfiguration, CloudWatchLoggingOptions } = destination;
  return {
    DeliveryStreamDescription: {
      DeliveryStreamName: stream.name,
      DeliveryStreamARN: stream.arn,
      DeliveryStreamStatus: stream.status,
      DeliveryStreamType: stream.request.DeliveryStreamType ?? 'DirectPut',
      DeliveryStreamEncryptionConfiguration: stream.request.DeliveryStreamEncryptionConfigurationInput
        ? { ...stream.request.DeliveryStreamEncryptionConfigurationInput, Status: 'ENABLED' }
        : { Status: 'DISABLED' },
      VersionId: String(stream.versionId),
      CreateTimestamp: stream.createdAt,
      ...(stream.lastUpdatedAt !== undefined ? { LastUpdateTimestamp: stream.lastUpdatedAt } : {}),
      Destinations: [
        {
          DestinationId: DESTINATION_ID,
          S3DestinationDescription: { RoleARN, BucketARN, Prefix, ErrorOutputPrefix, BufferingHints, CompressionFormat, EncryptionConfiguration, CloudWatchLoggingOptions },
          ExtendedS3DestinationDescription: destination,
        },
      ],
      HasMoreDestinations: false,
    },
  };
}

/**
 * The fake's control plane over its delivery streams.
 *
 * @example
 * ```ts
 * const plane = new ControlPlane(streams, '123456789012');
 * plane.handle('DescribeDeliveryStream', { DeliveryStreamName: 'fiat-audit' });
 * ```
 */
export class ControlPlane {
  readonly #streams: DeliveryStreams;
  readonly #accountId: string;

  constructor(streams: DeliveryStreams, accountId: string) {
    this.#streams = streams;
    this.#accountId = accountId;
  }

  /** Runs one control-plane operation; `UnknownOperationException` for anything else. */
  handle(operation: string, input: any): any {
    const name = input?.DeliveryStreamName;
    switch (operation) {
      case 'CreateDeliveryStream':
        return this.#create(input);
      case 'DescribeDeliveryStream':
        return describeStream(this.#streams.get(checkName(name)));
      case 'DeleteDeliveryStream':
        this.#streams.get(checkName(name));
        this.#streams.byName.delete(name);
        return {};
      case 'ListDeliveryStreams':
        return this.#list(input);
      case 'UpdateDestination':
        return this.#update(input);
      case 'StartDeliveryStreamEncryption':
      case 'StopDeliveryStreamEncryption': {
        const stream = this.#streams.get(checkName(name));
        const problem = operation === 'StartDeliveryStreamEncryption' ? encryptionInputProblem(input.DeliveryStreamEncryptionConfigurationInput) : undefined;
        if (problem !== undefined) throw new FakeFirehoseError('InvalidArgumentException', problem);
        applyEncryptionChange(stream.request, operation, input);
        return {};
      }
      default:
        throw new FakeFirehoseError('UnknownOperationException', `The fake Firehose does not implement ${operation}`);
    }
  }

  #create(input: any): any {
    const name = checkName(input?.DeliveryStreamName);
    if (this.#streams.byName.has(name)) throw new FakeFirehoseError('ResourceInUseException', `Firehose ${name} under accountId ${this.#accountId} already exists`);
    const destination = input.ExtendedS3DestinationConfiguration ?? input.S3DestinationConfiguration;
    if (destination === undefined) throw new FakeFirehoseError('InvalidArgumentException', 'Exactly one destination configuration is supported for a Firehose');
    for (const key of ['RoleARN', 'BucketARN']) {
      if (typeof destination[key] !== 'string') {
        const field = `extendedS3DestinationConfiguration.${key.charAt(0).toLowerCase()}${key.slice(1)}`;
        throw new FakeFirehoseError('ValidationException', `1 validation error detected: Value null at '${field}' failed to satisfy constraint: Member must not be null`);
      }
    }
    const hints = destination.BufferingHints;
    if (hints !== undefined && (hints.SizeInMBs === undefined) !== (hints.IntervalInSeconds === undefined)) {
      throw new FakeFirehoseError('InvalidArgumentException', 'BufferingHints: SizeInMBs and IntervalInSeconds must be set together');
    }
    const problem = encryptionInputProblem(input.DeliveryStreamEncryptionConfigurationInput);
    if (problem !== undefined) throw new FakeFirehoseError('InvalidArgumentException', problem);
    return { DeliveryStreamARN: this.#streams.create(name, structuredClone(input)).arn };
  }

  #list(input: any): any {
    const limit = typeof input?.Limit === 'number' ? input.Limit : 10;
    let names = [...this.#streams.byName.values()]
      .filter((s) => input?.DeliveryStreamType === undefined || (s.request.DeliveryStreamType ?? 'DirectPut') === input.DeliveryStreamType)
      .map((s) => s.name)
      .sort();
    if (typeof input?.ExclusiveStartDeliveryStreamName === 'string') names = names.filter((n) => n > input.ExclusiveStartDeliveryStreamName);
    return { DeliveryStreamNames: names.slice(0, limit), HasMoreDeliveryStreams: names.length > limit };
  }

  #update(input: any): any {
    const name = checkName(input?.DeliveryStreamName);
    const stream = this.#streams.get(name);
    if (String(input.CurrentDeliveryStreamVersionId) !== String(stream.versionId)) {
      throw new FakeFirehoseError('ConcurrentModificationException', `Firehose ${name} version ${String(input.CurrentDeliveryStreamVersionId)} is not the current version ${stream.versionId}`);
    }
    if (input.DestinationId !== DESTINATION_ID) throw new FakeFirehoseError('InvalidArgumentException', `Destination ${String(input.DestinationId)} not found for Firehose ${name}`);
    const update = input.ExtendedS3DestinationUpdate ?? input.S3DestinationUpdate ?? {};
    stream.destination = { ...stream.destination, ...structuredClone(update) };
    stream.versionId += 1;
    stream.lastUpdatedAt = new Date();
    return {};
  }
}
