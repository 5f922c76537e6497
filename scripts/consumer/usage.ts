// What a user's project writes against the published packages. Type-checked (and run) by
// scripts/check-packages.mjs under module commonjs, node16/nodenext (both formats) and bundler.
import { Audit, isFiatError, type FiatError } from '@fiat/audit';
import { defineStream, ValidatedLog, type StreamDefinition } from '@fiat/core';
import '@fiat/core/durable';
import { withFlush, type FirehoseSendClient } from '@fiat/core/firehose';
import { equal } from '@fiat/core/validator-runtime';
import { Audit as AuditStream } from '@fiat/schemas';
import { builtInDefinitions } from '@fiat/schemas/definitions';
import { createFakeFirehose } from '@fiat/testing/firehose';
import { formatTable } from '@fiat/provisioner';
import { z } from 'zod';

export async function useFiat(lakeDir: string): Promise<string> {
  const logger = Audit.configure('local', { app: 'consumer', email: 'dev@example.com', lakeDir });
  const call = logger.log({ task: 'add', task_args: { x: 1, y: 2 } });
  call.logOutput({ output: 3 });
  // @ts-expect-error task_args is required: the types are real, not any
  const refused = () => logger.log({ task: 'add' });
  void refused;

  const PageView: StreamDefinition<{ url: string }> = defineStream({ name: 'PageView', schema: z.object({ url: z.string() }) });
  const pages = ValidatedLog.configure('local', { app: 'consumer', email: 'dev@example.com', lakeDir, streams: [PageView] });
  pages.log(PageView, { url: '/' });
  try {
    pages.log(PageView, { url: 1 as unknown as string });
  } catch (error) {
    if (!isFiatError(error, 'VALIDATION_FAILED')) throw error;
    const fiatError: FiatError = error;
    void fiatError.issues;
  }

  // durability 'disk' works once '@fiat/core/durable' is imported (in each module format: its chunk registers it).
  const durable = ValidatedLog.configure('local', { app: 'consumer', email: 'dev@example.com', lakeDir, streams: [PageView], durability: 'disk', walDir: `${lakeDir}-wal` });
  durable.log(PageView, { url: '/durable' });
  const walRecords = durable.stats().wal?.records;
  await durable.close();

  const fake: FirehoseSendClient = createFakeFirehose();
  const handler = withFlush(logger, async (event: { n: number }) => event.n * 2);
  const doubled: number = await handler({ n: 2 }, {});

  // The Audit logger delivers its two records and the checkpoint of its hash chain.
  const closed = [await logger.close(), await pages.close()];
  return [
    `delivered ${closed.map((r) => r.delivered).join('+')}`,
    `doubled ${doubled}`,
    `wal ${walRecords}`,
    `streams ${AuditStream.name},${builtInDefinitions.map((d) => d.name).join(',')}`,
    `equal ${equal({ a: [1] }, { a: [1] })}`,
    `fake ${typeof fake.send}`,
    formatTable({ columns: ['n'], rows: [{ n: 1 }] }).split('\n')[0]?.trim() ?? '',
  ].join('; ');
}
