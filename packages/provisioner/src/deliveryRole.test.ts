import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Audit } from '@fiat/schemas';
import { startFakeIamServer, type FakeIamServer } from '@fiat/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { iamDocuments } from './iam.js';
import { mergeTrustPolicy, roleNameOf } from './deliveryRole.js';
import { runFiat, type FiatRun } from './test-helpers.js';

let dir: string;
let iam: FakeIamServer;
const roleArn = 'arn:aws:iam::123456789012:role/service/fiat-firehose';

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fiat-iam-'));
  iam = await startFakeIamServer();
});
afterEach(async () => {
  await iam.close();
  await rm(dir, { recursive: true, force: true });
});

function fiat(argv: string[]): Promise<FiatRun> {
  return runFiat(argv, {
    cwd: dir,
    env: {
      FIAT_REGION: 'eu-west-1',
      FIAT_BUCKET: 'acme-lake',
      FIAT_ROLE_ARN: roleArn,
      FIAT_IAM_ENDPOINT: iam.endpoint,
      AWS_ACCESS_KEY_ID: 'AKIDFAKE',
      AWS_SECRET_ACCESS_KEY: 'fake-secret',
    },
  });
}

const documents = iamDocuments(Audit.names, { region: 'eu-west-1', bucket: 'acme-lake', roleArn });
const stored = (text: string | undefined): unknown => JSON.parse(text ?? 'null');

describe('fiat iam --apply', () => {
  it('--dry-run prints the calls it would make and makes none', async () => {
    // Act
    const text = await fiat(['iam', 'Audit', '--apply', '--dry-run']);
    const json = await fiat(['iam', 'Audit', '--apply', '--dry-run', '--json']);
    // Assess
    expect(text.code).toBe(0);
    await expect(text.stdout).toMatchFileSnapshot('./__golden__/audit.iam-apply.dry-run.txt');
    const plan = JSON.parse(json.stdout) as { calls: { operation: string; input: Record<string, string> }[]; applied: boolean };
    expect(plan.applied).toBe(false);
    expect(plan.calls.map((c) => c.operation)).toEqual(['GetRole', 'CreateRole', 'UpdateAssumeRolePolicy', 'GetRolePolicy', 'PutRolePolicy']);
    expect(JSON.parse(plan.calls[1]!.input.AssumeRolePolicyDocument!)).toEqual(documents.trustPolicy);
    expect(JSON.parse(plan.calls[4]!.input.PolicyDocument!)).toEqual(documents.deliveryRolePolicy);
    expect(iam.fake.calls).toEqual([]);
  });

  it('creates the role with its trust policy and the inline policy; a second run changes nothing', async () => {
    // Act
    const first = await fiat(['iam', 'Audit', '--apply']);
    const second = await fiat(['iam', 'Audit', '--apply', '--json']);
    // Assess
    expect(first.stdout).toBe('created role fiat-firehose; wrote inline policy fiat-audit-delivery\n');
    expect(first.code).toBe(0);
    const role = iam.fake.roles.get('fiat-firehose');
    expect(role?.arn).toBe(roleArn);
    expect(stored(role?.assumeRolePolicyDocument)).toEqual(documents.trustPolicy);
    expect(stored(role?.policies.get('fiat-audit-delivery'))).toEqual(documents.deliveryRolePolicy);
    expect(JSON.parse(second.stdout)).toMatchObject({ roleCreated: false, trustPolicyUpdated: false, policyUpdated: false, applied: true });
    expect(iam.fake.calls.map((c) => c.action)).toEqual(['GetRole', 'CreateRole', 'GetRolePolicy', 'PutRolePolicy', 'GetRole', 'GetRolePolicy']);
  });

  it("adds Fiat's trust statement to an existing role, keeps its other statements, and rewrites a stale inline policy", async () => {
    // Prepare: a role someone made by hand, with another statement and an outdated policy
    const other = { Sid: 'Ops', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::123456789012:root' }, Action: 'sts:AssumeRole' };
    iam.fake.handle('CreateRole', { RoleName: 'fiat-firehose', Path: '/service/', AssumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [other] }) });
    iam.fake.handle('PutRolePolicy', { RoleName: 'fiat-firehose', PolicyName: 'fiat-audit-delivery', PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }] }) });
    // Act
    const run = await fiat(['iam', 'Audit', '--apply']);
    // Assess
    expect(run.stdout).toBe('updated the trust policy of role fiat-firehose; wrote inline policy fiat-audit-delivery\n');
    const role = iam.fake.roles.get('fiat-firehose');
    expect(stored(role?.assumeRolePolicyDocument)).toEqual({ Version: '2012-10-17', Statement: [other, documents.trustPolicy.Statement[0]] });
    expect(stored(role?.policies.get('fiat-audit-delivery'))).toEqual(documents.deliveryRolePolicy);
  });

  it('fails with one line when IAM refuses, and --dry-run without --apply is a usage error', async () => {
    iam.fake.handle('CreateRole', { RoleName: 'fiat-firehose', Path: '/service/', AssumeRolePolicyDocument: JSON.stringify(documents.trustPolicy) });
    // A trust policy IAM refuses as too large: the merge keeps the existing statements.
    const big = { Version: '2012-10-17', Statement: Array.from({ length: 20 }, (_, i) => ({ Sid: `S${i}`, Effect: 'Allow', Principal: { AWS: `arn:aws:iam::12345678901${i % 10}:root` }, Action: 'sts:AssumeRole' })) };
    iam.fake.roles.get('fiat-firehose')!.assumeRolePolicyDocument = JSON.stringify(big);
    const refused = await fiat(['iam', 'Audit', '--apply']);
    const usage = await fiat(['iam', 'Audit', '--dry-run']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe('fiat iam: IAM UpdateAssumeRolePolicy fiat-firehose failed: LimitExceededException: Cannot exceed quota for ACLSizePerRole: 2048\n');
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('--dry-run goes with --apply');
  });
});

describe('mergeTrustPolicy and roleNameOf', () => {
  it('replaces an equal statement without a Sid instead of adding a second one', () => {
    const { Sid: _sid, ...withoutSid } = documents.trustPolicy.Statement[0] as Record<string, unknown>;
    const merged = mergeTrustPolicy(encodeURIComponent(JSON.stringify({ Version: '2012-10-17', Statement: [withoutSid] })), documents.trustPolicy);
    expect(merged).toEqual(documents.trustPolicy);
    expect(mergeTrustPolicy(encodeURIComponent(JSON.stringify(documents.trustPolicy)), documents.trustPolicy)).toBeUndefined();
  });

  it('reads the role name and path of an ARN, and refuses what is not a role ARN', () => {
    expect(roleNameOf('arn:aws:iam::123456789012:role/fiat')).toEqual({ roleName: 'fiat', path: '/' });
    expect(roleNameOf('arn:aws-cn:iam::123456789012:role/a/b/fiat')).toEqual({ roleName: 'fiat', path: '/a/b/' });
    expect(() => roleNameOf('arn:aws:iam::123456789012:user/fiat')).toThrow(/config key roleArn must be an IAM role ARN/);
  });
});
