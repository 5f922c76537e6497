import { isAbsolute, resolve } from 'node:path';
import { replaySpool } from '@fiat/core/firehose';
import { awsClientConfig } from '../aws.js';
import { EXIT, UsageError, type Command } from '../command.js';
import { createProgress } from '../progress.js';

/** `fiat spool replay`: resend the records the Firehose transport spooled, then remove their files. */
export const spoolCommand: Command = {
  name: 'spool',
  summary: 'Resend spooled records (fiat spool replay) through Firehose; a file is removed once all its records are acknowledged',
  usage: 'fiat spool replay [--spool-dir DIR] [--endpoint URL] [--json]',
  examples: ['fiat spool replay', 'fiat spool replay --spool-dir /var/lib/app/.fiat/spool --json'],
  options: { 'spool-dir': { type: 'string' }, json: { type: 'boolean' } },
  async run(positionals, values, context, config) {
    const [action, ...extra] = positionals;
    if (action !== 'replay' || extra.length > 0) {
      throw new UsageError(`spool needs the action replay, e.g. fiat spool replay --spool-dir .fiat/spool${action === undefined ? '' : ` (got '${positionals.join(' ')}')`}`);
    }
    const resolved = await config();
    const given = (values['spool-dir'] as string | undefined) ?? context.env.FIAT_SPOOL_DIR ?? '.fiat/spool';
    const spoolDir = isAbsolute(given) ? given : resolve(context.cwd, given);
    const errors: string[] = [];
    // Progress (terminal only). replaySpool reports once, at the end: per-file lines need a per-file callback from it.
    const progress = createProgress(context);
    progress.update(`fiat spool: replaying spool files under ${spoolDir}…`);
    let report;
    try {
      report = await replaySpool({
        clientConfig: awsClientConfig(resolved, context.env, 'firehose'),
        spoolDir,
        onError: (error) => errors.push(error.message),
      });
    } finally {
      progress.done();
    }
    progress.note(`fiat spool: replayed ${report.delivered} of ${report.records} records from ${report.files} file(s)`);
    if (values.json) {
      context.stdout(`${JSON.stringify({ spoolDir, ...report }, null, 2)}\n`);
    } else {
      context.stdout(
        report.files === 0
          ? `No spool files under ${spoolDir}.\n`
          : `Resent ${report.delivered} of ${report.records} records from ${report.files} spool file(s) under ${spoolDir} in ${report.putRecordBatchCalls} PutRecordBatch call(s); removed ${report.filesRemoved} file(s).\n`,
      );
    }
    for (const message of errors) context.stderr(`fiat spool: ${message}\n`);
    if (report.remainingFiles.length > 0) {
      context.stderr(`fiat spool: ${report.failed} records not acknowledged; kept ${report.remainingFiles.length} file(s), run fiat spool replay again\n`);
      return EXIT.FAILED;
    }
    return EXIT.OK;
  },
};
