// Durable mode, Fiat: ValidatedLog with the local lake and durability 'disk' — every log() appends its stored line to
// the write-ahead log (one write(2)) before it returns; group commit fdatasyncs every walSyncMs (the `walSyncMs`
// parameter, else Fiat's default). The clock stops when close() resolved: everything fdatasync'd, in gzip lake files
// renamed into place, and the write-ahead segments deleted (checked). The log's counters go to `<lake>.wal.json`.
import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import '@fiat/core/durable';
import { ValidatedLog } from '@fiat/core';
import { Audit } from '@fiat/schemas';
import { params } from '../lib/contender.mjs';
import { runHot } from '../lib/hot-driver.mjs';
import { LOGGER_OPTIONS } from '../lib/records.mjs';

const { walSyncMs } = params();

await runHot(async (lakeDir) => {
  const walDir = `${lakeDir}-wal`;
  const logger = ValidatedLog.configure('local', {
    ...LOGGER_OPTIONS,
    streams: [Audit],
    lakeDir,
    durability: 'disk',
    walDir,
    ...(walSyncMs === undefined ? {} : { walSyncMs }),
  });
  return {
    log: (fields) => logger.log(Audit, fields),
    close: async () => {
      const report = await logger.close();
      if (report.undelivered > 0) throw new Error(`${report.undelivered} records undelivered`);
      const left = (await readdir(join(walDir, LOGGER_OPTIONS.app))).filter((f) => f.endsWith('.wal'));
      if (left.length > 0) throw new Error(`write-ahead segments left after close(): ${left.join(', ')}`);
      await writeFile(`${lakeDir}.wal.json`, JSON.stringify(logger.stats().wal));
    },
  };
});
