// The '@fiat/core/firehose' subpath: the Firehose transport's public API. Importing it registers the
// 'firehose' transport for ValidatedLog.configure('firehose', …); the AWS SDK is not loaded here.
import { registerTransportFactory, type TransportFactory } from '../transportFactory.js';
import { createFirehoseTransport } from './FirehoseTransport.js';
import { FIREHOSE_TRANSPORT_OPTION_KEYS, type FirehoseTransportOptions } from './options.js';

/**
 * The Firehose transport as a factory: pass it to `ValidatedLog.configure` (options are routed by
 * {@link FIREHOSE_TRANSPORT_OPTION_KEYS}). Importing this module also registers it as `'firehose'`.
 *
 * @example
 * ```ts
 * import { firehoseTransport } from '@fiat/core/firehose';
 * const logger = ValidatedLog.configure(firehoseTransport, { app: 'shop', email: 'a@b.c', streams: [Audit], client: fake });
 * ```
 */
export const firehoseTransport: TransportFactory<FirehoseTransportOptions> = {
  kind: 'firehose',
  optionKeys: FIREHOSE_TRANSPORT_OPTION_KEYS,
  create: createFirehoseTransport,
};
registerTransportFactory(firehoseTransport);

export { createFirehoseTransport } from './FirehoseTransport.js';
export { replaySpool } from './replaySpool.js';
export type { ReplayReport, ReplaySpoolOptions, ReplayedFile } from './replaySpool.js';
export type { SpoolRecordCheck } from './checkSpoolLines.js';
export { withFlush } from './withFlush.js';
export { resolveSpoolDir } from './Spool.js';
export {
  FIREHOSE_MAX_BATCH_RECORDS,
  FIREHOSE_MAX_BATCH_BYTES,
  FIREHOSE_MAX_RECORD_BYTES,
  FIREHOSE_BILLING_STEP_BYTES,
  FIREHOSE_TRANSPORT_OPTION_KEYS,
  DEFAULT_PACKED_RECORD_BYTES,
  DEFAULT_FIREHOSE_FLUSH_INTERVAL_MS,
  DEFAULT_MAX_BUFFER_BYTES,
  DEFAULT_SPOOL_DIR,
} from './options.js';
export type {
  FirehoseTransport,
  FirehoseTransportOptions,
  FirehoseTransportBaseOptions,
  FirehoseTransportStats,
  FirehoseCloseReport,
  FirehoseClientSettings,
  FirehoseRetryOptions,
  FirehoseSendClient,
  FirehoseBatchClient,
  PutRecordBatchInput,
  PutRecordBatchOutput,
} from './options.js';
export type { FirehoseLoggerOptions } from '../ValidatedLog.js';
