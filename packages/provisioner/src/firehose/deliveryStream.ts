import { FiatError, type StreamNames } from '@fiat/core';
import { assertBucketName, assertRoleArn } from '../awsNames.js';
import { deliveryStreamEncryptionInput, diffEncryption } from './encryption.js';
import type {
  CreateDeliveryStreamInput,
  DeliveryStreamDescription,
  ExtendedS3DestinationConfiguration,
  UpdateDestinationInput,
} from '@aws-sdk/client-firehose';

/** What a delivery stream request needs besides the stream's names. */
export interface DeliveryStreamOptions {
  /** S3 bucket. Required. */
  readonly bucket: string;
  /** IAM role Firehose assumes. Required. */
  readonly roleArn: string;
  /**
   * Customer managed KMS key: encrypts the stream at rest (`CUSTOMER_MANAGED_CMK`) and the S3 objects
   * (SSE-KMS). Default: none (the stream is encrypted with an AWS-owned key; the objects get the
   * bucket's default encryption).
   */
  readonly kmsKeyArn?: string;
  /** Server-side encryption of the stream at rest. `false` turns it off; it cannot be combined with `kmsKeyArn`. Default: true. */
  readonly encryption?: boolean;
  /** Buffering size in MB. Default: 1. */
  readonly bufferSizeMB?: number;
  /** Buffering interval in seconds. Default: 60. */
  readonly bufferIntervalSeconds?: number;
}

/**
 * The AWS partition (`aws`, `aws-cn`, `aws-us-gov`) of an ARN.
 *
 * @example
 * ```ts
 * arnPartition('arn:aws-cn:iam::123456789012:role/fiat'); // 'aws-cn'
 * ```
 */
export function arnPartition(arn: string): string {
  return arn.split(':')[1] ?? 'aws';
}

/**
 * The account id of an ARN.
 *
 * @example
 * ```ts
 * arnAccount('arn:aws:iam::123456789012:role/fiat'); // '123456789012'
 * ```
 */
export function arnAccount(arn: string): string {
  return arn.split(':')[4] ?? '';
}

/**
 * The CloudWatch log group a delivery stream logs errors to: `/aws/kinesisfirehose/<deliveryStream>`
 * (the console's convention; via the API it must exist before errors can be logged).
 *
 * @example
 * ```ts
 * deliveryLogGroup({ deliveryStream: 'fiat-audit' }); // '/aws/kinesisfirehose/fiat-audit'
 * ```
 */
export function deliveryLogGroup(names: Pick<StreamNames, 'deliveryStream'>): string {
  return `/aws/kinesisfirehose/${names.deliveryStream}`;
}

/**
 * The CloudWatch log stream of S3 delivery errors.
 *
 * @example
 * ```ts
 * DELIVERY_LOG_STREAM; // 'S3Delivery'
 * ```
 */
export const DELIVERY_LOG_STREAM = 'S3Delivery';

/**
 * The error output prefix of a stream: `_errors/<prefix>!{firehose:error-output-type}/dt=!{timestamp:yyyy-MM-dd}/`.
 *
 * @example
 * ```ts
 * errorOutputPrefix({ prefix: 'audit/' }); // '_errors/audit/!{firehose:error-output-type}/dt=!{timestamp:yyyy-MM-dd}/'
 * ```
 */
export function errorOutputPrefix(names: Pick<StreamNames, 'prefix'>): string {
  return `_errors/${names.prefix}!{firehose:error-output-type}/dt=!{timestamp:yyyy-MM-dd}/`;
}

/**
 * The Extended S3 destination of a stream's delivery stream: role, bucket, `Prefix`
 * `<prefix>dt=!{timestamp:yyyy-MM-dd}/`, the error prefix, buffering (1 MB / 60 s by default), GZIP,
 * SSE-KMS of the objects when a key is given, CloudWatch error logging on.
 *
 * @example
 * ```ts
 * extendedS3Destination(Audit.names, { bucket: 'my-lake', roleArn: 'arn:aws:iam::123456789012:role/fiat' }).Prefix;
 * // 'audit/dt=!{timestamp:yyyy-MM-dd}/'
 * ```
 */
export function extendedS3Destination(names: StreamNames, options: DeliveryStreamOptions): ExtendedS3DestinationConfiguration {
  assertBucketName(options.bucket);
  assertRoleArn(options.roleArn);
  return {
    RoleARN: options.roleArn,
    BucketARN: `arn:${arnPartition(options.roleArn)}:s3:::${options.bucket}`,
    Prefix: `${names.prefix}dt=!{timestamp:yyyy-MM-dd}/`,
    ErrorOutputPrefix: errorOutputPrefix(names),
    BufferingHints: { SizeInMBs: options.bufferSizeMB ?? 1, IntervalInSeconds: options.bufferIntervalSeconds ?? 60 },
    CompressionFormat: 'GZIP',
    EncryptionConfiguration:
      options.kmsKeyArn !== undefined ? { KMSEncryptionConfig: { AWSKMSKeyARN: options.kmsKeyArn } } : { NoEncryptionConfig: 'NoEncryption' },
    CloudWatchLoggingOptions: { Enabled: true, LogGroupName: deliveryLogGroup(names), LogStreamName: DELIVERY_LOG_STREAM },
  };
}

