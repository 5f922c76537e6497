import { join, dirname } from 'node:path';
import { FiatError, sqlString, ValidatedLog } from '@fiat/core';
import { EXIT, UsageError, pause, type CliContext, type Command } from '../command.js';
import type { FiatConfig } from '../config.js';
import { createFirehoseClient } from '../aws.js';
import { openLocalLake, type LakeStream } from '../localLake.js';
import { sampleRecord } from '../sample.js';
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
  summary: 'Send one valid sample record of a stream; with --wait, time how long until it is queryable',
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
    const target = targetOption(values.target, ['local', 'firehose'] as const);
    const timeoutSeconds = values.timeout === undefined ? 300 : Number(values.timeout);
    if (!Number.isFinite(timeoutSeconds) || timeoutSeconds <= 0) throw new UsageError(`--timeout must be a positive number of seconds, got '${String(values.timeout)}'`);
    const resolved = await config();
    const stream = await streamArgument(positionals, resolved, 'smoke', context);
    const fields = sampleRecord(stream.definition);
    const options = {
      app: 'fiat-smoke',
      email: 'fiat-smoke@example.com',
      tags: { source: 'fiat smoke' },
      streams: [stream.definition],
      names: { [stream.definition.name]: { table: stream.names.table, prefix: stream.names.prefix, deliveryStream: stream.names.deliveryStream } },
    };
    const logger =
      target === 'local'
        ? ValidatedLog.configure('local', { ...options, lakeDir: resolved.lakeDir, bufferIntervalMs: 1000 })
        : ValidatedLog.configure('firehose', {
            ...options,
            client: await createFirehoseClient(resolved, context.env),
            spoolDir: join(dirname(resolved.lakeDir), 'spool'),
          });
    const started = Date.now();
    const entry = logger.log(stream.definition, fields);
    const report = await logger.close();
    if (report.undelivered > 0) throw new FiatError('DELIVERY_FAILED', `the sample ${stream.definition.name} record was not delivered through ${target}`);
    const sentMs = Date.now() - started;
    let queryableMs: number | undefined;
    if (values.wait) {
      context.stderr(`sent ${stream.definition.name} record ${entry.eventId} via ${target}; waiting until it is queryable…\n`);
      await waitForRecord(target, stream, entry.eventId, resolved, context, timeoutSeconds * 1000);
      queryableMs = Date.now() - started;
    }
    if (values.json) {
      context.stdout(`${JSON.stringify({ stream: stream.definition.name, target, eventId: entry.eventId, fields, sentMs, ...(queryableMs !== undefined ? { queryableMs } : {}) }, null, 2)}\n`);
    } else {
      context.stdout(
        `sent ${stream.definition.name} record ${entry.eventId} via ${target} in ${(sentMs / 1000).toFixed(1)} s` +
          (queryableMs !== undefined ? `; queryable in ${stream.names.table} after ${(queryableMs / 1000).toFixed(1)} s` : '') +
          '\n',
      );
    }
    return EXIT.OK;
  },
};

async function waitForRecord(
  target: 'local' | 'firehose',
  stream: LakeStream,
  eventId: string,
  config: FiatConfig,
  context: CliContext,
  timeoutMs: number,
): Promise<void> {
  const sql = `SELECT event_id FROM "${stream.names.table}" WHERE event_id = ${sqlString(eventId)}`;
  const deadline = Date.now() + timeoutMs;
  let delay = 500;
  const runner = target === 'firehose' ? await athenaRunner(config, context) : undefined;
  for (;;) {
    let found: boolean;
    if (runner !== undefined) {
      found = (await runner.query(sql)).rows.length > 0;
    } else {
      const lake = await openLocalLake(config.lakeDir, [stream]);
      try {
        found = (await lake.query(sql)).rows.length > 0;
      } finally {
        lake.close();
      }
    }
    if (found) return;
    if (Date.now() > deadline) {
      throw new FiatError('DELIVERY_FAILED', `record ${eventId} was not queryable in ${stream.names.table} after ${timeoutMs / 1000} s`);
    }
    await pause(context, delay);
    delay = Math.min(delay * 1.5, 10_000);
  }
}
