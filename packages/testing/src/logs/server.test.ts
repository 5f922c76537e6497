import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  DescribeLogGroupsCommand,
  DescribeLogStreamsCommand,
  GetLogEventsCommand,
  PutLogEventsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFakeLogsServer, type FakeLogsServer } from './server.js';

let server: FakeLogsServer;
let client: CloudWatchLogsClient;

beforeEach(async () => {
  server = await startFakeLogsServer({ region: 'eu-west-1' });
  client = new CloudWatchLogsClient({ endpoint: server.endpoint, region: 'eu-west-1', credentials: { accessKeyId: 'AKIDFAKE', secretAccessKey: 'fake' } });
});
afterEach(async () => {
  client.destroy();
  await server.close();
});

async function rejection(promise: Promise<unknown>): Promise<{ name: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    return error as { name: string; message: string };
  }
  throw new Error('expected the call to fail');
}

describe('the fake CloudWatch Logs server with the real SDK client', () => {
  it('creates a log group and a log stream, then answers ResourceAlreadyExistsException', async () => {
    // Prepare
    const logGroupName = '/aws/kinesisfirehose/fiat-audit';
    // Act
    await client.send(new CreateLogGroupCommand({ logGroupName }));
    await client.send(new CreateLogStreamCommand({ logGroupName, logStreamName: 'S3Delivery' }));
    const again = await rejection(client.send(new CreateLogGroupCommand({ logGroupName })));
    const streamAgain = await rejection(client.send(new CreateLogStreamCommand({ logGroupName, logStreamName: 'S3Delivery' })));
    const groups = await client.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: '/aws/kinesisfirehose/' }));
    const streams = await client.send(new DescribeLogStreamsCommand({ logGroupName }));
    // Assess
    expect(again.name).toBe('ResourceAlreadyExistsException');
    expect(streamAgain).toMatchObject({ name: 'ResourceAlreadyExistsException', message: 'The specified log stream already exists' });
    expect(groups.logGroups?.map((g) => [g.logGroupName, g.arn])).toEqual([[logGroupName, `arn:aws:logs:eu-west-1:123456789012:log-group:${logGroupName}:*`]]);
    expect(streams.logStreams?.map((s) => s.logStreamName)).toEqual(['S3Delivery']);
    expect(server.fake.calls.map((c) => `${c.operation}:${c.outcome}`)).toEqual([
      'CreateLogGroup:ok',
      'CreateLogStream:ok',
      'CreateLogGroup:ResourceAlreadyExistsException',
      'CreateLogStream:ResourceAlreadyExistsException',
      'DescribeLogGroups:ok',
      'DescribeLogStreams:ok',
    ]);
  });

  it('refuses a log stream in a missing group and a bad group name', async () => {
    const missing = await rejection(client.send(new CreateLogStreamCommand({ logGroupName: 'nope', logStreamName: 'S3Delivery' })));
    const bad = await rejection(client.send(new CreateLogGroupCommand({ logGroupName: 'has space' })));
    expect(missing).toMatchObject({ name: 'ResourceNotFoundException', message: 'The specified log group does not exist.' });
    expect(bad.name).toBe('InvalidParameterException');
    expect(server.fake.groups.size).toBe(0);
  });

  it('stores and returns log events', async () => {
    await client.send(new CreateLogGroupCommand({ logGroupName: 'g' }));
    await client.send(new CreateLogStreamCommand({ logGroupName: 'g', logStreamName: 's' }));
    await client.send(new PutLogEventsCommand({ logGroupName: 'g', logStreamName: 's', logEvents: [{ timestamp: 1_700_000_000_000, message: 'S3.AccessDenied' }] }));
    const out = await client.send(new GetLogEventsCommand({ logGroupName: 'g', logStreamName: 's' }));
    expect(out.events?.map((e) => [e.timestamp, e.message])).toEqual([[1_700_000_000_000, 'S3.AccessDenied']]);
  });
});
