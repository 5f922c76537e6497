// Owns the list of `fiat` sub-commands: each one's name and one-line summary (what `fiat --help`
// prints) and how to load its module. A command's module, and what it imports (Zod, ajv's compiler,
// the AWS SDK, DuckDB), is loaded only when that command runs or its own --help is asked for.
import type { Command } from './command.js';

/** One sub-command as the CLI lists it before loading it. */
export interface CommandEntry {
  readonly name: string;
  /** The summary `fiat --help` prints; the same as the loaded command's `summary` (a test checks it). */
  readonly summary: string;
  /** Imports the command's module. */
  readonly load: () => Promise<Command>;
}

/**
 * Every sub-command, in help order. Add new commands here.
 *
 * @example
 * ```ts
 * const command = await COMMANDS.find((c) => c.name === 'query')!.load();
 * ```
 */
export const COMMANDS: readonly CommandEntry[] = [
  {
    name: 'schemas',
    summary: 'Write (build) or verify (check) the schemas/<Stream>/ folders and precompiled modules from the Zod stream definitions; list every column and its redaction',
    load: async () => (await import('./commands/schemas.js')).schemasCommand,
  },
  {
    name: 'create-table',
    summary: 'Create the Athena table of a stream (or its DuckDB view), or add the columns it gained',
    load: async () => (await import('./commands/createTable.js')).createTableCommand,
  },
  {
    name: 'create-stream',
    summary: 'Create the Firehose delivery stream of a stream (DirectPut → S3, GZIP, encrypted) and its error log group, or show and apply drift',
    load: async () => (await import('./commands/createStream.js')).createStreamCommand,
  },
  {
    name: 'iam',
    summary: 'Print least-privilege IAM policies (delivery role, producer, operator, read-only verifier); --apply creates or updates the delivery role',
    load: async () => (await import('./commands/iam.js')).iamCommand,
  },
  {
    name: 'smoke',
    summary: 'Send one valid sample record of a stream (a secret planted where it is redacted); with --wait, time how long until it is queryable and check the secret is not',
    load: async () => (await import('./commands/smoke.js')).smokeCommand,
  },
  {
    name: 'query',
    summary: 'Run one SQL statement over the local lake (DuckDB, one view per stream) or through Athena',
    load: async () => (await import('./commands/query.js')).queryCommand,
  },
  {
    name: 'spool',
    summary: 'Resend spooled records (fiat spool replay) through Firehose; a file is removed once all its records are acknowledged',
    load: async () => (await import('./commands/spool.js')).spoolCommand,
  },
  {
    name: 'verify',
    summary: 'Check the hash chains and signed checkpoints of the lake: modified, missing, truncated or reordered records',
    load: async () => (await import('./commands/verify.js')).verifyCommand,
  },
];
