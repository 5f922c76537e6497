import { FiatError } from '@fiat/core';
import type { AthenaClient } from '@aws-sdk/client-athena';
import type { FirehoseClient } from '@aws-sdk/client-firehose';
import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import type { IAMClient } from '@aws-sdk/client-iam';
import type { FiatConfig } from './config.js';

/** Which AWS service a client is for: `athena`, `firehose`, `logs` (CloudWatch Logs), `iam` or `s3`. */
export type AwsService = 'athena' | 'firehose' | 'logs' | 'iam' | 's3';

const ENDPOINT_KEY = { athena: 'athenaEndpoint', firehose: 'firehoseEndpoint', logs: 'logsEndpoint', iam: 'iamEndpoint', s3: 's3Endpoint' } as const;

/**
 * The client settings for one service: region, endpoint (`athenaEndpoint`, `firehoseEndpoint`,
 * `logsEndpoint`, `iamEndpoint` or `s3Endpoint`, else `endpoint`) and, when `AWS_ACCESS_KEY_ID` and `AWS_SECRET_ACCESS_KEY` are in `env`, those
 * credentials (else the SDK's default chain). Throws `CONFIG_INVALID` when no region is configured.
 *
 * @example
 * ```ts
 * const settings = awsClientConfig(config, process.env, 'athena');
 * const client = new AthenaClient(settings);
 * ```
 */
export function awsClientConfig(
  config: FiatConfig,
  env: Readonly<Record<string, string | undefined>>,
  service: AwsService,
): { region: string; endpoint?: string; credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string } } {
  if (config.region === undefined) {
    throw new FiatError('CONFIG_INVALID', 'config key region is required to reach AWS (set it in fiat.config.json, FIAT_REGION or AWS_REGION)');
  }
  const endpoint = config[ENDPOINT_KEY[service]] ?? config.endpoint;
  const accessKeyId = env.AWS_ACCESS_KEY_ID;
  const secretAccessKey = env.AWS_SECRET_ACCESS_KEY;
  const sessionToken = env.AWS_SESSION_TOKEN;
  return {
    region: config.region,
    ...(endpoint !== undefined ? { endpoint } : {}),
    ...(accessKeyId && secretAccessKey
      ? { credentials: { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) } }
      : {}),
  };
}

/**
 * An Athena client for the configuration (the SDK is loaded only when called).
 *
 * @example
 * ```ts
 * const athena = await createAthenaClient(config, process.env);
 * ```
 */
export async function createAthenaClient(config: FiatConfig, env: Readonly<Record<string, string | undefined>>): Promise<AthenaClient> {
  const settings = awsClientConfig(config, env, 'athena');
  const { AthenaClient } = await import('@aws-sdk/client-athena');
  return new AthenaClient(settings);
}

/**
 * A Firehose client for the configuration (the SDK is loaded only when called).
 *
 * @example
 * ```ts
 * const firehose = await createFirehoseClient(config, process.env);
 * ```
 */
export async function createFirehoseClient(config: FiatConfig, env: Readonly<Record<string, string | undefined>>): Promise<FirehoseClient> {
  const settings = awsClientConfig(config, env, 'firehose');
  const { FirehoseClient } = await import('@aws-sdk/client-firehose');
  return new FirehoseClient(settings);
}

/**
 * A CloudWatch Logs client for the configuration (the SDK is loaded only when called).
 *
 * @example
 * ```ts
 * const logs = await createLogsClient(config, process.env);
 * ```
 */
export async function createLogsClient(config: FiatConfig, env: Readonly<Record<string, string | undefined>>): Promise<CloudWatchLogsClient> {
  const settings = awsClientConfig(config, env, 'logs');
  const { CloudWatchLogsClient } = await import('@aws-sdk/client-cloudwatch-logs');
  return new CloudWatchLogsClient(settings);
}

/**
 * An IAM client for the configuration (the SDK is loaded only when called; IAM is global, the
 * region only picks the partition's endpoint).
 *
 * @example
 * ```ts
 * const iam = await createIamClient(config, process.env);
 * ```
 */
export async function createIamClient(config: FiatConfig, env: Readonly<Record<string, string | undefined>>): Promise<IAMClient> {
  const settings = awsClientConfig(config, env, 'iam');
  const { IAMClient } = await import('@aws-sdk/client-iam');
  return new IAMClient(settings);
}

/**
 * A one-line description of an AWS SDK error: its name and message, never credentials.
 *
 * @example
 * ```ts
 * awsErrorMessage(error); // 'ResourceNotFoundException: Firehose fiat-audit not found'
 * ```
 */
export function awsErrorMessage(error: unknown): string {
  const e = error as { name?: string; message?: string };
  const message = (e.message ?? String(error)).split('\n')[0];
  return e.name !== undefined && e.name !== 'Error' ? `${e.name}: ${message}` : (message ?? 'unknown error');
}
