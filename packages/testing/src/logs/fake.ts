// Owns the state and operations of the fake CloudWatch Logs: log groups, log streams, events.

/**
 * An error as CloudWatch Logs answers it: `name` is the AWS error type.
 *
 * @example
 * ```ts
 * throw new FakeLogsError('ResourceAlreadyExistsException', 'The specified log group already exists');
 * ```
 */
export class FakeLogsError extends Error {
  constructor(name: string, message: string) {
    super(message);
    this.name = name;
  }
}

/** One log event held by the fake. */
export interface FakeLogEvent {
  readonly timestamp: number;
  readonly message: string;
  readonly ingestionTime: number;
}

/** A log stream held by the fake. */
export interface FakeLogStream {
  readonly logStreamName: string;
  readonly creationTime: number;
  readonly events: FakeLogEvent[];
}

/** A log group held by the fake. */
export interface FakeLogGroup {
  readonly logGroupName: string;
  readonly arn: string;
  readonly creationTime: number;
  readonly streams: Map<string, FakeLogStream>;
}

/** One call the fake received: operation, input, and `ok` or the error name. */
export interface FakeLogsCall {
  readonly operation: string;
  readonly input: Readonly<Record<string, unknown>>;
  readonly outcome: string;
}

/** Options of {@link createFakeLogs}. */
export interface FakeLogsOptions {
  /** AWS account id in ARNs. Default: `'123456789012'`. */
  readonly accountId?: string;
  /** Region in ARNs. Default: `'us-east-1'`. */
  readonly region?: string;
}

/** An in-memory CloudWatch Logs (the part Fiat and its users need). */
export interface FakeLogs {
  /** Runs an operation (`CreateLogGroup`, …) with its JSON input; throws {@link FakeLogsError}. */
  handle(operation: string, input: Record<string, unknown>): Record<string, unknown>;
  /** The log groups, by name. */
  readonly groups: ReadonlyMap<string, FakeLogGroup>;
  /** The calls received, in order. */
  readonly calls: readonly FakeLogsCall[];
}

