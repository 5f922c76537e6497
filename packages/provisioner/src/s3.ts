import type { S3Client } from '@aws-sdk/client-s3';
import { awsClientConfig } from './aws.js';
import type { FiatConfig } from './config.js';

/**
 * An S3 client for the configuration (the SDK is loaded only when called). With an endpoint configured
 * (`s3Endpoint`, else `endpoint`: a fake, LocalStack, MinIO) it uses path-style addressing; against AWS,
 * virtual-hosted style.
 *
 * @example
 * ```ts
 * const s3 = await createS3Client(config, process.env);
 * ```
 */
export async function createS3Client(config: FiatConfig, env: Readonly<Record<string, string | undefined>>): Promise<S3Client> {
  const settings = awsClientConfig(config, env, 's3');
  const { S3Client } = await import('@aws-sdk/client-s3');
  return new S3Client({ ...settings, forcePathStyle: settings.endpoint !== undefined });
}
