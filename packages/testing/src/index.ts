export { readLakeRecords } from './lake.js';
export { FakeRequestError } from './http.js';
export type { FakeRequestErrorKind } from './http.js';
export type { LakeRecord } from './lake.js';
export { startFakeAthenaServer } from './athena/server.js';
export type { FakeAthenaServer, FakeAthenaServerOptions, FakeQueryExecution } from './athena/server.js';
export { parseStatement, FakeAthenaError } from './athena/statements.js';
export type { FakeColumn, FakeTable, FakeStatement } from './athena/statements.js';
export { createFakeFirehose, FakeFirehoseError } from './firehose/fake.js';
export type {
  FakeFirehose,
  FakeFirehoseOptions,
  FakeFirehoseFaults,
  FakeFirehoseCall,
  FakeDeliveryStream,
  FakeStoredRecord,
  FakeRecordErrorCode,
  FakeCommand,
} from './firehose/fake.js';
export { startFakeFirehoseServer } from './firehose/server.js';
export type { FakeFirehoseServer, FakeFirehoseServerOptions } from './firehose/server.js';
export { registerFiatMatchers } from './firehose/matchers.js';
export type { ExpectLike, RecordSource } from './firehose/matchers.js';
export { startFakeLogsServer } from './logs/server.js';
export type { FakeLogsServer, FakeLogsServerOptions } from './logs/server.js';
export { createFakeLogs, FakeLogsError } from './logs/fake.js';
export type { FakeLogs, FakeLogsOptions, FakeLogsCall, FakeLogGroup, FakeLogStream, FakeLogEvent } from './logs/fake.js';
export { startFakeIamServer } from './iam/server.js';
export type { FakeIamServer, FakeIamServerOptions } from './iam/server.js';
export { createFakeIam, FakeIamError } from './iam/fake.js';
export type { FakeIam, FakeIamOptions, FakeIamCall, FakeRole } from './iam/fake.js';
export type { FakeHttpEndpoint } from './httpServer.js';
export { startFakeS3Server } from './s3/server.js';
export type { FakeS3Server, FakeS3ServerOptions, FakeS3Request } from './s3/server.js';
export { writeChainedLake } from './chainedLake.js';
export type { ChainedLake, ChainedLakeOptions } from './chainedLake.js';
