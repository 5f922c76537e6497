import { FiatError, sqlString, ValidatedLog, type LoggerOptions } from '@fiat/core';
import { firehoseTransport, resolveSpoolDir } from '@fiat/core/firehose';
import { EXIT, UsageError, clock, type CliContext, type Command } from '../command.js';
import type { FiatConfig } from '../config.js';
import { createFirehoseClient } from '../aws.js';
import { openLocalLake, type LakeStream, type QueryResult } from '../localLake.js';
import { createProgress, seconds } from '../progress.js';
import { assertRedacted, plantSecret, smokeRedactionKey } from '../redaction.js';
import { sampleRecord } from '../sample.js';
import { pollUntil } from '../wait.js';
import { athenaRunner, streamArgument, targetOption } from './shared.js';

/**
 * `fiat smoke <Stream>`: send one valid sample record and, with --wait, wait until it is queryable.
 *
 * @example
 * ```ts
 * await main(['smoke', 'Audit', '--target', 'local', '--wait']);
 * ```
 */
export const smokeCommand: Command = {
  name: 'smoke',
  summary: 'Send one valid sample record of a stream (a secret planted where it is redacted); with --wait, time how long until it is queryable and check the secret is not',
  usage: 'fiat smoke <Stream> [--target local|firehose] [--wait] [--timeout SECONDS] [--json] [--endpoint URL]',
  examples: [
    'fiat smoke Audit --wait                         # local lake, queried with DuckDB',
    'fiat smoke Audit --target firehose --wait       # Firehose, then polled through Athena (a minute or more in AWS)',
    'fiat smoke Audit --target firehose --wait --timeout 600 --json',
  ],
  options: {
    target: { type: 'string' },
    wait: { type: 'boolean' },
    timeout: { type: 'string' },
    json: { type: 'boolean' },
  },
  async run(positionals, values, context, config) {
    const now = clock(context);
    const started = now();
    const target = targetOption(values.target, ['local', 'firehose'] as const);
    const timeoutSeconds = values.timeout === undefined ? 300 : Number(values.timeout);
    if (!Number.isFinite(timeoutSeconds) || timeoutSeconds <= 0) throw new UsageError(`--timeout must be a positive number of seconds, got '${String(values.timeout)}'`);
    const resolved = await config();
    const stream = await streamArgument(positionals, resolved, 'smoke', context);
    const fields = sampleRecord(stream.definition);
    // A fresh secret where the stream redacts, so that reading the record back proves redaction end to end.
    const planted = plantSecret(stream.definition, fields);
    const eventId = await sendSample(target, stream, fields, resolved, context);
    const sentMs = now() - started;
    let queryableMs: number | undefined;
    if (values.wait) {
      context.stderr(`sent ${stream.definition.name} record ${eventId} via ${target}; waiting until it is queryable…\n`);
      // The deadline counts from the start of the command: sending is part of the time allowed.
      const row = await waitForRecord({ target, stream, eventId, config: resolved, context, deadline: started + timeoutSeconds * 1000, timeoutSeconds });
      queryableMs = now() - started;
      if (planted !== undefined) assertRedacted(row, planted, stream.names.table);
    }
    const redaction = planted === undefined ? undefined : { place: planted.place, redaction: planted.redaction, checked: queryableMs !== undefined };
    if (values.json) {
      const shown = { stream: stream.definition.name, target, eventId, fields, sentMs, ...(queryableMs !== undefined ? { queryableMs } : {}), ...(redaction !== undefined ? { redaction } : {}) };
      context.stdout(`${JSON.stringify(shown, null, 2)}\n`);
    } else {
      context.stdout(
        `sent ${stream.definition.name} record ${eventId} via ${target} in ${seconds(sentMs)}` +
          (queryableMs !== undefined ? `; queryable in ${stream.names.table} after ${seconds(queryableMs)}` : '') +
          (redaction === undefined ? '' : redaction.checked ? `; the secret planted in ${redaction.place} was not read back` : `; a secret was planted in ${redaction.place} (--wait checks it is not read back)`) +
          '\n',
      );
    }
    return EXIT.OK;
  },
};

