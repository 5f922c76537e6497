// Memory during an outage: `records` audit records logged (yielding to the event loop every 10,000, as a server
// would) while every call fails, with the default retry budget and `maxBufferBytes` of `maxBufferMb`. client 'sdk':
// the real SDK against the fake server (in its own process) that drops every connection; 'refusing': a client that
// fails every call as a refused connection would, to tell Fiat's memory from the SDK's. Peak RSS is the larger of
// a 5 ms sampler and the process's maxRSS. The parent reads the spool back.
import { ValidatedLog } from '@fiat/core';
import '@fiat/core/firehose'; // registers the 'firehose' transport
import { Audit } from '@fiat/schemas';
import { finish, params, yieldToLoop } from '../lib/contender.mjs';
import { auditFields, LOGGER_OPTIONS } from '../lib/records.mjs';

const { records, maxBufferMb, client, clientConfig, spoolDir } = params();
const refusingClient = {
  send: async () => {
    await yieldToLoop();
    throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1'), { code: 'ECONNREFUSED', name: 'Error' });
  },
};
const errors = {};
const logger = ValidatedLog.configure('firehose', {
  ...LOGGER_OPTIONS,
  streams: [Audit],
  // The SDK keeps no Data after send; the refusing client neither: recycle buffers in both, as the SDK path does by default.
  ...(client === 'refusing' ? { client: refusingClient, recycleBuffers: true } : { clientConfig }),
  spoolDir,
  maxBufferBytes: maxBufferMb * 1024 * 1024,
  onError: (error) => (errors[error.code] = (errors[error.code] ?? 0) + 1),
});
const baseline = process.memoryUsage().rss;
let peak = baseline;
const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
const start = Date.now();
for (let i = 0; i < records; i++) {
  logger.log(Audit, auditFields(i));
  if (i % 10_000 === 9_999) {
    peak = Math.max(peak, process.memoryUsage().rss);
    await yieldToLoop();
  }
}
const closed = await logger.close({ timeoutMs: 300_000 });
clearInterval(sampler);
peak = Math.max(peak, process.memoryUsage().rss, process.resourceUsage().maxRSS * 1024);
const stats = logger.stats().transport;
finish({
  records,
  baseline_rss_mb: Math.round(baseline / 2 ** 20),
  outage_peak_rss_mb: Math.round(peak / 2 ** 20),
  seconds: Number(((Date.now() - start) / 1000).toFixed(1)),
  undelivered: closed.undelivered,
  spooled: stats.spooled,
  lost: stats.lost,
  peak_buffered_mb: Math.round(stats.peakBufferedBytes / 2 ** 20),
  errors,
});
