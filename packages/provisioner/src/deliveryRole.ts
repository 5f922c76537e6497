// Owns `fiat iam --apply`: the delivery role and its inline policy, created or brought up to date.
import { FiatError, type StreamNames } from '@fiat/core';
import type * as IamSdk from '@aws-sdk/client-iam';
import type { IAMClient } from '@aws-sdk/client-iam';
import { awsErrorMessage } from './aws.js';
import { TRUST_STATEMENT_SID, type IamDocuments, type PolicyDocument } from './iam.js';
import type { PlannedCall } from './plan.js';

/** What {@link applyDeliveryRole} sets up. */
export interface DeliveryRoleTarget {
  /** The delivery role's ARN (`arn:aws:iam::<account>:role[/path]/<name>`). Required. */
  readonly roleArn: string;
  /** The documents of `fiat iam`: the trust policy and the delivery role policy are applied. Required. */
  readonly documents: Pick<IamDocuments, 'trustPolicy' | 'deliveryRolePolicy'>;
  /** Name of the inline policy. Required (see {@link deliveryRolePolicyName}). */
  readonly policyName: string;
}

/** What {@link applyDeliveryRole} found and did. */
export interface DeliveryRoleOutcome {
  readonly roleName: string;
  readonly policyName: string;
  /** True when the role was created now. */
  readonly roleCreated: boolean;
  /** True when an existing role's trust policy was changed (Fiat's statement added or replaced; others kept). */
  readonly trustPolicyUpdated: boolean;
  /** True when the inline policy was written now (it was missing or differed). */
  readonly policyUpdated: boolean;
}

/**
 * The name and path of a role ARN.
 *
 * @example
 * ```ts
 * roleNameOf('arn:aws:iam::123456789012:role/service/fiat-firehose'); // { roleName: 'fiat-firehose', path: '/service/' }
 * ```
 */
export function roleNameOf(roleArn: string): { roleName: string; path: string } {
  const match = /^arn:aws[a-z-]*:iam::\d{12}:role(\/(?:[\w+=,.@-]+\/)*)([\w+=,.@-]{1,64})$/.exec(roleArn);
  if (match === null) throw new FiatError('CONFIG_INVALID', `config key roleArn must be an IAM role ARN, got ${JSON.stringify(roleArn)}`);
  return { roleName: match[2] as string, path: match[1] as string };
}

/**
 * The inline policy name of a stream on the delivery role: `<deliveryStream>-delivery` (one role can
 * serve several streams, each with its own inline policy).
 *
 * @example
 * ```ts
 * deliveryRolePolicyName({ deliveryStream: 'fiat-audit' }); // 'fiat-audit-delivery'
 * ```
 */
export function deliveryRolePolicyName(names: Pick<StreamNames, 'deliveryStream'>): string {
  return `${names.deliveryStream}-delivery`;
}

const ROLE_DESCRIPTION = 'Firehose delivery role set up by fiat iam --apply';

/**
 * The calls `fiat iam --apply` makes, in order, with the condition of each (for `--dry-run`).
 *
 * @example
 * ```ts
 * deliveryRoleCalls({ roleArn, documents: iamDocuments(names, options), policyName: 'fiat-audit-delivery' }).map((c) => c.operation);
 * // ['GetRole', 'CreateRole', 'UpdateAssumeRolePolicy', 'GetRolePolicy', 'PutRolePolicy']
 * ```
 */
export function deliveryRoleCalls(target: DeliveryRoleTarget): PlannedCall[] {
  const { roleName, path } = roleNameOf(target.roleArn);
  const trust = JSON.stringify(target.documents.trustPolicy);
  const policy = JSON.stringify(target.documents.deliveryRolePolicy);
  return [
    { service: 'iam', operation: 'GetRole', input: { RoleName: roleName } },
    { service: 'iam', operation: 'CreateRole', input: { RoleName: roleName, Path: path, AssumeRolePolicyDocument: trust, Description: ROLE_DESCRIPTION }, when: 'the role does not exist' },
    {
      service: 'iam',
      operation: 'UpdateAssumeRolePolicy',
      input: { RoleName: roleName, PolicyDocument: trust },
      when: `the role exists and its ${TRUST_STATEMENT_SID} statement is missing or differs; its other statements are kept`,
    },
    { service: 'iam', operation: 'GetRolePolicy', input: { RoleName: roleName, PolicyName: target.policyName } },
    { service: 'iam', operation: 'PutRolePolicy', input: { RoleName: roleName, PolicyName: target.policyName, PolicyDocument: policy }, when: 'the inline policy is missing or differs' },
  ];
}

/** JSON with object keys sorted, so two documents compare by content. */
function canonical(value: unknown): string {
  const sort = (v: unknown): unknown =>
    Array.isArray(v) ? v.map(sort) : v !== null && typeof v === 'object' ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, sort((v as Record<string, unknown>)[k])])) : v;
  return JSON.stringify(sort(value));
}

