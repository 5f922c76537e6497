export { createFakeFirehose, FakeFirehoseError } from './fake.js';
export type {
  FakeFirehose,
  FakeFirehoseOptions,
  FakeFirehoseFaults,
  FakeFirehoseCall,
  FakeDeliveryStream,
  FakeStoredRecord,
  FakeRecordErrorCode,
  FakeCommand,
} from './fake.js';
export { startFakeFirehoseServer } from './server.js';
export { FakeRequestError } from '../http.js';
export type { FakeRequestErrorKind } from '../http.js';
export type { FakeFirehoseServer, FakeFirehoseServerOptions } from './server.js';
export { registerFiatMatchers } from './matchers.js';
export type { ExpectLike, RecordSource } from './matchers.js';
