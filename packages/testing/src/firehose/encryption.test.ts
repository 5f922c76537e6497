import {
  CreateDeliveryStreamCommand,
  DescribeDeliveryStreamCommand,
  FirehoseClient,
  StartDeliveryStreamEncryptionCommand,
  StopDeliveryStreamEncryptionCommand,
} from '@aws-sdk/client-firehose';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFakeFirehoseServer, type FakeFirehoseServer } from './server.js';

let server: FakeFirehoseServer;
let client: FirehoseClient;
const key = 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';

beforeEach(async () => {
  server = await startFakeFirehoseServer({ port: 0 });
  client = new FirehoseClient({ endpoint: server.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'AKIDFAKE', secretAccessKey: 'fake' } });
});
afterEach(async () => {
  client.destroy();
  await server.close();
});

const destination = { RoleARN: 'arn:aws:iam::123456789012:role/fiat', BucketARN: 'arn:aws:s3:::acme-lake' };

async function encryption(): Promise<unknown> {
  return (await client.send(new DescribeDeliveryStreamCommand({ DeliveryStreamName: 'fiat-audit' }))).DeliveryStreamDescription?.DeliveryStreamEncryptionConfiguration;
}

describe('the fake Firehose: server-side encryption at rest', () => {
  it('carries the create request encryption into Describe, and Start/Stop change it', async () => {
    // Act
    await client.send(new CreateDeliveryStreamCommand({ DeliveryStreamName: 'fiat-audit', DeliveryStreamEncryptionConfigurationInput: { KeyType: 'AWS_OWNED_CMK' }, ExtendedS3DestinationConfiguration: destination }));
    const created = await encryption();
    await client.send(new StopDeliveryStreamEncryptionCommand({ DeliveryStreamName: 'fiat-audit' }));
    const stopped = await encryption();
    await client.send(new StartDeliveryStreamEncryptionCommand({ DeliveryStreamName: 'fiat-audit', DeliveryStreamEncryptionConfigurationInput: { KeyType: 'CUSTOMER_MANAGED_CMK', KeyARN: key } }));
    const customer = await encryption();
    // Assess
    expect(created).toEqual({ KeyType: 'AWS_OWNED_CMK', Status: 'ENABLED' });
    expect(stopped).toEqual({ Status: 'DISABLED' });
    expect(customer).toEqual({ KeyType: 'CUSTOMER_MANAGED_CMK', KeyARN: key, Status: 'ENABLED' });
  });

  it('refuses a customer key type without a key ARN', async () => {
    const refused = client.send(
      new CreateDeliveryStreamCommand({ DeliveryStreamName: 'fiat-audit', DeliveryStreamEncryptionConfigurationInput: { KeyType: 'CUSTOMER_MANAGED_CMK' }, ExtendedS3DestinationConfiguration: destination }),
    );
    await expect(refused).rejects.toMatchObject({ name: 'InvalidArgumentException', message: 'KeyARN is required when KeyType is CUSTOMER_MANAGED_CMK' });
    expect(server.fake.streams.size).toBe(0);
  });
});
