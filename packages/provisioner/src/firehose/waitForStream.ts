// Owns waiting on a delivery stream: DescribeDeliveryStream polled until the stream (or its
// encryption) has settled, within a deadline.
import { FiatError } from '@fiat/core';
import type { DeliveryStreamDescription, FirehoseClient } from '@aws-sdk/client-firehose';
import { awsErrorMessage } from '../aws.js';
import { clock, type CliContext } from '../command.js';
import { seconds } from '../progress.js';
import { pollUntil } from '../wait.js';
import { encryptionState } from './encryption.js';

/**
 * `DescribeDeliveryStream`, with an AWS failure as `DELIVERY_FAILED`.
 *
 * @example
 * ```ts
 * const description = await describeDeliveryStream(client, 'fiat-audit');
 * ```
 */
export async function describeDeliveryStream(client: FirehoseClient, name: string): Promise<DeliveryStreamDescription> {
  const { DescribeDeliveryStreamCommand } = await import('@aws-sdk/client-firehose');
  try {
    const out = await client.send(new DescribeDeliveryStreamCommand({ DeliveryStreamName: name }));
    if (out.DeliveryStreamDescription === undefined) throw new Error('no DeliveryStreamDescription in the response');
    return out.DeliveryStreamDescription;
  } catch (error) {
    throw new FiatError('DELIVERY_FAILED', `DescribeDeliveryStream ${name} failed: ${awsErrorMessage(error)}`, { cause: error });
  }
}

/** What a stream wait waits for: its status `ACTIVE`, or its encryption settled (ENABLED or DISABLED). */
export type StreamCondition = 'active' | 'encryption';

function check(description: DeliveryStreamDescription, condition: StreamCondition): { label: string; state: 'ready' | 'waiting' | 'failed' } {
  if (condition === 'encryption') {
    const status = description.DeliveryStreamEncryptionConfiguration?.Status ?? 'DISABLED';
    const state = encryptionState(description);
    return { label: `encryption ${status}`, state: state === 'settled' ? 'ready' : state === 'changing' ? 'waiting' : 'failed' };
  }
  const status = description.DeliveryStreamStatus ?? 'UNKNOWN';
  const failed = status.endsWith('FAILED') || status === 'DELETING';
  return { label: status, state: status === 'ACTIVE' ? 'ready' : failed ? 'failed' : 'waiting' };
}

/**
 * Polls `DescribeDeliveryStream` (1 s growing to 5 s) until the stream is ACTIVE (or its encryption
 * ENABLED/DISABLED), printing each status change to stderr. A failed status, or still waiting at the
 * deadline (`timeoutMs` on the context's clock, 10 minutes by default), throws `DELIVERY_FAILED`; no
 * sleep goes past the deadline.
 *
 * @example
 * ```ts
 * await waitForStream(client, 'fiat-audit', context, 'active');
 * ```
 */
export async function waitForStream(client: FirehoseClient, name: string, context: CliContext, condition: StreamCondition, timeoutMs = 600_000): Promise<void> {
  const now = clock(context);
  const started = now();
  let last = '';
  let failure: { label: string; description: DeliveryStreamDescription } | undefined;
  const outcome = await pollUntil({
    poll: async () => {
      const description = await describeDeliveryStream(client, name);
      const { label, state } = check(description, condition);
      if (label !== last) context.stderr(`  ${name}: ${label} (${seconds(now() - started)})\n`);
      last = label;
      if (state === 'failed') failure = { label, description };
      return state === 'waiting' ? undefined : true;
    },
    deadline: now() + timeoutMs,
    initialDelayMs: 1000,
    maxDelayMs: 5000,
    now,
    ...(context.sleep !== undefined ? { sleep: context.sleep } : {}),
  });
  if (failure !== undefined) {
    const reason = failure.description.DeliveryStreamEncryptionConfiguration?.FailureDescription?.Details ?? failure.description.FailureDescription?.Details ?? 'no details';
    throw new FiatError('DELIVERY_FAILED', `delivery stream ${name} is ${failure.label}: ${reason}`);
  }
  if (!outcome.done) throw new FiatError('DELIVERY_FAILED', `delivery stream ${name} still ${last} after ${seconds(outcome.elapsedMs)}`);
}
