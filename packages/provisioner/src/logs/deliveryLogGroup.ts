// Owns the CloudWatch log group and log stream a delivery stream logs its errors to: created when
// missing (Firehose does not create them when the stream is made through the API).
import { FiatError, type StreamNames } from '@fiat/core';
import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { awsErrorMessage } from '../aws.js';
import { DELIVERY_LOG_STREAM, deliveryLogGroup } from '../firehose/deliveryStream.js';
import type { PlannedCall } from '../plan.js';

/** What {@link ensureDeliveryLogGroup} found and did. */
export interface DeliveryLogGroupOutcome {
  readonly logGroupName: string;
  readonly logStreamName: string;
  /** True when the log group was created now (false: it existed). */
  readonly groupCreated: boolean;
  /** True when the log stream was created now (false: it existed). */
  readonly streamCreated: boolean;
}

/**
 * The calls that make sure a stream's error log group and log stream exist: `CreateLogGroup` and
 * `CreateLogStream`, each answered `ResourceAlreadyExistsException` when there is nothing to do.
 *
 * @example
 * ```ts
 * deliveryLogGroupCalls({ deliveryStream: 'fiat-audit' })[0];
 * // { service: 'logs', operation: 'CreateLogGroup', input: { logGroupName: '/aws/kinesisfirehose/fiat-audit' }, when: 'skipped when it exists' }
 * ```
 */
export function deliveryLogGroupCalls(names: Pick<StreamNames, 'deliveryStream'>): PlannedCall[] {
  const logGroupName = deliveryLogGroup(names);
  return [
    { service: 'logs', operation: 'CreateLogGroup', input: { logGroupName }, when: 'skipped when it exists' },
    { service: 'logs', operation: 'CreateLogStream', input: { logGroupName, logStreamName: DELIVERY_LOG_STREAM }, when: 'skipped when it exists' },
  ];
}

/** Runs one create call; false when the resource already existed. */
async function create(send: () => Promise<unknown>, what: string): Promise<boolean> {
  try {
    await send();
    return true;
  } catch (error) {
    if ((error as { name?: string }).name === 'ResourceAlreadyExistsException') return false;
    throw new FiatError('DELIVERY_FAILED', `cannot create ${what}: ${awsErrorMessage(error)}`, { cause: error });
  }
}

/**
 * Creates the delivery stream's error log group `/aws/kinesisfirehose/<deliveryStream>` and its
 * `S3Delivery` log stream when missing. Idempotent: existing ones are left as they are. Needs only
 * `logs:CreateLogGroup` and `logs:CreateLogStream` on that group (no Describe calls).
 *
 * @example
 * ```ts
 * const outcome = await ensureDeliveryLogGroup(new CloudWatchLogsClient({ region: 'eu-west-1' }), Audit.names);
 * outcome.groupCreated; // true the first time, false after
 * ```
 */
export async function ensureDeliveryLogGroup(client: CloudWatchLogsClient, names: Pick<StreamNames, 'deliveryStream'>): Promise<DeliveryLogGroupOutcome> {
  const { CreateLogGroupCommand, CreateLogStreamCommand } = await import('@aws-sdk/client-cloudwatch-logs');
  const logGroupName = deliveryLogGroup(names);
  const logStreamName = DELIVERY_LOG_STREAM;
  const groupCreated = await create(() => client.send(new CreateLogGroupCommand({ logGroupName })), `log group ${logGroupName}`);
  const streamCreated = await create(
    () => client.send(new CreateLogStreamCommand({ logGroupName, logStreamName })),
    `log stream ${logStreamName} in ${logGroupName}`,
  );
  return { logGroupName, logStreamName, groupCreated, streamCreated };
}