/** Logs one sample record through the target and closes the logger; returns its event id. */
async function sendSample(
  target: 'local' | 'firehose',
  stream: LakeStream,
  fields: Record<string, unknown>,
  config: FiatConfig,
  context: CliContext,
): Promise<string> {
  const options = {
    app: 'fiat-smoke',
    email: 'fiat-smoke@example.com',
    tags: { source: 'fiat smoke' },
    streams: [stream.definition],
    redactionKey: smokeRedactionKey(context.env),
    names: { [stream.definition.name]: { table: stream.names.table, prefix: stream.names.prefix, deliveryStream: stream.names.deliveryStream } },
  };
  const logger =
    target === 'local'
      ? ValidatedLog.configure('local', { ...options, lakeDir: config.lakeDir, bufferIntervalMs: 1000 })
      : await firehoseLogger(options, config, context);
  const entry = logger.log(stream.definition, fields);
  const report = await logger.close();
  if (report.undelivered > 0) throw new FiatError('DELIVERY_FAILED', `the sample ${stream.definition.name} record was not delivered through ${target}`);
  return entry.eventId;
}

/**
 * A logger on the Firehose transport, passed explicitly (the AWS SDK loads only for `--target firehose`), spooling
 * where `fiat spool replay` looks (`resolveSpoolDir`: FIAT_SPOOL_DIR, else .fiat/spool, /tmp/fiat-spool in Lambda).
 */
async function firehoseLogger(options: LoggerOptions, config: FiatConfig, context: CliContext): Promise<ValidatedLog> {
  return ValidatedLog.configure(firehoseTransport, {
    ...options,
    client: await createFirehoseClient(config, context.env),
    spoolDir: resolveSpoolDir(undefined, { env: context.env, cwd: context.cwd }),
  });
}

interface RecordWait {
  readonly target: 'local' | 'firehose';
  readonly stream: LakeStream;
  readonly eventId: string;
  readonly config: FiatConfig;
  readonly context: CliContext;
  /** Absolute deadline on the context's clock. */
  readonly deadline: number;
  readonly timeoutSeconds: number;
}

/**
 * Polls (DuckDB or Athena) until the record's `event_id` is queryable, and returns its row. Polls
 * back off from 500 ms to 10 s, never sleep past the deadline, and an Athena query still running at
 * the deadline is stopped: the wait ends within one poll's latency of the deadline. Shows the
 * elapsed time on a terminal.
 */
async function waitForRecord(wait: RecordWait): Promise<Record<string, unknown>> {
  const { stream, eventId, config, context, deadline } = wait;
  const now = clock(context);
  const sql = `SELECT * FROM "${stream.names.table}" WHERE event_id = ${sqlString(eventId)}`;
  const runner = wait.target === 'firehose' ? await athenaRunner(config, context) : undefined;
  const progress = createProgress(context);
  let row: Record<string, unknown> | undefined;
  const found = async (): Promise<boolean> => {
    const result = runner !== undefined ? await runner.query(sql, { deadline }) : await queryLocal(config, stream, sql);
    row = result.rows[0];
    return row !== undefined;
  };
  let outcome;
  try {
    outcome = await pollUntil({
      poll: async () => {
        try {
          return (await found()) ? true : undefined;
        } catch (error) {
          if (now() >= deadline) return undefined; // an Athena query cut off by the deadline
          throw error;
        }
      },
      deadline,
      initialDelayMs: 500,
      maxDelayMs: 10_000,
      now,
      ...(context.sleep !== undefined ? { sleep: context.sleep } : {}),
      onWait: (elapsedMs) => progress.update(`waiting for ${eventId} in ${stream.names.table}: ${seconds(elapsedMs)}`),
    });
  } finally {
    progress.done();
  }
  if (!outcome.done || row === undefined) {
    throw new FiatError('DELIVERY_FAILED', `record ${eventId} was not queryable in ${stream.names.table} within --timeout ${wait.timeoutSeconds} s`);
  }
  return row;
}

async function queryLocal(config: FiatConfig, stream: LakeStream, sql: string): Promise<QueryResult> {
  const lake = await openLocalLake(config.lakeDir, [stream]);
  try {
    return await lake.query(sql);
  } finally {
    lake.close();
  }
}
