import { FiatCheckpoint, type StreamNames } from '@fiat/core';
import { assertBucketName, assertRegion, assertRoleArn } from './awsNames.js';
import { arnAccount, arnPartition, deliveryLogGroup } from './firehose/deliveryStream.js';

/** An IAM policy document. */
export interface PolicyDocument {
  readonly Version: '2012-10-17';
  readonly Statement: readonly Record<string, unknown>[];
}

/** What the IAM documents need. */
export interface IamOptions {
  /** AWS region of the delivery stream. Required. */
  readonly region: string;
  /** S3 bucket. Required. */
  readonly bucket: string;
  /** The delivery role (its account and partition are used for the other ARNs). Required. */
  readonly roleArn: string;
  /** Customer managed KMS key (stream encryption at rest and SSE-KMS of the objects). Default: none (no KMS statements). */
  readonly kmsKeyArn?: string;
  /** The S3 prefix of the checkpoint stream, which `fiat verify` reads too. Default: `_fiat_checkpoint/` (`FiatCheckpoint`'s). */
  readonly checkpointPrefix?: string;
  /**
   * Other delivery streams a producer of this stream writes to: the checkpoint stream of a chained stream.
   * Default: none.
   */
  readonly producerAlso?: readonly Pick<StreamNames, 'deliveryStream'>[];
}

/** The five documents `fiat iam` prints. */
export interface IamDocuments {
  /** The delivery role's trust policy: only Firehose of this account may assume it. */
  readonly trustPolicy: PolicyDocument;
  /** The delivery role's permissions: its bucket prefixes, its KMS key, its log group. */
  readonly deliveryRolePolicy: PolicyDocument;
  /** A producer's permissions: PutRecord and PutRecordBatch on this delivery stream (and `producerAlso`'s). */
  readonly producerPolicy: PolicyDocument;
  /** What the operator running `fiat create-stream` and `fiat iam --apply` for this stream needs. */
  readonly operatorPolicy: PolicyDocument;
  /** Read only: what `fiat verify --target s3` reads for this stream (its objects and the checkpoints). */
  readonly verifyPolicy: PolicyDocument;
}

/**
 * The `Sid` of Fiat's statement in the delivery role's trust policy (`fiat iam --apply` keeps other statements).
 *
 * @example
 * ```ts
 * iamDocuments(names, options).trustPolicy.Statement[0]?.Sid === TRUST_STATEMENT_SID; // true
 * ```
 */
export const TRUST_STATEMENT_SID = 'FiatFirehoseAssume';

function check(options: IamOptions): void {
  assertRoleArn(options.roleArn);
  assertRegion(options.region);
  assertBucketName(options.bucket);
}

/**
 * The stream ARN a producer writes to: `arn:<partition>:firehose:<region>:<account>:deliverystream/<name>`.
 *
 * @example
 * ```ts
 * deliveryStreamArn(Audit.names, { region: 'eu-west-1', roleArn: 'arn:aws:iam::123456789012:role/fiat' });
 * // 'arn:aws:firehose:eu-west-1:123456789012:deliverystream/fiat-audit'
 * ```
 */
export function deliveryStreamArn(names: Pick<StreamNames, 'deliveryStream'>, options: Pick<IamOptions, 'region' | 'roleArn'>): string {
  return `arn:${arnPartition(options.roleArn)}:firehose:${options.region}:${arnAccount(options.roleArn)}:deliverystream/${names.deliveryStream}`;
}

/**
 * Least-privilege IAM documents for one stream: the delivery role's trust and permissions policies
 * (objects under `<prefix>` and `_errors/<prefix>` only, the KMS key only through S3 for those
 * objects, the stream's log group only), a producer's policy (`firehose:PutRecord` and
 * `firehose:PutRecordBatch` on that one stream), the operator's policy (what `fiat create-stream`
 * and `fiat iam --apply` call for that stream) and a read-only verifier's policy (what
 * `fiat verify --target s3` reads: the stream's objects and the checkpoints).
 *
 * @example
 * ```ts
 * const docs = iamDocuments(Audit.names, { region: 'eu-west-1', bucket: 'my-lake', roleArn });
 * JSON.stringify(docs.producerPolicy);
 * ```
 */
export function iamDocuments(names: StreamNames, options: IamOptions): IamDocuments {
  check(options);
  const account = arnAccount(options.roleArn);
  const logGroupArn = `arn:${arnPartition(options.roleArn)}:logs:${options.region}:${account}:log-group:${deliveryLogGroup(names)}`;
  return {
    trustPolicy: {
      Version: '2012-10-17',
      Statement: [
        {
          Sid: TRUST_STATEMENT_SID,
          Effect: 'Allow',
          Principal: { Service: 'firehose.amazonaws.com' },
          Action: 'sts:AssumeRole',
          Condition: { StringEquals: { 'sts:ExternalId': account } },
        },
      ],
    },
    deliveryRolePolicy: { Version: '2012-10-17', Statement: deliveryRoleStatements(names, options, logGroupArn) },
    producerPolicy: {
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'FiatProduce',
          Effect: 'Allow',
          Action: ['firehose:PutRecord', 'firehose:PutRecordBatch'],
          Resource:
            options.producerAlso === undefined || options.producerAlso.length === 0
              ? deliveryStreamArn(names, options)
              : [names, ...options.producerAlso].map((n) => deliveryStreamArn(n, options)),
        },
      ],
    },
    operatorPolicy: { Version: '2012-10-17', Statement: operatorStatements(names, options, logGroupArn) },
    verifyPolicy: { Version: '2012-10-17', Statement: verifyStatements(names, options) },
  };
}

