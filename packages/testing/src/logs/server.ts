// Owns the HTTP face of the fake CloudWatch Logs: AWS JSON 1.1 (`X-Amz-Target: Logs_20140328.<Operation>`).
import { startFakeHttpEndpoint, type FakeHttpAnswer, type FakeHttpEndpoint } from '../httpServer.js';
import { createFakeLogs, FakeLogsError, type FakeLogs, type FakeLogsOptions } from './fake.js';

const TARGET_PREFIX = 'Logs_20140328.';

/** Options of {@link startFakeLogsServer}. */
export interface FakeLogsServerOptions extends FakeLogsOptions {
  /** Port to listen on. Default: 0 (any free port). */
  readonly port?: number;
  /** Host to listen on. Default: `'127.0.0.1'`. */
  readonly host?: string;
}

/** A running fake CloudWatch Logs. */
export interface FakeLogsServer extends FakeHttpEndpoint {
  /** The in-memory fake behind it: groups, streams, events, calls. */
  readonly fake: FakeLogs;
}

function json(status: number, body: unknown, errorType?: string): FakeHttpAnswer {
  return {
    status,
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': `fake-${Date.now().toString(36)}`, ...(errorType !== undefined ? { 'x-amzn-errortype': errorType } : {}) },
    body: JSON.stringify(body),
  };
}

/**
 * Starts a fake CloudWatch Logs on 127.0.0.1 that the real `@aws-sdk/client-cloudwatch-logs` talks to
 * through `endpoint`: `CreateLogGroup`, `CreateLogStream`, `DescribeLogGroups`, `DescribeLogStreams`,
 * `DeleteLogGroup`, `PutLogEvents`, `GetLogEvents`, with AWS's error types.
 *
 * @example
 * ```ts
 * const logs = await startFakeLogsServer();
 * const client = new CloudWatchLogsClient({ endpoint: logs.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
 * await client.send(new CreateLogGroupCommand({ logGroupName: '/aws/kinesisfirehose/fiat-audit' }));
 * logs.fake.groups.has('/aws/kinesisfirehose/fiat-audit'); // true
 * await logs.close();
 * ```
 */
export async function startFakeLogsServer(options: FakeLogsServerOptions = {}): Promise<FakeLogsServer> {
  const fake = createFakeLogs(options);
  const endpoint = await startFakeHttpEndpoint((request, body) => {
    const target = String(request.headers['x-amz-target'] ?? '');
    if (request.method !== 'POST' || !target.startsWith(TARGET_PREFIX)) {
      return json(400, { __type: 'UnknownOperationException', message: `unsupported request ${request.method} ${target}` }, 'UnknownOperationException');
    }
    let input: Record<string, unknown>;
    try {
      input = body === '' ? {} : (JSON.parse(body) as Record<string, unknown>);
    } catch {
      return json(400, { __type: 'SerializationException', message: 'request body is not JSON' }, 'SerializationException');
    }
    try {
      return json(200, fake.handle(target.slice(TARGET_PREFIX.length), input));
    } catch (error) {
      if (!(error instanceof FakeLogsError)) throw error;
      return json(400, { __type: error.name, message: error.message }, error.name);
    }
  }, options);
  return { ...endpoint, fake };
}
