export { main, EXIT } from './cli.js';
export type { CliContext } from './cli.js';
export { loadConfig } from './config.js';
export type { FiatConfig } from './config.js';
export { openLocalLake, localViewSql, LocalLake } from './localLake.js';
export type { LakeStream, QueryResult } from './localLake.js';
export { collectStreams, findStream } from './streams.js';
export { formatTable } from './format.js';
export { DEFAULT_BUFFER_SIZE_MB, DEFAULT_BUFFER_INTERVAL_SECONDS } from './config.js';
export { DEFAULT_PROJECTION_RANGE, PROJECTION_RANGE, projectionRange } from './athena/projectionRange.js';
export { S3_BUCKET_NAME, IAM_ROLE_ARN, AWS_REGION_NAME, assertBucketName, assertRoleArn, assertRegion } from './awsNames.js';
export type { ConfigFlags } from './config.js';
export {
  createTableDdl,
  createDatabaseDdl,
  addColumnsDdl,
  describeTableSql,
  showTablesSql,
  parseDescribeRows,
  diffColumns,
  refusalReasons,
  checkDdlInputs,
  ddlIdentifier,
  ddlType,
  normalizeType,
  tableLocation,
  HIVE_JSON_SERDE,
  OPENX_JSON_SERDE,
} from './athena/ddl.js';
export type { TableDdlOptions, DdlStream, ColumnDiff } from './athena/ddl.js';
export { AthenaRunner, clientRequestToken } from './athena/runner.js';
export type { AthenaRunnerOptions, QueryExecutionSummary, AthenaQueryResult } from './athena/runner.js';
export {
  createDeliveryStreamRequest,
  extendedS3Destination,
  diffDeliveryStream,
  updateDestinationRequest,
  errorOutputPrefix,
  deliveryLogGroup,
  DELIVERY_LOG_STREAM,
} from './firehose/deliveryStream.js';
export type { DeliveryStreamOptions, DestinationDifference } from './firehose/deliveryStream.js';
export { deliveryStreamEncryptionInput, diffEncryption, ENCRYPTION_FIELD } from './firehose/encryption.js';
export { describeDeliveryStream, waitForStream } from './firehose/waitForStream.js';
export type { StreamCondition } from './firehose/waitForStream.js';
export { ensureDeliveryLogGroup, deliveryLogGroupCalls } from './logs/deliveryLogGroup.js';
export type { DeliveryLogGroupOutcome } from './logs/deliveryLogGroup.js';
export { iamDocuments, deliveryStreamArn, TRUST_STATEMENT_SID } from './iam.js';
export type { IamDocuments, IamOptions, PolicyDocument } from './iam.js';
export { applyDeliveryRole, deliveryRoleCalls, deliveryRolePolicyName, mergeTrustPolicy, roleNameOf } from './deliveryRole.js';
export type { DeliveryRoleOutcome, DeliveryRoleTarget } from './deliveryRole.js';
export { formatPlan } from './plan.js';
export type { PlannedCall } from './plan.js';
export { splitStatements } from './query/statements.js';
export type { SqlStatements } from './query/statements.js';
export { editDistance, nearestTable, missingTableHint } from './query/suggest.js';
export { pollUntil } from './wait.js';
export type { PollOptions, PollOutcome } from './wait.js';
export { sampleRecord } from './sample.js';
export type { SampleOptions } from './sample.js';
export { awsClientConfig, createAthenaClient, createFirehoseClient, createLogsClient, createIamClient } from './aws.js';
export type { AwsService } from './aws.js';
