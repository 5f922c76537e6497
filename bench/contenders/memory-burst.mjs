// The local lake's peak RSS in a synchronous burst: `records` audit records logged in one synchronous loop (no
// yield: the transport cannot write a file until the loop ends), then close().
import { ValidatedLog } from '@fiat/core';
import { Audit } from '@fiat/schemas';
import { finish, params } from '../lib/contender.mjs';
import { auditFields, LOGGER_OPTIONS } from '../lib/records.mjs';

const { records, lakeDir } = params();
const logger = ValidatedLog.configure('local', { ...LOGGER_OPTIONS, streams: [Audit], lakeDir });
const baseline = process.memoryUsage().rss;
for (let i = 0; i < records; i++) logger.log(Audit, auditFields(i));
const afterLoop = process.memoryUsage().rss;
const report = await logger.close();
if (report.undelivered > 0) throw new Error(`${report.undelivered} records undelivered`);
finish({
  records,
  baseline_rss_mb: Math.round(baseline / 2 ** 20),
  after_loop_rss_mb: Math.round(afterLoop / 2 ** 20),
  burst_peak_rss_mb: Math.round((process.resourceUsage().maxRSS * 1024) / 2 ** 20),
});
