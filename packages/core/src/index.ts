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
export { planFields } from './columnPlan.js';
export type { FieldPlan, ValuePlan } from './columnPlan.js';
export { valueSchema, objectSchema, INT64_STRING_PATTERN, MAX_SAFE_INTEGER } from './jsonSchema.js';
export type { JsonSchema, SchemaMode } from './jsonSchema.js';
export { athenaType, parseAthenaType } from './athenaType.js';
export type { Column } from './athenaType.js';
export {
  formatTimestamp,
  parseStoredTimestamp,
  isTimestampInput,
  STORED_TIMESTAMP_PATTERN,
  STORED_TIMESTAMP_REGEX,
  STORED_TIMESTAMP_DUCKDB_FORMAT,
  TIMESTAMP_INPUT_PATTERN,
} from './storedTimestamp.js';
export { toJsonText } from './encode.js';
export { validatorFromChecks } from './validator.js';
export { compileValidator, validatorModuleSource } from './compileValidator.js';
export type { RecordValidator, CompiledCheck } from './validator.js';
export { createStreamDefinition } from './stream.js';
export type { StreamDefinition, StreamParts } from './stream.js';
export { envelopeJson, envelopeFields, ENVELOPE_FIELDS, CHAIN_FIELDS, RESERVED_FIELD_NAMES } from './envelope.js';
export type { Envelope, Integrity } from './envelope.js';
export { MAX_RECORD_BYTES, MAX_JSON_DEPTH } from './limits.js';
export { snapshotJson } from './snapshot.js';
export type { JsonSnapshot, SnapshotOptions } from './snapshot.js';
export { isStreamDefinition } from './brand.js';
export { toWellFormed } from './unicode.js';
export type { StreamList, StreamNameOf, StreamFieldsOf } from './streamTypes.js';
export { defineStream } from './defineStream.js';
export type { DefineStreamOptions } from './defineStream.js';
export { DeadLetter, describeAsJson, DESCRIBE_MAX_BYTES } from './deadletter.js';
export type { DeadLetterFields, DescribeOptions } from './deadletter.js';
export { omittedValue, omittedString, omissionReason, isOmittedValue, isOmittedString, OMITTED_HASH_LIMIT_BYTES } from './omitted.js';
export type { OmittedMarker, OmittedReason } from './omitted.js';
export { walkJson } from './jsonWalk.js';
export type { JsonSink, JsonWalkOptions, JsonWalkResult, JsonRedactor } from './jsonWalk.js';
export { redact } from './redact/zod.js';
export type { RedactDeclaration } from './redact/zod.js';
export { Redaction } from './redact/Redaction.js';
export type { RedactionOptions } from './redact/Redaction.js';
export { REDACTED_MARKER, parseRedactAction, describeAction } from './redact/actions.js';
export type { RedactAction, RedactSpec } from './redact/actions.js';
export { SECRET_KEYS, describeRedaction, isWholeAction } from './redact/rules.js';
export type { RedactRule, FieldRule, FieldRedaction } from './redact/rules.js';
export { DETECTORS, createScrubber } from './redact/detectors.js';
export type { DetectorName, Scrubber } from './redact/detectors.js';
export { RedactionKey, resolveRedactionKey, REDACTION_KEY_ENV, HASH_TOKEN_PATTERN, MIN_REDACTION_KEY_BYTES } from './redact/key.js';
export { REDACT_KEYWORD } from './redact/schema.js';
export { REDACTION_DISABLED_WARNING } from './redact/loggerRedaction.js';
export type { RedactionLoggerOptions } from './redact/loggerRedaction.js';
export { ValidatedLog } from './ValidatedLog.js';
export type { LoggerOptions, LocalLoggerOptions, FirehoseLoggerOptions, LogEntry, LogOptions, LoggerStats } from './ValidatedLog.js';
export type { ChainOptions } from './chain/chainOptions.js';
export { DEFAULT_CHECKPOINT_EVERY, DEFAULT_CHECKPOINT_INTERVAL_MS } from './chain/LoggerChains.js';
// Types only: the Firehose transport itself is in '@fiat/core/firehose' (this module never imports it).
export type {
  FirehoseTransportOptions,
  FirehoseTransportStats,
  FirehoseCloseReport,
  FirehoseSendClient,
  FirehoseBatchClient,
  FirehoseClientSettings,
} from './firehose/options.js';
export type { Transport, TransportRecord, TransportStats, CloseReport } from './transport.js';
export { registerTransportFactory, registeredTransportFactory } from './transportFactory.js';
export type { TransportFactory } from './transportFactory.js';
export {
  createLocalTransport,
  resolveLakeDir,
  lakeObjectKey,
  writeLakeFile,
  DEFAULT_LAKE_DIR,
  DEFAULT_LOCAL_BUFFER_BYTES,
  DEFAULT_LOCAL_BUFFER_INTERVAL_MS,
  DEFAULT_LOCAL_MAX_BUFFER_BYTES,
} from './transports/local.js';
export type { LocalTransportOptions, LocalTransport, LocalTransportStats, LocalCloseReport } from './transports/local.js';
export { duckdbType, sqlString, TRINO_COMPAT_MACROS } from './duckdb.js';
export { uuidv7 } from './uuid.js';
export { getStringFromEnv } from './env.js';
export { resolveDataDir, isAwsLambda, DATA_DIRS } from './dataDirs.js';
export type { DataDirContext, DataDirName } from './dataDirs.js';
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
