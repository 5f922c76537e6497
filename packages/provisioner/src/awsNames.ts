// The AWS names the provisioner accepts, each rule written once: S3 bucket names, IAM role ARNs and
// regions. Configuration loading and every request builder (DDL, delivery stream, IAM documents)
// check with these, so a value refused in one place is refused in all, with the same message.
import { FiatError } from '@fiat/core';

/**
 * An S3 bucket name: 3 to 63 lowercase letters, digits, dots and hyphens, starting and ending with
 * a letter or digit, no two dots in a row. (AWS refuses a few more forms, such as an IP address;
 * those are left to AWS.)
 *
 * @example
 * ```ts
 * S3_BUCKET_NAME.test('acme-lake'); // true
 * S3_BUCKET_NAME.test('acme..lake'); // false
 * ```
 */
export const S3_BUCKET_NAME = /^(?!.*\.\.)[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/**
 * An `s3://<bucket>/<path>/` location (Athena query results): a bucket name as {@link S3_BUCKET_NAME},
 * then an optional path, ending with `/`.
 *
 * @example
 * ```ts
 * S3_LOCATION.test('s3://acme-athena-results/fiat/'); // true
 * ```
 */
export const S3_LOCATION = /^s3:\/\/(?![^/]*\.\.)[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](\/[A-Za-z0-9_.=/-]*)?\/$/;

/**
 * An IAM role ARN in any partition (`aws`, `aws-cn`, `aws-us-gov`), path allowed.
 *
 * @example
 * ```ts
 * IAM_ROLE_ARN.test('arn:aws:iam::123456789012:role/fiat-firehose'); // true
 * ```
 */
export const IAM_ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/;

/**
 * An AWS region name such as `eu-west-1` or `us-gov-west-1`.
 *
 * @example
 * ```ts
 * AWS_REGION_NAME.test('eu-west-1'); // true
 * ```
 */
export const AWS_REGION_NAME = /^[a-z]{2}(-[a-z]+)+-\d$/;

/**
 * Checks the configured bucket: `CONFIG_INVALID` naming the key and the value when it is not an S3
 * bucket name (see {@link S3_BUCKET_NAME}).
 *
 * @example
 * ```ts
 * assertBucketName('acme-lake'); // ok
 * assertBucketName('Acme_Lake'); // throws: config key bucket must be an S3 bucket name, got "Acme_Lake"
 * ```
 */
export function assertBucketName(bucket: unknown): asserts bucket is string {
  if (typeof bucket !== 'string' || !S3_BUCKET_NAME.test(bucket)) {
    throw new FiatError('CONFIG_INVALID', `config key bucket must be an S3 bucket name, got ${JSON.stringify(bucket)}`);
  }
}

/**
 * Checks the configured delivery role: `CONFIG_INVALID` naming the key and the value when it is not
 * an IAM role ARN (see {@link IAM_ROLE_ARN}).
 *
 * @example
 * ```ts
 * assertRoleArn('arn:aws:iam::123456789012:role/fiat'); // ok
 * ```
 */
export function assertRoleArn(roleArn: unknown): asserts roleArn is string {
  if (typeof roleArn !== 'string' || !IAM_ROLE_ARN.test(roleArn)) {
    throw new FiatError('CONFIG_INVALID', `config key roleArn must be an IAM role ARN, got ${JSON.stringify(roleArn)}`);
  }
}

/**
 * Checks the configured region: `CONFIG_INVALID` naming the key and the value when it is not an AWS
 * region name (see {@link AWS_REGION_NAME}).
 *
 * @example
 * ```ts
 * assertRegion('eu-west-1'); // ok
 * ```
 */
export function assertRegion(region: unknown): asserts region is string {
  if (typeof region !== 'string' || !AWS_REGION_NAME.test(region)) {
    throw new FiatError('CONFIG_INVALID', `config key region must be an AWS region such as eu-west-1, got ${JSON.stringify(region)}`);
  }
}
