import { FiatError } from '@fiat/core';
import type { CreateDeliveryStreamInput, FirehoseClient } from '@aws-sdk/client-firehose';
import { EXIT, type CliContext, type Command } from '../command.js';
import type { FiatConfig } from '../config.js';
import { awsErrorMessage, createFirehoseClient, createLogsClient } from '../aws.js';
import { createDeliveryStreamRequest, diffDeliveryStream, updateDestinationRequest, type DestinationDifference } from '../firehose/deliveryStream.js';
import { ENCRYPTION_FIELD } from '../firehose/encryption.js';
import { describeDeliveryStream, waitForStream } from '../firehose/waitForStream.js';
import { deliveryLogGroupCalls, ensureDeliveryLogGroup, type DeliveryLogGroupOutcome } from '../logs/deliveryLogGroup.js';
import type { LakeStream } from '../localLake.js';
import { formatPlan, type PlannedCall } from '../plan.js';
import { requireKey, streamArgument } from './shared.js';

/**
 * `fiat create-stream <Stream>`: the Firehose delivery stream of a stream, its error log group, and
 * its drift.
 *
 * @example
 * ```ts
 * await main(['create-stream', 'Audit', '--dry-run']);
 * ```
 */
export const createStreamCommand: Command = {
  name: 'create-stream',
  summary: 'Create the Firehose delivery stream of a stream (DirectPut → S3, GZIP, encrypted) and its error log group, or show and apply drift',
  usage: 'fiat create-stream <Stream> [--dry-run] [--update] [--no-encryption] [--json] [--endpoint URL]',
  examples: [
    'fiat create-stream Audit --dry-run         # print the calls it would make (log group, log stream, CreateDeliveryStream)',
    'fiat create-stream Audit                   # create them and wait until ACTIVE; if the stream exists, print differences',
    'fiat create-stream Audit --update          # apply differences (UpdateDestination, Start/StopDeliveryStreamEncryption)',
    'fiat create-stream Audit --no-encryption   # no encryption at rest (pass it on every later run too)',
  ],
  options: {
    'dry-run': { type: 'boolean' },
    update: { type: 'boolean' },
    'no-encryption': { type: 'boolean' },
    json: { type: 'boolean' },
  },
  async run(positionals, values, context, config) {
    const resolved = await config();
    const stream = await streamArgument(positionals, resolved, 'create-stream', context);
    const request = wantedRequest(stream, resolved, values['no-encryption'] === true);
    const json = values.json === true;
    if (values['dry-run']) {
      const calls = dryRunCalls(stream, request);
      context.stdout(json ? `${JSON.stringify({ action: 'create', request, calls, applied: false }, null, 2)}\n` : formatPlan(calls));
      return EXIT.OK;
    }
    const logGroup = await ensureDeliveryLogGroup(await createLogsClient(resolved, context.env), stream.names);
    context.stderr(`${logGroup.groupCreated ? 'created' : 'found'} log group ${logGroup.logGroupName}; ${logGroup.streamCreated ? 'created' : 'found'} log stream ${logGroup.logStreamName}\n`);
    const client = await createFirehoseClient(resolved, context.env);
    const name = stream.names.deliveryStream;
    if (await createIfMissing(client, request, context)) {
      context.stdout(json ? `${JSON.stringify({ action: 'created', deliveryStream: name, request, logGroup, applied: true }, null, 2)}\n` : `created delivery stream ${name} (ACTIVE)\n`);
      return EXIT.OK;
    }
    return reconcile({ client, request, update: values.update === true, json, context, logGroup });
  },
};

function wantedRequest(stream: LakeStream, config: FiatConfig, noEncryption: boolean): CreateDeliveryStreamInput {
  return createDeliveryStreamRequest(stream.names, {
    bucket: requireKey(config, 'bucket', 'create-stream'),
    roleArn: requireKey(config, 'roleArn', 'create-stream'),
    ...(config.kmsKeyArn !== undefined ? { kmsKeyArn: config.kmsKeyArn } : {}),
    ...(noEncryption ? { encryption: false } : {}),
    bufferSizeMB: config.bufferSizeMB,
    bufferIntervalSeconds: config.bufferIntervalSeconds,
  });
}

function dryRunCalls(stream: LakeStream, request: CreateDeliveryStreamInput): PlannedCall[] {
  return [
    ...deliveryLogGroupCalls(stream.names),
    { service: 'firehose', operation: 'CreateDeliveryStream', input: request, when: 'when it does not exist; else its differences are shown and applied with --update' },
  ];
}

