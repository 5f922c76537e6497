// 4. Memory under an outage: 1,000,000 records logged while the fake server refuses every call. Peak RSS must
// stay under maxBufferBytes + 150 MB, and every record must be in the spool.
import { createReadStream } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Audit } from '@fiat/audit';
import { auditFields, LOGGER_OPTIONS, report } from './common.mjs';
import { DUMMY_CREDENTIALS, startServerProcess } from './server-process.mjs';

const N = Number(process.env.BENCH_OUTAGE_RECORDS ?? 1_000_000);
const MAX_BUFFER = Number(process.env.MAXBUF ?? 64 * 1024 * 1024);
// The server runs in its own process: only the logger's memory is measured.
// MEMORY_CLIENT=refusing replaces the SDK by a client that fails every call as a refused connection would,
// to tell the transport's own memory from the SDK's.
const refusing = process.env.MEMORY_CLIENT === 'refusing';
const server = refusing ? { endpoint: '', stop: async () => {} } : await startServerProcess({ down: true });
const refusingClient = {
  send: async () => {
    await new Promise((resolve) => setImmediate(resolve));
    throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1'), { code: 'ECONNREFUSED', name: 'Error' });
  },
};
const spoolDir = await mkdtemp(join(tmpdir(), 'fiat-bench-spool-'));
const errors = new Map();
const logger = Audit.configure('firehose', {
  ...LOGGER_OPTIONS,
  ...(refusing ? { client: refusingClient } : { clientConfig: { endpoint: server.endpoint, region: 'us-east-1', credentials: DUMMY_CREDENTIALS } }),
  spoolDir,
  maxBufferBytes: MAX_BUFFER,
  retry: { maxAttempts: 3, baseDelayMs: 50, maxRetryTimeMs: 2_000 },
  onError: (error) => errors.set(error.code, (errors.get(error.code) ?? 0) + 1),
});
let peak = process.memoryUsage().rss;
const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
const start = Date.now();
for (let i = 0; i < N; i++) {
  logger.validatedLog.log(Audit.stream, auditFields(i));
  if (i % 10_000 === 0) {
    peak = Math.max(peak, process.memoryUsage().rss);
    await new Promise((resolve) => setImmediate(resolve)); // let the transport run, as a server's event loop would
  }
}
const closed = await logger.close({ timeoutMs: 120_000 });
clearInterval(sampler);
peak = Math.max(peak, process.memoryUsage().rss, process.resourceUsage().maxRSS * 1024);
await server.stop();

const ids = new Set();
for (const stream of await readdir(spoolDir)) {
  if (stream === '_tmp') continue;
  for (const file of await readdir(join(spoolDir, stream))) {
    for await (const line of createInterface({ input: createReadStream(join(spoolDir, stream, file)) })) {
      if (line !== '') ids.add(JSON.parse(line).event_id);
    }
  }
}
await rm(spoolDir, { recursive: true, force: true });
const stats = logger.stats().transport;
report({
  [refusing ? 'memory_without_sdk' : 'memory']: {
    records: N,
    outage_peak_rss_mb: Math.round(peak / 1024 / 1024),
    max_buffer_mb: MAX_BUFFER / 1024 / 1024,
    rss_limit_mb: MAX_BUFFER / 1024 / 1024 + 150,
    spooled: ids.size,
    lost: N - ids.size,
    undelivered_reported: closed.undelivered,
    seconds: Number(((Date.now() - start) / 1000).toFixed(1)),
    transport_spooled: stats.spooled,
    errors: Object.fromEntries(errors),
  },
});
