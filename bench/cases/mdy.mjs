import { Audit } from '@fiat/audit';
import { auditFields, LOGGER_OPTIONS } from './common.mjs';
const client = { send: async (c) => ({ FailedPutCount: 0, RequestResponses: c.input.Records.map((_, i) => ({ RecordId: String(i) })) }) };
const mode = process.env.MODE ?? 'ok';
const refusing = { send: async () => { await new Promise((r) => setImmediate(r)); throw Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }); } };
const noop = { kind: 'noop', write() {}, flush: async () => {}, close: async () => ({ delivered: 0, undelivered: 0 }), stats: () => ({ pending: 0 }) };
const logger = mode === 'noop' ? Audit.configure(noop, LOGGER_OPTIONS) : mode === 'none'
  ? null
  : Audit.configure('firehose', { ...LOGGER_OPTIONS, client: mode === 'ok' ? client : refusing, spoolDir: '/tmp/mdy-spool', maxBufferBytes: 1 << 20, recycleBuffers: true, retry: { maxAttempts: 3, baseDelayMs: 50, maxRetryTimeMs: 2000 } });
let peak = 0;
for (let i = 0; i < 1_000_000; i++) {
  if (logger) logger.validatedLog.log(Audit.stream, auditFields(i)); else JSON.stringify(auditFields(i));
  if (i % 10_000 === 0) { const mu = process.memoryUsage(); if (i % 200_000 === 0) console.log(i, 'rss', mu.rss >> 20, 'heapTotal', mu.heapTotal >> 20, 'heapUsed', mu.heapUsed >> 20, 'ext', mu.external >> 20, 'ab', mu.arrayBuffers >> 20); peak = Math.max(peak, mu.rss); await new Promise((r) => setImmediate(r)); }
}
await logger?.close();
console.log(mode, 'peak rss', (Math.max(peak, process.resourceUsage().maxRSS * 1024) / 1048576).toFixed(0));
