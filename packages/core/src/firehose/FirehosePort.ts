// Owns how the transport reaches Firehose: one method, putRecordBatch(input, signal), over an injected
// client (called without ever importing the AWS SDK when it has putRecordBatch) or over a FirehoseClient
// built from clientConfig (the SDK is imported lazily, on the first call, and only then).
import type * as FirehoseSdk from '@aws-sdk/client-firehose';
import { FiatError } from '../errors.js';
import type {
  FirehoseBatchClient,
  FirehoseClientSettings,
  FirehoseSendClient,
  FirehoseTransportOptions,
  PutRecordBatchInput,
  PutRecordBatchOutput,
} from './options.js';

/**
 * The one Firehose operation the transport needs. Implemented over the AWS SDK, over an injected
 * client, or by `@fiat/testing`'s fake.
 *
 * @example
 * ```ts
 * const port = createFirehosePort({ client: createFakeFirehose() });
 * await port.putRecordBatch({ DeliveryStreamName: 'fiat-audit', Records: [{ Data: Buffer.from('{}\n') }] }, signal);
 * ```
 */
export interface FirehosePort {
  putRecordBatch(input: PutRecordBatchInput, signal: AbortSignal): Promise<PutRecordBatchOutput>;
}

type SdkModule = typeof FirehoseSdk;
let sdkPromise: Promise<SdkModule> | undefined;

/** Imports `@aws-sdk/client-firehose` once; `CONFIG_INVALID` saying what to install when it is missing. */
function loadSdk(why: string): Promise<SdkModule> {
  sdkPromise ??= import('@aws-sdk/client-firehose');
  return sdkPromise.catch((error: unknown) => {
    sdkPromise = undefined;
    if ((error as { code?: string }).code !== 'ERR_MODULE_NOT_FOUND') throw error;
    throw new FiatError('CONFIG_INVALID', `${why} needs @aws-sdk/client-firehose: npm i @aws-sdk/client-firehose`, { cause: error });
  });
}

/** True for an AWS SDK v3 client (it has the SDK's middleware stack and resolved config). */
function isSdkClient(client: object): boolean {
  const c = client as { middlewareStack?: unknown; config?: unknown };
  return typeof c.middlewareStack === 'object' && c.middlewareStack !== null && typeof c.config === 'object';
}

/** Over a client with the aggregated `putRecordBatch` (the SDK's `Firehose`, the fake): no SDK import at all. */
function batchClientPort(client: FirehoseBatchClient): FirehosePort {
  return { putRecordBatch: (input, signal) => client.putRecordBatch(input, { abortSignal: signal }) };
}

/**
 * Over a `FirehoseClient` (only `send`): the command class must come from the SDK, the module the
 * client itself came from (already loaded, so importing it again costs nothing).
 */
function sdkSendPort(client: FirehoseSendClient): FirehosePort {
  return {
    async putRecordBatch(input, signal) {
      const sdk = await loadSdk('a FirehoseClient given as client (pass new Firehose(…) to avoid it)');
      return client.send(new sdk.PutRecordBatchCommand(input as FirehoseSdk.PutRecordBatchCommandInput), { abortSignal: signal });
    },
  };
}

/** Over any other `send` (a mock): a plain command naming its operation, never an SDK class. */
function plainSendPort(client: FirehoseSendClient): FirehosePort {
  return { putRecordBatch: (input, signal) => client.send({ operation: 'PutRecordBatch', input }, { abortSignal: signal }) };
}

/** Builds a `FirehoseClient` from `clientConfig` on the first call; the SDK is imported then and only then. */
function configPort(clientConfig: FirehoseClientSettings): FirehosePort {
  let built: Promise<{ client: FirehoseSdk.FirehoseClient; sdk: SdkModule }> | undefined;
  return {
    async putRecordBatch(input, signal) {
      built ??= loadSdk('option clientConfig').then((sdk) => ({
        sdk,
        client: new sdk.FirehoseClient({ maxAttempts: 1, ...clientConfig } as FirehoseSdk.FirehoseClientConfig),
      }));
      const { client, sdk } = await built.catch((error: unknown) => {
        built = undefined;
        throw error;
      });
      return client.send(new sdk.PutRecordBatchCommand(input as FirehoseSdk.PutRecordBatchCommandInput), { abortSignal: signal });
    },
  };
}

/**
 * The port for the transport's `client` or `clientConfig`:
 * - a client with `putRecordBatch` (the SDK's `Firehose`, `createFakeFirehose()`) is called directly;
 * - an SDK `FirehoseClient` gets `PutRecordBatchCommand` from `@aws-sdk/client-firehose`;
 * - any other `send` gets a plain `{ operation: 'PutRecordBatch', input }` command;
 * - `clientConfig` builds a `FirehoseClient` (with `maxAttempts: 1`) on the first call.
 *
 * @example
 * ```ts
 * const port = createFirehosePort({ clientConfig: { region: 'eu-west-1' } }); // no SDK loaded yet
 * ```
 */
export function createFirehosePort(options: Pick<FirehoseTransportOptions, 'client' | 'clientConfig'>): FirehosePort {
  const client = options.client as (Partial<FirehoseBatchClient> & Partial<FirehoseSendClient>) | undefined;
  if (client === undefined) return configPort(options.clientConfig ?? {});
  if (typeof client.putRecordBatch === 'function') return batchClientPort(client as FirehoseBatchClient);
  return isSdkClient(client) ? sdkSendPort(client as FirehoseSendClient) : plainSendPort(client as FirehoseSendClient);
}
