import { ValidatedLog } from '@fiat/core';
import { Audit } from '@fiat/schemas';
import { makePool, LOGGER_OPTIONS } from './lib/records.mjs';
import { rmSync, readFileSync, openSync, readSync } from 'node:fs';
const fd = openSync('/proc/thread-self/stat', 'r'); const sb = Buffer.alloc(1024);
const faults = () => { const n = readSync(fd, sb, 0, 1024, 0); const s = sb.toString('latin1', 0, n); return Number(s.slice(s.lastIndexOf(')') + 2).split(' ')[7]); };
const pool = makePool('audit');
const lakeDir = '/tmp/p2perf/latlake';
rmSync(lakeDir, { recursive: true, force: true });
const logger = ValidatedLog.configure('local', { ...LOGGER_OPTIONS, streams: [Audit], lakeDir });
for (let i = 0; i < 20000; i++) { logger.log(Audit, pool[i % pool.length]); if (i % 2383 === 2382) await new Promise((r) => setImmediate(r)); }
const N = 100000; const d = new Float64Array(N); const fl = new Float64Array(N); let yf = 0;
const objs = () => logger.stats().transport.objects;
for (let i = 0; i < N; i++) {
  const f0 = faults();
  const t0 = process.hrtime.bigint();
  logger.log(Audit, pool[i % pool.length]);
  d[i] = Number(process.hrtime.bigint() - t0) / 1000;
  fl[i] = faults() - f0;
  if (i % 2383 === 2382) { const a = faults(); await new Promise((r) => setImmediate(r)); yf += faults() - a; }
}
await logger.close();
let tot = 0, callsWith = 0; for (let i = 0; i < N; i++) { tot += fl[i]; if (fl[i] > 0) callsWith++; }
console.log('faults in log() calls', tot, 'calls with faults', callsWith, 'faults during yields', yf);
const sorted = [...d].sort((a, b) => a - b); const p99 = sorted[N * 0.99];
let slowWithFault = 0, slow = 0; for (let i = 0; i < N; i++) if (d[i] > p99) { slow++; if (fl[i] > 0) slowWithFault++; }
console.log('p99', p99, 'slow', slow, 'slow with a fault', slowWithFault);
