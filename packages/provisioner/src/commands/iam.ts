import { EXIT, type Command } from '../command.js';
import { iamDocuments } from '../iam.js';
import { requireKey, streamArgument } from './shared.js';

/**
 * `fiat iam <Stream>`: least-privilege IAM documents for a stream's delivery role and producers.
 *
 * @example
 * ```ts
 * await main(['iam', 'Audit', '--json']);
 * ```
 */
export const iamCommand: Command = {
  name: 'iam',
  summary: "Print least-privilege IAM policies: the delivery role's (trust + permissions) and a producer's",
  usage: 'fiat iam <Stream> [--json]',
  examples: ['fiat iam Audit', 'fiat iam Audit --json > audit-iam.json'],
  options: { json: { type: 'boolean' } },
  async run(positionals, values, context, config) {
    const resolved = await config();
    const stream = await streamArgument(positionals, resolved, 'iam', context);
    const documents = iamDocuments(stream.names, {
      region: requireKey(resolved, 'region', 'iam'),
      bucket: requireKey(resolved, 'bucket', 'iam'),
      roleArn: requireKey(resolved, 'roleArn', 'iam'),
      ...(resolved.kmsKeyArn !== undefined ? { kmsKeyArn: resolved.kmsKeyArn } : {}),
    });
    if (values.json) {
      context.stdout(`${JSON.stringify(documents, null, 2)}\n`);
      return EXIT.OK;
    }
    context.stdout(
      [
        `# Delivery role ${resolved.roleArn}: trust policy (only Firehose of this account may assume it)`,
        JSON.stringify(documents.trustPolicy, null, 2),
        '',
        `# Delivery role permissions for ${stream.names.deliveryStream} (s3://${resolved.bucket}/${stream.names.prefix}, its error prefix, its KMS key, its log group)`,
        JSON.stringify(documents.deliveryRolePolicy, null, 2),
        '',
        `# Producer policy: write to ${stream.names.deliveryStream} only`,
        JSON.stringify(documents.producerPolicy, null, 2),
        '',
      ].join('\n'),
    );
    return EXIT.OK;
  },
};
