export {
  createFirehoseTransport,
  replaySpool,
  withFlush,
  billedBytesOf,
  backoffDelay,
  classifyFirehoseError,
  resolveSpoolDir,
  FIREHOSE_MAX_BATCH_RECORDS,
  FIREHOSE_MAX_BATCH_BYTES,
  FIREHOSE_BILLING_STEP_BYTES,
  DEFAULT_PACKED_RECORD_BYTES,
  DEFAULT_FIREHOSE_FLUSH_INTERVAL_MS,
  DEFAULT_MAX_BUFFER_BYTES,
  DEFAULT_SPOOL_DIR,
} from './transports/firehose.js';
export type {
  FirehoseTransport,
  FirehoseTransportOptions,
  FirehoseTransportBaseOptions,
  FirehoseTransportStats,
  FirehoseCloseReport,
  FirehoseClientSettings,
  FirehoseRetryOptions,
  FirehoseSendClient,
  ReplayReport,
  ReplaySpoolOptions,
} from './transports/firehose.js';
export type { FirehoseLoggerOptions } from './ValidatedLog.js';
