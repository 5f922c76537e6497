// Firehose path, Fiat: ValidatedLog with the Firehose transport at its defaults (packing, 500 records / 4 MiB per
// call, 4 calls in flight, retry budget) and a real FirehoseClient built from clientConfig.
import { ValidatedLog } from '@fiat/core';
import '@fiat/core/firehose'; // registers the 'firehose' transport
import { Audit } from '@fiat/schemas';
import { runProducer } from '../lib/firehose-driver.mjs';
import { LOGGER_OPTIONS } from '../lib/records.mjs';

await runProducer(({ clientConfig, spoolDir }) => {
  const logger = ValidatedLog.configure('firehose', { ...LOGGER_OPTIONS, streams: [Audit], clientConfig, spoolDir });
  return {
    log: (fields) => logger.log(Audit, fields),
    async close() {
      const report = await logger.close();
      const stats = logger.stats().transport;
      return { delivered: report.delivered, failed: report.undelivered, spooled: report.spooled, calls: stats.putRecordBatchCalls, resent: stats.retried };
    },
  };
});