/**
 * The `CreateDeliveryStream` request of a stream: DirectPut with an Extended S3 destination, encrypted
 * at rest with an AWS-owned key (the customer key when `kmsKeyArn` is set; none with `encryption: false`).
 *
 * @example
 * ```ts
 * const request = createDeliveryStreamRequest(Audit.names, { bucket: 'my-lake', roleArn });
 * await firehose.send(new CreateDeliveryStreamCommand(request));
 * ```
 */
export function createDeliveryStreamRequest(names: StreamNames, options: DeliveryStreamOptions): CreateDeliveryStreamInput {
  if (options.encryption === false && options.kmsKeyArn !== undefined) {
    throw new FiatError('CONFIG_INVALID', 'config key kmsKeyArn asks for encryption with a customer key, which --no-encryption turns off: use one or the other');
  }
  const encryption = deliveryStreamEncryptionInput(options);
  return {
    DeliveryStreamName: names.deliveryStream,
    DeliveryStreamType: 'DirectPut',
    ...(encryption !== undefined ? { DeliveryStreamEncryptionConfigurationInput: encryption } : {}),
    ExtendedS3DestinationConfiguration: extendedS3Destination(names, options),
  };
}

/** One setting that differs between an existing delivery stream and the wanted one. */
export interface DestinationDifference {
  /** Dotted field, e.g. `BufferingHints.IntervalInSeconds`. */
  readonly field: string;
  readonly current: unknown;
  readonly wanted: unknown;
  /** False when no update call can change it (the stream must be recreated). */
  readonly updatable: boolean;
}

function flatten(value: unknown, path: string, out: Map<string, unknown>): void {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const [key, inner] of Object.entries(value)) flatten(inner, path === '' ? key : `${path}.${key}`, out);
  } else if (value !== undefined) {
    out.set(path, value);
  }
}

/**
 * Compares a described delivery stream with the wanted request: the fields Fiat sets, nothing else.
 * Encryption at rest is the field `DeliveryStreamEncryption` (changed with Start/StopDeliveryStreamEncryption);
 * the others are destination fields (changed with UpdateDestination).
 *
 * @example
 * ```ts
 * diffDeliveryStream(described.DeliveryStreamDescription, createDeliveryStreamRequest(names, options));
 * // [{ field: 'BufferingHints.IntervalInSeconds', current: 300, wanted: 60, updatable: true }]
 * ```
 */
export function diffDeliveryStream(description: DeliveryStreamDescription, wanted: CreateDeliveryStreamInput): DestinationDifference[] {
  const differences: DestinationDifference[] = [];
  if (description.DeliveryStreamType !== wanted.DeliveryStreamType) {
    differences.push({ field: 'DeliveryStreamType', current: description.DeliveryStreamType, wanted: wanted.DeliveryStreamType, updatable: false });
  }
  differences.push(...diffEncryption(description, wanted));
  const destination = description.Destinations?.[0]?.ExtendedS3DestinationDescription;
  if (destination === undefined) {
    differences.push({ field: 'ExtendedS3Destination', current: 'none', wanted: 'an Extended S3 destination', updatable: false });
    return differences;
  }
  const want = new Map<string, unknown>();
  flatten(wanted.ExtendedS3DestinationConfiguration, '', want);
  const have = new Map<string, unknown>();
  flatten(destination, '', have);
  for (const [field, value] of want) {
    const current = have.get(field);
    if (current !== value) differences.push({ field, current: current ?? null, wanted: value, updatable: true });
  }
  return differences;
}

/**
 * The `UpdateDestination` request that applies the wanted destination to a described stream.
 *
 * @example
 * ```ts
 * await firehose.send(new UpdateDestinationCommand(updateDestinationRequest(described, wanted)));
 * ```
 */
export function updateDestinationRequest(description: DeliveryStreamDescription, wanted: CreateDeliveryStreamInput): UpdateDestinationInput {
  const destination = description.Destinations?.[0];
  if (destination?.DestinationId === undefined || description.VersionId === undefined) {
    throw new FiatError('DELIVERY_FAILED', `delivery stream ${description.DeliveryStreamName} has no destination to update`);
  }
  const config = wanted.ExtendedS3DestinationConfiguration as ExtendedS3DestinationConfiguration;
  return {
    DeliveryStreamName: wanted.DeliveryStreamName,
    CurrentDeliveryStreamVersionId: description.VersionId,
    DestinationId: destination.DestinationId,
    ExtendedS3DestinationUpdate: { ...config },
  };
}
