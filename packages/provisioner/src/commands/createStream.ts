import { FiatError } from '@fiat/core';
import type { DeliveryStreamDescription, FirehoseClient } from '@aws-sdk/client-firehose';
import { EXIT, pause, type CliContext, type Command } from '../command.js';
import { awsErrorMessage, createFirehoseClient } from '../aws.js';
import { createDeliveryStreamRequest, diffDeliveryStream, updateDestinationRequest } from '../firehose/deliveryStream.js';
import { requireKey, streamArgument } from './shared.js';

/**
 * `fiat create-stream <Stream>`: the Firehose delivery stream of a stream.
 *
 * @example
 * ```ts
 * await main(['create-stream', 'Audit', '--dry-run']);
 * ```
 */
export const createStreamCommand: Command = {
  name: 'create-stream',
  summary: 'Create the Firehose delivery stream of a stream (DirectPut → S3, GZIP), or show and apply drift',
  usage: 'fiat create-stream <Stream> [--dry-run] [--update] [--json] [--endpoint URL]',
  examples: [
    'fiat create-stream Audit --dry-run   # print the CreateDeliveryStream request',
    'fiat create-stream Audit             # create it and wait until ACTIVE; if it exists, print differences',
    'fiat create-stream Audit --update    # apply differences with UpdateDestination',
  ],
  options: {
    'dry-run': { type: 'boolean' },
    update: { type: 'boolean' },
    json: { type: 'boolean' },
  },
  async run(positionals, values, context, config) {
    const resolved = await config();
    const stream = await streamArgument(positionals, resolved, 'create-stream', context);
    const json = values.json === true;
    const request = createDeliveryStreamRequest(stream.names, {
      bucket: requireKey(resolved, 'bucket', 'create-stream'),
      roleArn: requireKey(resolved, 'roleArn', 'create-stream'),
      ...(resolved.kmsKeyArn !== undefined ? { kmsKeyArn: resolved.kmsKeyArn } : {}),
      bufferSizeMB: resolved.bufferSizeMB,
      bufferIntervalSeconds: resolved.bufferIntervalSeconds,
    });
    if (values['dry-run']) {
      context.stdout(`${JSON.stringify(json ? { action: 'create', request, applied: false } : request, null, 2)}\n`);
      return EXIT.OK;
    }
    const name = stream.names.deliveryStream;
    const client = await createFirehoseClient(resolved, context.env);
    const sdk = await import('@aws-sdk/client-firehose');
    try {
      await client.send(new sdk.CreateDeliveryStreamCommand(request));
      context.stderr(`creating delivery stream ${name}\n`);
      await waitUntilActive(client, name, context);
      context.stdout(json ? `${JSON.stringify({ action: 'created', deliveryStream: name, request, applied: true }, null, 2)}\n` : `created delivery stream ${name} (ACTIVE)\n`);
      return EXIT.OK;
    } catch (error) {
      if ((error as { name?: string }).name !== 'ResourceInUseException') {
        if (error instanceof FiatError) throw error;
        throw new FiatError('DELIVERY_FAILED', `CreateDeliveryStream ${name} failed: ${awsErrorMessage(error)}`, { cause: error });
      }
    }
    const description = await describe(client, name);
    const differences = diffDeliveryStream(description, request);
    if (differences.length === 0) {
      if (description.DeliveryStreamStatus !== 'ACTIVE') await waitUntilActive(client, name, context);
      context.stdout(json ? `${JSON.stringify({ action: 'unchanged', deliveryStream: name, differences, applied: false }, null, 2)}\n` : `delivery stream ${name} exists and matches the definition\n`);
      return EXIT.OK;
    }
    const lines = differences.map((d) => `  ${d.field}: ${JSON.stringify(d.current)} → ${JSON.stringify(d.wanted)}${d.updatable ? '' : ' (cannot be updated; delete and recreate the stream)'}`);
    if (!json) context.stdout(`delivery stream ${name} differs from the definition:\n${lines.join('\n')}\n`);
    const report = (action: string, applied: boolean): void => {
      if (json) context.stdout(`${JSON.stringify({ action, deliveryStream: name, differences, applied }, null, 2)}\n`);
    };
    if (differences.some((d) => !d.updatable)) {
      report('refused', false);
      context.stderr(`fiat create-stream: ${name} has differences UpdateDestination cannot apply\n`);
      return EXIT.FAILED;
    }
    if (!values.update) {
      report('drift', false);
      context.stderr(`fiat create-stream: ${name} drifted; run with --update to apply the differences\n`);
      return EXIT.FAILED;
    }
    try {
      await client.send(new sdk.UpdateDestinationCommand(updateDestinationRequest(description, request)));
    } catch (error) {
      throw new FiatError('DELIVERY_FAILED', `UpdateDestination ${name} failed: ${awsErrorMessage(error)}`, { cause: error });
    }
    await waitUntilActive(client, name, context);
    report('updated', true);
    if (!json) context.stdout(`updated delivery stream ${name} (${differences.length} change(s))\n`);
    return EXIT.OK;
  },
};

async function describe(client: FirehoseClient, name: string): Promise<DeliveryStreamDescription> {
  const { DescribeDeliveryStreamCommand } = await import('@aws-sdk/client-firehose');
  try {
    const out = await client.send(new DescribeDeliveryStreamCommand({ DeliveryStreamName: name }));
    if (out.DeliveryStreamDescription === undefined) throw new Error('no DeliveryStreamDescription in the response');
    return out.DeliveryStreamDescription;
  } catch (error) {
    throw new FiatError('DELIVERY_FAILED', `DescribeDeliveryStream ${name} failed: ${awsErrorMessage(error)}`, { cause: error });
  }
}

/**
 * Polls DescribeDeliveryStream (1 s growing to 5 s, at most 10 minutes) until the stream is ACTIVE,
 * printing each status change to stderr. `CREATING_FAILED` or a timeout throws `DELIVERY_FAILED`.
 *
 * @example
 * ```ts
 * await waitUntilActive(client, 'fiat-audit', context);
 * ```
 */
export async function waitUntilActive(client: FirehoseClient, name: string, context: CliContext, timeoutMs = 600_000): Promise<void> {
  const started = Date.now();
  let delay = 1000;
  let last = '';
  for (;;) {
    const description = await describe(client, name);
    const status = description.DeliveryStreamStatus ?? 'UNKNOWN';
    if (status !== last) context.stderr(`  ${name}: ${status} (${((Date.now() - started) / 1000).toFixed(1)} s)\n`);
    last = status;
    if (status === 'ACTIVE') return;
    if (status.endsWith('FAILED') || status === 'DELETING') {
      const reason = description.FailureDescription?.Details ?? 'no details';
      throw new FiatError('DELIVERY_FAILED', `delivery stream ${name} is ${status}: ${reason}`);
    }
    if (Date.now() - started > timeoutMs) throw new FiatError('DELIVERY_FAILED', `delivery stream ${name} still ${status} after ${timeoutMs / 1000} s`);
    await pause(context, delay);
    delay = Math.min(delay * 1.5, 5000);
  }
}
