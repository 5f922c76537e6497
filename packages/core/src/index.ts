export { FiatError, isFiatError, formatIssues, FIAT_ERROR_CODES } from './errors.js';
export type { FiatErrorCode, FiatIssue, FiatErrorOptions } from './errors.js';
export {
  resolveStreamNames,
  assertAthenaIdentifier,
  assertStreamName,
  toSnakeCase,
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
} from './columns.js';
export type { Column, FieldPlan, ValuePlan, JsonSchema, SchemaMode } from './columns.js';
export { formatTimestamp, toJsonText, isTimestampInput } from './encode.js';
export { compileValidator, validatorFromChecks, validatorModuleSource, validatorRuntimeRequire } from './validator.js';
export type { RecordValidator, CompiledCheck } from './validator.js';
export {
  createStreamDefinition,
  envelopeJson,
  ENVELOPE_FIELDS,
  RESERVED_FIELD_NAMES,
  MAX_RECORD_BYTES,
} from './stream.js';
export type { StreamDefinition, StreamParts, Envelope } from './stream.js';
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
export { ChainWriter } from './chain/ChainWriter.js';
export type { ChainWriterOptions, ChainResume } from './chain/ChainWriter.js';
export { chainHash, sha256Hex, splitSealedLine, GENESIS_HASH, CHAIN_MEMBERS_MAX_BYTES } from './chain/hash.js';
export type { SealedParts } from './chain/hash.js';
export { createChainSigner, checkpointMessage, hmacKeyId, ed25519KeyId, CHAIN_KEY_ENV, UNSIGNED } from './chain/signing.js';
export type { ChainSigner, ChainSignerOptions, CheckpointClaims, SignatureAlg } from './chain/signing.js';
export { ChainKeyring } from './chain/keyring.js';
export type { ChainKeys, SignatureVerdict } from './chain/keyring.js';
export { FiatCheckpoint } from './chain/checkpointStream.js';
export type { CheckpointFields } from './chain/checkpointStream.js';
export { ChainVerifier } from './chain/verify/ChainVerifier.js';
export type { ChainVerifierOptions, StoredChunk, Lookback } from './chain/verify/ChainVerifier.js';
export { verifyChains } from './chain/verify/verifyChains.js';
export type { ChainInput } from './chain/verify/verifyChains.js';
export { describeChainFinding } from './chain/verify/report.js';
export type { ChainFinding, ChainReport, LineFinding, LineLocation, StreamReport, VerifyReport } from './chain/verify/report.js';
