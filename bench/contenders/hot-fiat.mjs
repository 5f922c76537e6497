// Hot path, Fiat: ValidatedLog with the local lake transport at its defaults (validated, enveloped, encoded, gzip-1
// NDJSON files of 1 MiB in the lake layout). close() resolves once the last file is fsync'd and renamed into place.
import { ValidatedLog } from '@fiat/core';
import { Audit } from '@fiat/schemas';
import { runHot } from '../lib/hot-driver.mjs';
import { LOGGER_OPTIONS } from '../lib/records.mjs';

await runHot(async (lakeDir) => {
  const logger = ValidatedLog.configure('local', { ...LOGGER_OPTIONS, streams: [Audit], lakeDir });
  return {
    log: (fields) => logger.log(Audit, fields),
    close: async () => {
      const report = await logger.close();
      if (report.undelivered > 0) throw new Error(`${report.undelivered} records undelivered`);
    },
  };
});
