import { ValidatedLog } from '@fiat/core';
import { Audit } from '@fiat/schemas';
import { makePool, LOGGER_OPTIONS } from './lib/records.mjs';
import { rmSync } from 'node:fs';
const pool = makePool('audit');
const lakeDir = '/tmp/p2perf/latlake';
rmSync(lakeDir, { recursive: true, force: true });
const logger = ValidatedLog.configure('local', { ...LOGGER_OPTIONS, streams: [Audit], lakeDir });
for (let i = 0; i < 20000; i++) { logger.log(Audit, pool[i % pool.length]); if (i % 2383 === 2382) await new Promise((r) => setImmediate(r)); }
import { threadStat } from './lib/contender.mjs';
const st0 = threadStat(); console.log('allocs before loop', globalThis.__allocs);
const N = 100000; const d = new Float64Array(N);
for (let i = 0; i < N; i++) {
  const t0 = process.hrtime.bigint();
  logger.log(Audit, pool[i % pool.length]);
  d[i] = Number(process.hrtime.bigint() - t0) / 1000;
  if (i % 2383 === 2382) await new Promise((r) => setImmediate(r));
}
const st1 = threadStat(); console.log('allocs', globalThis.__allocs, 'main faults in loop', st1.faults - st0.faults, 'cpu', st1.cpu_ms - st0.cpu_ms);
await logger.close();
const sorted = [...d].sort((a, b) => a - b);
console.log('p50', sorted[N / 2], 'p99', sorted[N * 0.99], 'p99.9', sorted[N * 0.999]);
const slow = []; for (let i = 0; i < N; i++) if (d[i] > sorted[N * 0.99]) slow.push(i);
console.log('slow count', slow.length, 'first', slow.slice(0, 40).join(','));
const gaps = slow.slice(1).map((v, i) => v - slow[i]); gaps.sort((a, b) => a - b);
console.log('gap median', gaps[gaps.length >> 1], 'mod 2383 of slow:', slow.slice(0, 20).map((i) => i % 2383).join(','));