/** CreateDeliveryStream and wait until ACTIVE; false when the stream already exists. */
async function createIfMissing(client: FirehoseClient, request: CreateDeliveryStreamInput, context: CliContext): Promise<boolean> {
  const { CreateDeliveryStreamCommand } = await import('@aws-sdk/client-firehose');
  const name = request.DeliveryStreamName as string;
  try {
    await client.send(new CreateDeliveryStreamCommand(request));
  } catch (error) {
    if ((error as { name?: string }).name === 'ResourceInUseException') return false;
    throw new FiatError('DELIVERY_FAILED', `CreateDeliveryStream ${name} failed: ${awsErrorMessage(error)}`, { cause: error });
  }
  context.stderr(`creating delivery stream ${name}\n`);
  await waitForStream(client, name, context, 'active');
  return true;
}

interface Reconcile {
  readonly client: FirehoseClient;
  readonly request: CreateDeliveryStreamInput;
  readonly update: boolean;
  readonly json: boolean;
  readonly context: CliContext;
  readonly logGroup: DeliveryLogGroupOutcome;
}

/** Compares the existing stream with the wanted one; prints the drift and applies it with --update. */
async function reconcile({ client, request, update, json, context, logGroup }: Reconcile): Promise<number> {
  const name = request.DeliveryStreamName as string;
  const description = await describeDeliveryStream(client, name);
  const differences = diffDeliveryStream(description, request);
  const report = (action: string, applied: boolean): void => {
    if (json) context.stdout(`${JSON.stringify({ action, deliveryStream: name, differences, logGroup, applied }, null, 2)}\n`);
  };
  if (differences.length === 0) {
    if (description.DeliveryStreamStatus !== 'ACTIVE') await waitForStream(client, name, context, 'active');
    report('unchanged', false);
    if (!json) context.stdout(`delivery stream ${name} exists and matches the definition\n`);
    return EXIT.OK;
  }
  if (!json) context.stdout(`delivery stream ${name} differs from the definition:\n${differences.map(differenceLine).join('\n')}\n`);
  if (differences.some((d) => !d.updatable)) {
    report('refused', false);
    context.stderr(`fiat create-stream: ${name} has differences no update call can apply\n`);
    return EXIT.FAILED;
  }
  if (!update) {
    report('drift', false);
    context.stderr(`fiat create-stream: ${name} drifted; run with --update to apply the differences\n`);
    return EXIT.FAILED;
  }
  await applyDifferences(client, request, differences, context);
  report('updated', true);
  if (!json) context.stdout(`updated delivery stream ${name} (${differences.length} change(s))\n`);
  return EXIT.OK;
}

function differenceLine(d: DestinationDifference): string {
  return `  ${d.field}: ${JSON.stringify(d.current)} → ${JSON.stringify(d.wanted)}${d.updatable ? '' : ' (cannot be updated; delete and recreate the stream)'}`;
}

/** UpdateDestination for destination fields, then Start/StopDeliveryStreamEncryption for encryption; waits for each to settle. */
async function applyDifferences(client: FirehoseClient, request: CreateDeliveryStreamInput, differences: readonly DestinationDifference[], context: CliContext): Promise<void> {
  const sdk = await import('@aws-sdk/client-firehose');
  const name = request.DeliveryStreamName as string;
  if (differences.some((d) => d.field !== ENCRYPTION_FIELD)) {
    const description = await describeDeliveryStream(client, name);
    try {
      await client.send(new sdk.UpdateDestinationCommand(updateDestinationRequest(description, request)));
    } catch (error) {
      throw new FiatError('DELIVERY_FAILED', `UpdateDestination ${name} failed: ${awsErrorMessage(error)}`, { cause: error });
    }
    await waitForStream(client, name, context, 'active');
  }
  if (differences.some((d) => d.field === ENCRYPTION_FIELD)) {
    const key = request.DeliveryStreamEncryptionConfigurationInput;
    try {
      if (key === undefined) await client.send(new sdk.StopDeliveryStreamEncryptionCommand({ DeliveryStreamName: name }));
      else await client.send(new sdk.StartDeliveryStreamEncryptionCommand({ DeliveryStreamName: name, DeliveryStreamEncryptionConfigurationInput: key }));
    } catch (error) {
      const operation = key === undefined ? 'StopDeliveryStreamEncryption' : 'StartDeliveryStreamEncryption';
      throw new FiatError('DELIVERY_FAILED', `${operation} ${name} failed: ${awsErrorMessage(error)}`, { cause: error });
    }
    await waitForStream(client, name, context, 'encryption');
  }
}
