export { FiatError, isFiatError, formatIssues, FIAT_ERROR_CODES } from './errors.js';
export type { FiatErrorCode, FiatIssue, FiatErrorOptions } from './errors.js';
export {
  resolveStreamNames,
  assertAthenaIdentifier,
  assertStreamName,
  toSnakeCase,
  reservedNameProblem,
  PARTITION_COLUMN,
} from './names.js';
export type { StreamNames, StreamNameOverrides } from './names.js';
export {
  athenaType,
  parseAthenaType,
  planFields,
  valueSchema,
  objectSchema,
  STORED_TIMESTAMP_PATTERN,
  TIMESTAMP_INPUT_PATTERN,
  INT64_STRING_PATTERN,
  MAX_SAFE_INTEGER,
} from './columns.js';
export type { Column, FieldPlan, ValuePlan, JsonSchema, SchemaMode } from './columns.js';
export { formatTimestamp, toJsonText, isTimestampInput } from './encode.js';
export { compileValidator, validatorFromChecks, validatorModuleSource, validatorRuntimeRequire } from './validator.js';
export type { RecordValidator, CompiledCheck } from './validator.js';
export { createStreamDefinition } from './stream.js';
export type { StreamDefinition, StreamParts } from './stream.js';
export { envelopeJson, ENVELOPE_FIELDS, RESERVED_FIELD_NAMES } from './envelope.js';
export type { Envelope } from './envelope.js';
export { MAX_RECORD_BYTES, MAX_JSON_DEPTH } from './limits.js';
export { snapshotJson } from './snapshot.js';
export type { JsonSnapshot, SnapshotOptions } from './snapshot.js';
export { isStreamDefinition } from './brand.js';
export { toWellFormed } from './unicode.js';
export { defineStream } from './defineStream.js';
export type { DefineStreamOptions } from './defineStream.js';
export { DeadLetter, describeAsJson } from './deadletter.js';
export type { DeadLetterFields } from './deadletter.js';
export { ValidatedLog } from './ValidatedLog.js';
export type { LoggerOptions, LocalLoggerOptions, FirehoseLoggerOptions, LogEntry, LoggerStats } from './ValidatedLog.js';
// Types only: the Firehose transport itself is in '@fiat/core/firehose'.
export type { FirehoseTransportOptions, FirehoseTransportStats, FirehoseCloseReport, FirehoseSendClient, FirehoseClientSettings } from './transports/firehose.js';
export type { Transport, TransportRecord, TransportStats, CloseReport } from './transport.js';
export {
  createLocalTransport,
  resolveLakeDir,
  lakeObjectKey,
  writeLakeFile,
  DEFAULT_LAKE_DIR,
  DEFAULT_LOCAL_BUFFER_BYTES,
  DEFAULT_LOCAL_BUFFER_INTERVAL_MS,
} from './transports/local.js';
export type { LocalTransportOptions } from './transports/local.js';
export { duckdbType, sqlString, TRINO_COMPAT_MACROS } from './duckdb.js';
export { uuidv7 } from './uuid.js';
export { getStringFromEnv } from './env.js';
