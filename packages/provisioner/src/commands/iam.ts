import { FiatCheckpoint } from '@fiat/core';
import { EXIT, UsageError, type CliContext, type Command } from '../command.js';
import { createIamClient } from '../aws.js';
import type { FiatConfig } from '../config.js';
import { applyDeliveryRole, deliveryRoleCalls, deliveryRolePolicyName, roleNameOf, type DeliveryRoleTarget } from '../deliveryRole.js';
import { iamDocuments, type IamDocuments } from '../iam.js';
import type { LakeStream } from '../localLake.js';
import { formatPlan } from '../plan.js';
import { configuredNames } from '../streams.js';
import { requireKey, streamArgument } from './shared.js';

/**
 * `fiat iam <Stream>`: least-privilege IAM documents for a stream's delivery role, producers and
 * operator; with `--apply`, creates or updates the delivery role and its inline policy.
 *
 * @example
 * ```ts
 * await main(['iam', 'Audit', '--json']);
 * await main(['iam', 'Audit', '--apply', '--dry-run']);
 * ```
 */
export const iamCommand: Command = {
  name: 'iam',
  summary: 'Print least-privilege IAM policies (delivery role, producer, operator, read-only verifier); --apply creates or updates the delivery role',
  usage: 'fiat iam <Stream> [--json] [--apply [--dry-run]] [--endpoint URL]',
  examples: [
    'fiat iam Audit',
    'fiat iam Audit --json > audit-iam.json',
    'fiat iam Audit --apply --dry-run   # print the IAM calls --apply would make',
    'fiat iam Audit --apply             # create or update the delivery role and its inline policy',
  ],
  options: { json: { type: 'boolean' }, apply: { type: 'boolean' }, 'dry-run': { type: 'boolean' } },
  async run(positionals, values, context, config) {
    if (values['dry-run'] && !values.apply) throw new UsageError('--dry-run goes with --apply (fiat iam prints documents and changes nothing without it)');
    const resolved = await config();
    const stream = await streamArgument(positionals, resolved, 'iam', context);
    const documents = documentsFor(stream, resolved, checkpointPrefix(resolved));
    if (values.apply) return apply(stream, resolved, documents, values, context);
    if (values.json) {
      context.stdout(`${JSON.stringify(documents, null, 2)}\n`);
      return EXIT.OK;
    }
    context.stdout(documentsText(stream, resolved, documents));
    return EXIT.OK;
  },
};

/** The checkpoint stream's prefix as configured (`streams.FiatCheckpoint.prefix` may move it). */
function checkpointPrefix(config: FiatConfig): string {
  return configuredNames(FiatCheckpoint, config).prefix;
}

function documentsFor(stream: LakeStream, config: FiatConfig, checkpoints: string): IamDocuments {
  return iamDocuments(stream.names, {
    region: requireKey(config, 'region', 'iam'),
    bucket: requireKey(config, 'bucket', 'iam'),
    roleArn: requireKey(config, 'roleArn', 'iam'),
    ...(config.kmsKeyArn !== undefined ? { kmsKeyArn: config.kmsKeyArn } : {}),
    checkpointPrefix: checkpoints,
    // A chained stream's producer also writes its checkpoints.
    ...(stream.definition.integrity === 'chain' ? { producerAlso: [configuredNames(FiatCheckpoint, config)] } : {}),
  });
}

function documentsText(stream: LakeStream, config: FiatConfig, documents: IamDocuments): string {
  const name = stream.names.deliveryStream;
  return [
    `# Delivery role ${config.roleArn}: trust policy (only Firehose of this account may assume it)`,
    JSON.stringify(documents.trustPolicy, null, 2),
    '',
    `# Delivery role permissions for ${name} (s3://${config.bucket}/${stream.names.prefix}, its error prefix, its KMS key, its log group); inline policy ${deliveryRolePolicyName(stream.names)}`,
    JSON.stringify(documents.deliveryRolePolicy, null, 2),
    '',
    stream.definition.integrity === 'chain'
      ? `# Producer policy: write to ${name} and its checkpoints' delivery stream ${configuredNames(FiatCheckpoint, config).deliveryStream} only`
      : `# Producer policy: write to ${name} only`,
    JSON.stringify(documents.producerPolicy, null, 2),
    '',
    `# Operator policy: what fiat create-stream and fiat iam --apply call for ${name}`,
    JSON.stringify(documents.operatorPolicy, null, 2),
    '',
    `# Verify policy (read only): what fiat verify --target s3 reads for ${stream.definition.name} (s3://${config.bucket}/${stream.names.prefix} and the checkpoints)`,
    JSON.stringify(documents.verifyPolicy, null, 2),
    '',
  ].join('\n');
}

async function apply(stream: LakeStream, config: FiatConfig, documents: IamDocuments, values: Record<string, unknown>, context: CliContext): Promise<number> {
  const roleArn = requireKey(config, 'roleArn', 'iam --apply');
  const target: DeliveryRoleTarget = { roleArn, documents, policyName: deliveryRolePolicyName(stream.names) };
  if (values['dry-run']) {
    const calls = deliveryRoleCalls(target);
    context.stdout(values.json ? `${JSON.stringify({ action: 'apply', role: roleArn, calls, applied: false }, null, 2)}\n` : formatPlan(calls));
    return EXIT.OK;
  }
  const outcome = await applyDeliveryRole(await createIamClient(config, context.env), target);
  if (values.json) {
    context.stdout(`${JSON.stringify({ action: 'applied', role: roleArn, ...outcome, applied: true }, null, 2)}\n`);
    return EXIT.OK;
  }
  const { roleName } = roleNameOf(roleArn);
  const role = outcome.roleCreated ? `created role ${roleName}` : outcome.trustPolicyUpdated ? `updated the trust policy of role ${roleName}` : `role ${roleName} exists with its trust policy`;
  const policy = outcome.policyUpdated ? `wrote inline policy ${outcome.policyName}` : `inline policy ${outcome.policyName} is up to date`;
  context.stdout(`${role}; ${policy}\n`);
  return EXIT.OK;
}
