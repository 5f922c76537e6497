import { CreateRoleCommand, GetRoleCommand, GetRolePolicyCommand, IAMClient, PutRolePolicyCommand, UpdateAssumeRolePolicyCommand } from '@aws-sdk/client-iam';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFakeIamServer, type FakeIamServer } from './server.js';

let server: FakeIamServer;
let client: IAMClient;

const trust = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'firehose.amazonaws.com' }, Action: 'sts:AssumeRole', Condition: { StringEquals: { 'sts:ExternalId': '123456789012' } } }],
};
const policy = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:PutObject', Resource: 'arn:aws:s3:::acme-lake/audit/*' }] };

beforeEach(async () => {
  server = await startFakeIamServer();
  client = new IAMClient({ endpoint: server.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'AKIDFAKE', secretAccessKey: 'fake' } });
});
afterEach(async () => {
  client.destroy();
  await server.close();
});

async function rejection(promise: Promise<unknown>): Promise<{ name: string; message: string; $metadata: { httpStatusCode?: number } }> {
  try {
    await promise;
  } catch (error) {
    return error as { name: string; message: string; $metadata: { httpStatusCode?: number } };
  }
  throw new Error('expected the call to fail');
}

describe('the fake IAM server with the real SDK client (Query protocol)', () => {
  it('answers NoSuchEntityException for a missing role, then creates and returns it with the trust policy URL-encoded', async () => {
    // Act
    const missing = await rejection(client.send(new GetRoleCommand({ RoleName: 'fiat-firehose' })));
    const created = await client.send(new CreateRoleCommand({ RoleName: 'fiat-firehose', Path: '/service/', AssumeRolePolicyDocument: JSON.stringify(trust), Description: 'a & b' }));
    const duplicate = await rejection(client.send(new CreateRoleCommand({ RoleName: 'fiat-firehose', AssumeRolePolicyDocument: JSON.stringify(trust) })));
    const got = await client.send(new GetRoleCommand({ RoleName: 'fiat-firehose' }));
    // Assess
    expect(missing).toMatchObject({ name: 'NoSuchEntityException', message: 'The role with name fiat-firehose cannot be found.', $metadata: { httpStatusCode: 404 } });
    expect(created.Role).toMatchObject({ RoleName: 'fiat-firehose', Path: '/service/', Arn: 'arn:aws:iam::123456789012:role/service/fiat-firehose', Description: 'a & b' });
    expect(created.Role?.CreateDate).toBeInstanceOf(Date);
    expect(duplicate).toMatchObject({ name: 'EntityAlreadyExistsException', $metadata: { httpStatusCode: 409 } });
    expect(JSON.parse(decodeURIComponent(got.Role?.AssumeRolePolicyDocument ?? ''))).toEqual(trust);
    expect(got.Role?.AssumeRolePolicyDocument).not.toContain('{');
  });

  it('updates the trust policy and puts and gets an inline policy', async () => {
    await client.send(new CreateRoleCommand({ RoleName: 'r', AssumeRolePolicyDocument: JSON.stringify(trust) }));
    const changed = { ...trust, Statement: [{ ...trust.Statement[0], Sid: 'FiatFirehoseAssume' }] };
    await client.send(new UpdateAssumeRolePolicyCommand({ RoleName: 'r', PolicyDocument: JSON.stringify(changed) }));
    const noPolicy = await rejection(client.send(new GetRolePolicyCommand({ RoleName: 'r', PolicyName: 'fiat-audit-delivery' })));
    await client.send(new PutRolePolicyCommand({ RoleName: 'r', PolicyName: 'fiat-audit-delivery', PolicyDocument: JSON.stringify(policy) }));
    const got = await client.send(new GetRolePolicyCommand({ RoleName: 'r', PolicyName: 'fiat-audit-delivery' }));
    expect(JSON.parse(server.fake.roles.get('r')?.assumeRolePolicyDocument ?? '')).toEqual(changed);
    expect(noPolicy.name).toBe('NoSuchEntityException');
    expect(JSON.parse(decodeURIComponent(got.PolicyDocument ?? ''))).toEqual(policy);
    expect(server.fake.calls.map((c) => `${c.action}:${c.outcome}`)).toEqual(['CreateRole:ok', 'UpdateAssumeRolePolicy:ok', 'GetRolePolicy:NoSuchEntity', 'PutRolePolicy:ok', 'GetRolePolicy:ok']);
  });

  it('refuses malformed documents, bad names and policies over the size quota', async () => {
    const malformed = await rejection(client.send(new CreateRoleCommand({ RoleName: 'r', AssumeRolePolicyDocument: '{not json' })));
    const badName = await rejection(client.send(new GetRoleCommand({ RoleName: 'bad/name' })));
    await client.send(new CreateRoleCommand({ RoleName: 'r', AssumeRolePolicyDocument: JSON.stringify(trust) }));
    const huge = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: Array.from({ length: 600 }, (_, i) => `arn:aws:s3:::b/p${i}/*`) }] };
    const tooBig = await rejection(client.send(new PutRolePolicyCommand({ RoleName: 'r', PolicyName: 'p', PolicyDocument: JSON.stringify(huge) })));
    expect(malformed).toMatchObject({ name: 'MalformedPolicyDocumentException', $metadata: { httpStatusCode: 400 } });
    expect(badName.name).toBe('ValidationError');
    expect(tooBig.name).toBe('LimitExceededException');
    expect(server.fake.roles.get('r')?.policies.size).toBe(0);
  });
});