const GROUP_NAME = /^[.\-_/#A-Za-z0-9]{1,512}$/;
const STREAM_NAME = /^[^:*]{1,512}$/;

function text(input: Record<string, unknown>, key: string, pattern: RegExp): string {
  const value = input[key];
  if (typeof value !== 'string' || !pattern.test(value)) {
    throw new FakeLogsError('InvalidParameterException', `1 validation error detected: Value '${String(value)}' at '${key}' failed to satisfy constraint: Member must satisfy regular expression pattern: ${pattern.source}`);
  }
  return value;
}

type Operations = Record<string, (input: Record<string, unknown>) => Record<string, unknown>>;

function findGroup(groups: Map<string, FakeLogGroup>, input: Record<string, unknown>): FakeLogGroup {
  const found = groups.get(text(input, 'logGroupName', GROUP_NAME));
  if (found === undefined) throw new FakeLogsError('ResourceNotFoundException', 'The specified log group does not exist.');
  return found;
}

function findStream(groups: Map<string, FakeLogGroup>, input: Record<string, unknown>): FakeLogStream {
  const found = findGroup(groups, input).streams.get(text(input, 'logStreamName', STREAM_NAME));
  if (found === undefined) throw new FakeLogsError('ResourceNotFoundException', 'The specified log stream does not exist.');
  return found;
}

function groupOperations(groups: Map<string, FakeLogGroup>, arnPrefix: string): Operations {
  return {
    CreateLogGroup(input) {
      const name = text(input, 'logGroupName', GROUP_NAME);
      if (groups.has(name)) throw new FakeLogsError('ResourceAlreadyExistsException', 'The specified log group already exists');
      groups.set(name, { logGroupName: name, arn: `${arnPrefix}${name}:*`, creationTime: Date.now(), streams: new Map() });
      return {};
    },
    DeleteLogGroup(input) {
      groups.delete(findGroup(groups, input).logGroupName);
      return {};
    },
    DescribeLogGroups(input) {
      const prefix = typeof input.logGroupNamePrefix === 'string' ? input.logGroupNamePrefix : '';
      const logGroups = [...groups.values()]
        .filter((g) => g.logGroupName.startsWith(prefix))
        .sort((a, b) => a.logGroupName.localeCompare(b.logGroupName))
        .map((g) => ({ logGroupName: g.logGroupName, arn: g.arn, creationTime: g.creationTime, storedBytes: 0, metricFilterCount: 0 }));
      return { logGroups };
    },
  };
}

function streamOperations(groups: Map<string, FakeLogGroup>): Operations {
  return {
    CreateLogStream(input) {
      const target = findGroup(groups, input);
      const name = text(input, 'logStreamName', STREAM_NAME);
      if (target.streams.has(name)) throw new FakeLogsError('ResourceAlreadyExistsException', 'The specified log stream already exists');
      target.streams.set(name, { logStreamName: name, creationTime: Date.now(), events: [] });
      return {};
    },
    DescribeLogStreams(input) {
      const prefix = typeof input.logStreamNamePrefix === 'string' ? input.logStreamNamePrefix : '';
      const target = findGroup(groups, input);
      const logStreams = [...target.streams.values()]
        .filter((s) => s.logStreamName.startsWith(prefix))
        .sort((a, b) => a.logStreamName.localeCompare(b.logStreamName))
        .map((s) => ({ logStreamName: s.logStreamName, creationTime: s.creationTime, arn: `${target.arn.slice(0, -2)}:log-stream:${s.logStreamName}`, storedBytes: 0 }));
      return { logStreams };
    },
    PutLogEvents(input) {
      const target = findStream(groups, input);
      const events = Array.isArray(input.logEvents) ? (input.logEvents as { timestamp?: unknown; message?: unknown }[]) : [];
      const now = Date.now();
      for (const e of events) target.events.push({ timestamp: Number(e.timestamp), message: String(e.message), ingestionTime: now });
      return { nextSequenceToken: String(target.events.length) };
    },
    GetLogEvents(input) {
      return { events: findStream(groups, input).events.map((e) => ({ ...e })) };
    },
  };
}

/**
 * Creates an in-memory CloudWatch Logs with `CreateLogGroup`, `CreateLogStream`, `DescribeLogGroups`,
 * `DescribeLogStreams`, `DeleteLogGroup`, `PutLogEvents` and `GetLogEvents`, answering with AWS's
 * errors (`ResourceAlreadyExistsException`, `ResourceNotFoundException`, `InvalidParameterException`).
 *
 * @example
 * ```ts
 * const logs = createFakeLogs();
 * logs.handle('CreateLogGroup', { logGroupName: '/aws/kinesisfirehose/fiat-audit' });
 * logs.groups.has('/aws/kinesisfirehose/fiat-audit'); // true
 * ```
 */
export function createFakeLogs(options: FakeLogsOptions = {}): FakeLogs {
  const groups = new Map<string, FakeLogGroup>();
  const calls: FakeLogsCall[] = [];
  const arnPrefix = `arn:aws:logs:${options.region ?? 'us-east-1'}:${options.accountId ?? '123456789012'}:log-group:`;
  const operations: Operations = { ...groupOperations(groups, arnPrefix), ...streamOperations(groups) };
  return {
    handle(operation, input) {
      const run = Object.hasOwn(operations, operation) ? operations[operation] : undefined;
      try {
        if (run === undefined) throw new FakeLogsError('UnknownOperationException', `The fake CloudWatch Logs does not implement ${operation}`);
        const output = run(input);
        calls.push({ operation, input, outcome: 'ok' });
        return output;
      } catch (error) {
        calls.push({ operation, input, outcome: (error as Error).name });
        throw error;
      }
    },
    groups,
    calls,
  };
}