/** IAM returns documents URL-encoded. */
function parseDocument(text: string): { Statement?: unknown } & Record<string, unknown> {
  try {
    return JSON.parse(decodeURIComponent(text)) as Record<string, unknown>;
  } catch {
    return JSON.parse(text) as Record<string, unknown>;
  }
}

/**
 * The trust policy to write when the role exists: its statements with Fiat's statement added or
 * replaced (found by `Sid`, or as an equal statement without it). `undefined` when it is already there.
 *
 * @example
 * ```ts
 * mergeTrustPolicy(JSON.stringify(existing), wantedTrustPolicy); // undefined when nothing is to change
 * ```
 */
export function mergeTrustPolicy(current: string, wanted: PolicyDocument): PolicyDocument | undefined {
  const ours = wanted.Statement[0] as Record<string, unknown>;
  const { Sid: _sid, ...oursWithoutSid } = ours;
  const document = parseDocument(current);
  const statements = (Array.isArray(document.Statement) ? document.Statement : document.Statement === undefined ? [] : [document.Statement]) as Record<string, unknown>[];
  const index = statements.findIndex((s) => s.Sid === ours.Sid || canonical(s) === canonical(oursWithoutSid));
  if (index !== -1 && canonical(statements[index]) === canonical(ours)) return undefined;
  const merged = index === -1 ? [...statements, ours] : statements.map((s, i) => (i === index ? ours : s));
  return { Version: '2012-10-17', Statement: merged };
}

function isMissing(error: unknown): boolean {
  const name = (error as { name?: string }).name;
  return name === 'NoSuchEntityException' || name === 'NoSuchEntity';
}

async function iamCall<T>(operation: string, roleName: string, send: () => Promise<T>): Promise<T> {
  try {
    return await send();
  } catch (error) {
    throw new FiatError('DELIVERY_FAILED', `IAM ${operation} ${roleName} failed: ${awsErrorMessage(error)}`, { cause: error });
  }
}

/**
 * Creates the delivery role with its trust policy when missing (else adds or replaces Fiat's trust
 * statement, keeping the others), then writes the stream's inline policy when it is missing or
 * differs. Idempotent: a second run makes only the two Get calls.
 *
 * @example
 * ```ts
 * const documents = iamDocuments(Audit.names, { region, bucket, roleArn });
 * await applyDeliveryRole(new IAMClient({ region }), { roleArn, documents, policyName: deliveryRolePolicyName(Audit.names) });
 * ```
 */
export async function applyDeliveryRole(client: IAMClient, target: DeliveryRoleTarget): Promise<DeliveryRoleOutcome> {
  const iam = await import('@aws-sdk/client-iam');
  const { roleName, path } = roleNameOf(target.roleArn);
  const trust = target.documents.trustPolicy;
  let current: string | undefined;
  try {
    current = (await client.send(new iam.GetRoleCommand({ RoleName: roleName }))).Role?.AssumeRolePolicyDocument ?? '{}';
  } catch (error) {
    if (!isMissing(error)) throw new FiatError('DELIVERY_FAILED', `IAM GetRole ${roleName} failed: ${awsErrorMessage(error)}`, { cause: error });
  }
  const roleCreated = current === undefined;
  const merged = current === undefined ? undefined : mergeTrustPolicy(current, trust);
  if (roleCreated) {
    const input = { RoleName: roleName, Path: path, AssumeRolePolicyDocument: JSON.stringify(trust), Description: ROLE_DESCRIPTION };
    await iamCall('CreateRole', roleName, () => client.send(new iam.CreateRoleCommand(input)));
  } else if (merged !== undefined) {
    await iamCall('UpdateAssumeRolePolicy', roleName, () => client.send(new iam.UpdateAssumeRolePolicyCommand({ RoleName: roleName, PolicyDocument: JSON.stringify(merged) })));
  }
  const policyUpdated = await putPolicyIfChanged(client, iam, roleName, target);
  return { roleName, policyName: target.policyName, roleCreated, trustPolicyUpdated: merged !== undefined, policyUpdated };
}

async function putPolicyIfChanged(client: IAMClient, iam: typeof IamSdk, roleName: string, target: DeliveryRoleTarget): Promise<boolean> {
  const { policyName } = target;
  let current: string | undefined;
  try {
    current = (await client.send(new iam.GetRolePolicyCommand({ RoleName: roleName, PolicyName: policyName }))).PolicyDocument;
  } catch (error) {
    if (!isMissing(error)) throw new FiatError('DELIVERY_FAILED', `IAM GetRolePolicy ${roleName}/${policyName} failed: ${awsErrorMessage(error)}`, { cause: error });
  }
  if (current !== undefined && canonical(parseDocument(current)) === canonical(target.documents.deliveryRolePolicy)) return false;
  const input = { RoleName: roleName, PolicyName: policyName, PolicyDocument: JSON.stringify(target.documents.deliveryRolePolicy) };
  await iamCall('PutRolePolicy', roleName, () => client.send(new iam.PutRolePolicyCommand(input)));
  return true;
}
