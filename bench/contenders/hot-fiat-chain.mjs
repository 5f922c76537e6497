// Hot path, Fiat with the Audit stream's hash chain on or off (params.chain): otherwise hot-fiat (whose checkpoints are unsigned). On, every
// record is sealed (chain_id, chain_seq, chain_hash) and a checkpoint signed with params.chainKey (HMAC) is written
// every 10,000 records and at close(); off is the logger option integrity: { Audit: 'none' }.
import { ValidatedLog } from '@fiat/core';
import { Audit } from '@fiat/schemas';
import { params } from '../lib/contender.mjs';
import { runHot } from '../lib/hot-driver.mjs';
import { LOGGER_OPTIONS } from '../lib/records.mjs';

const { chain: chained, chainKey } = params();
await runHot(async (lakeDir) => {
  const logger = ValidatedLog.configure('local', {
    ...LOGGER_OPTIONS,
    streams: [Audit],
    lakeDir,
    ...(chained ? { chainKey } : { integrity: { Audit: 'none' } }),
  });
  return {
    log: (fields) => logger.log(Audit, fields),
    close: async () => {
      const report = await logger.close();
      if (report.undelivered > 0) throw new Error(`${report.undelivered} records undelivered`);
    },
  };
});
