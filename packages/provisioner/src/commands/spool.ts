import { relative } from 'node:path';
import { compileValidator, formatIssues } from '@fiat/core';
import { replaySpool, resolveSpoolDir, type ReplayedFile, type ReplayReport, type SpoolRecordCheck } from '@fiat/core/firehose';
import { awsClientConfig } from '../aws.js';
import { EXIT, UsageError, type Command } from '../command.js';
import { createProgress, type Progress } from '../progress.js';
import type { LakeStream } from '../localLake.js';
import { collectStreams } from '../streams.js';

/**
 * A check per delivery stream of the streams the CLI knows: each spooled record must match its
 * stream's stored-record JSON Schema (`json_schema.json`), compiled on first use.
 */
function spoolChecks(streams: readonly LakeStream[]): Record<string, SpoolRecordCheck> {
  const checks: Record<string, SpoolRecordCheck> = {};
  for (const { definition, names } of streams) {
    let validator: ReturnType<typeof compileValidator> | undefined;
    checks[names.deliveryStream] = (record) => {
      validator ??= compileValidator(definition.jsonSchema, definition.name);
      return validator.check(record) ? undefined : formatIssues(validator.issues(record));
    };
  }
  return checks;
}

function summary(report: ReplayReport, spoolDir: string): string {
  if (report.files === 0 && report.lockedStreams.length === 0) return `No spool files under ${spoolDir}.\n`;
  return (
    `Resent ${report.delivered} of ${report.records} records from ${report.files} spool file(s) under ${spoolDir} in ${report.putRecordBatchCalls} PutRecordBatch call(s); ` +
    `removed ${report.filesRemoved} file(s)` +
    (report.rejected > 0 ? `; quarantined ${report.rejected} bad line(s) to ${report.rejectedFiles.join(', ')}` : '') +
    '.\n'
  );
}

/** The line printed for one replayed file: `  fiat-audit/….ndjson: 20 of 23 records resent, 3 quarantined`. */
function fileLine(file: ReplayedFile, spoolDir: string): string {
  const kept = file.records - file.delivered - file.rejected;
  return (
    `  ${relative(spoolDir, file.path)}: ${file.delivered} of ${file.records} records resent` +
    (file.rejected > 0 ? `, ${file.rejected} quarantined` : '') +
    (kept > 0 ? `, ${kept} kept in the file` : '')
  );
}

/** Shows each file as it is done, above a line counting the files and records so far. */
function fileProgress(progress: Progress, spoolDir: string): (file: ReplayedFile) => void {
  let files = 0;
  let delivered = 0;
  return (file) => {
    files += 1;
    delivered += file.delivered;
    progress.note(fileLine(file, spoolDir));
    progress.update(`fiat spool: replaying spool files under ${spoolDir}… ${files} file(s), ${delivered} records resent so far`);
  };
}

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
    const spoolDir = resolveSpoolDir(values['spool-dir'] as string | undefined, { env: context.env, cwd: context.cwd });
    const errors: string[] = [];
    // Progress (terminal only).
    const progress = createProgress(context);
    progress.update(`fiat spool: replaying spool files under ${spoolDir}…`);
    let report: ReplayReport;
    try {
      report = await replaySpool({
        clientConfig: awsClientConfig(resolved, context.env, 'firehose'),
        spoolDir,
        validators: spoolChecks(await collectStreams(resolved)),
        onError: (error) => errors.push(error.message),
        onFile: fileProgress(progress, spoolDir),
      });
    } finally {
      progress.done();
    }
    progress.note(`fiat spool: replayed ${report.delivered} of ${report.records} records from ${report.files} file(s)`);
    context.stdout(values.json ? `${JSON.stringify({ spoolDir, ...report }, null, 2)}\n` : summary(report, spoolDir));
    for (const message of errors) context.stderr(`fiat spool: ${message}\n`);
    if (report.remainingFiles.length > 0) {
      context.stderr(`fiat spool: ${report.failed} records not acknowledged; kept ${report.remainingFiles.length} file(s), run fiat spool replay again\n`);
    }
    if (report.rejected > 0) {
      context.stderr(`fiat spool: ${report.rejected} line(s) were not valid records; they are in ${report.rejectedFiles.join(', ')} with the reason, and were not sent\n`);
    }
    const clean = report.remainingFiles.length === 0 && report.rejected === 0 && report.lockedStreams.length === 0;
    return clean ? EXIT.OK : EXIT.FAILED;
  },
};