/**
 * The verifier's statements, read only: list the bucket under the stream's prefix and the checkpoint
 * prefix, read those objects, and, with a customer key, decrypt them through S3.
 */
function verifyStatements(names: StreamNames, options: IamOptions): Record<string, unknown>[] {
  const bucketArn = `arn:${arnPartition(options.roleArn)}:s3:::${options.bucket}`;
  const prefixes = [names.prefix, options.checkpointPrefix ?? FiatCheckpoint.names.prefix];
  const objectArns = prefixes.map((prefix) => `${bucketArn}/${prefix}*`);
  const statements: Record<string, unknown>[] = [
    {
      Sid: 'FiatVerifyList',
      Effect: 'Allow',
      Action: 's3:ListBucket',
      Resource: bucketArn,
      Condition: { StringLike: { 's3:prefix': prefixes.map((prefix) => `${prefix}*`) } },
    },
    { Sid: 'FiatVerifyRead', Effect: 'Allow', Action: 's3:GetObject', Resource: objectArns },
  ];
  if (options.kmsKeyArn !== undefined) {
    statements.push({
      Sid: 'FiatVerifyKmsThroughS3',
      Effect: 'Allow',
      Action: 'kms:Decrypt',
      Resource: options.kmsKeyArn,
      Condition: {
        StringEquals: { 'kms:ViaService': `s3.${options.region}.amazonaws.com` },
        StringLike: { 'kms:EncryptionContext:aws:s3:arn': objectArns },
      },
    });
  }
  return statements;
}

/** The delivery role's statements: its bucket, its objects, its KMS key through S3, its log group. */
function deliveryRoleStatements(names: StreamNames, options: IamOptions, logGroupArn: string): Record<string, unknown>[] {
  const bucketArn = `arn:${arnPartition(options.roleArn)}:s3:::${options.bucket}`;
  const objectArns = [`${bucketArn}/${names.prefix}*`, `${bucketArn}/_errors/${names.prefix}*`];
  const statements: Record<string, unknown>[] = [
    {
      Sid: 'FiatBucket',
      Effect: 'Allow',
      Action: ['s3:GetBucketLocation', 's3:ListBucket', 's3:ListBucketMultipartUploads'],
      Resource: bucketArn,
    },
    {
      Sid: 'FiatObjects',
      Effect: 'Allow',
      Action: ['s3:AbortMultipartUpload', 's3:GetObject', 's3:PutObject'],
      Resource: objectArns,
    },
  ];
  if (options.kmsKeyArn !== undefined) {
    statements.push({
      Sid: 'FiatKmsThroughS3',
      Effect: 'Allow',
      Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
      Resource: options.kmsKeyArn,
      Condition: {
        StringEquals: { 'kms:ViaService': `s3.${options.region}.amazonaws.com` },
        StringLike: { 'kms:EncryptionContext:aws:s3:arn': objectArns },
      },
    });
  }
  statements.push({
    Sid: 'FiatDeliveryLogs',
    Effect: 'Allow',
    Action: ['logs:PutLogEvents'],
    Resource: `${logGroupArn}:log-stream:*`,
  });
  return statements;
}

/**
 * The operator's statements: manage this one delivery stream (create, describe, update, encryption),
 * pass the delivery role to Firehose only, create this stream's log group and log stream, set up the
 * delivery role (`fiat iam --apply`), and, with a customer key, let Firehose create its grant on that key.
 */
function operatorStatements(names: StreamNames, options: IamOptions, logGroupArn: string): Record<string, unknown>[] {
  const statements: Record<string, unknown>[] = [
    {
      Sid: 'FiatManageDeliveryStream',
      Effect: 'Allow',
      Action: [
        'firehose:CreateDeliveryStream',
        'firehose:DescribeDeliveryStream',
        'firehose:UpdateDestination',
        'firehose:StartDeliveryStreamEncryption',
        'firehose:StopDeliveryStreamEncryption',
      ],
      Resource: deliveryStreamArn(names, options),
    },
    {
      Sid: 'FiatPassDeliveryRole',
      Effect: 'Allow',
      Action: 'iam:PassRole',
      Resource: options.roleArn,
      Condition: { StringEquals: { 'iam:PassedToService': 'firehose.amazonaws.com' } },
    },
    {
      Sid: 'FiatCreateDeliveryLogs',
      Effect: 'Allow',
      Action: ['logs:CreateLogGroup', 'logs:CreateLogStream'],
      Resource: [logGroupArn, `${logGroupArn}:*`],
    },
    {
      Sid: 'FiatSetUpDeliveryRole',
      Effect: 'Allow',
      Action: ['iam:GetRole', 'iam:CreateRole', 'iam:UpdateAssumeRolePolicy', 'iam:GetRolePolicy', 'iam:PutRolePolicy'],
      Resource: options.roleArn,
    },
  ];
  if (options.kmsKeyArn !== undefined) {
    const viaFirehose = { 'kms:ViaService': `firehose.${options.region}.amazonaws.com` };
    statements.push(
      {
        Sid: 'FiatStreamKeyGrant',
        Effect: 'Allow',
        Action: 'kms:CreateGrant',
        Resource: options.kmsKeyArn,
        Condition: { StringEquals: viaFirehose, Bool: { 'kms:GrantIsForAWSResource': 'true' } },
      },
      { Sid: 'FiatStreamKeyDescribe', Effect: 'Allow', Action: 'kms:DescribeKey', Resource: options.kmsKeyArn, Condition: { StringEquals: viaFirehose } },
    );
  }
  return statements;
}
