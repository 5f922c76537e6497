export { readLakeRecords } from './lake.js';
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
