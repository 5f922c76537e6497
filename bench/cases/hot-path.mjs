// 1. Hot path: ValidatedLog + local transport (validated, encoded, gzip NDJSON files) vs pino to a file.
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ValidatedLog } from '@fiat/core';
import { Audit } from '@fiat/schemas';
import pino from 'pino';
import { auditFields, LOGGER_OPTIONS, percentile, report } from './common.mjs';

const N = Number(process.env.BENCH_HOT_RECORDS ?? 300_000);
const records = Array.from({ length: N }, (_, i) => auditFields(i));

async function fiat() {
  const lakeDir = await mkdtemp(join(tmpdir(), 'fiat-bench-'));
  const logger = ValidatedLog.configure('local', { ...LOGGER_OPTIONS, streams: [Audit], lakeDir });
  const start = process.hrtime.bigint();
  for (let i = 0; i < N; i++) logger.log(Audit, records[i]);
  await logger.close();
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  await rm(lakeDir, { recursive: true, force: true });
  return N / seconds;
}

async function pinoRun() {
  const dir = await mkdtemp(join(tmpdir(), 'pino-bench-'));
  const destination = pino.destination({ dest: join(dir, 'out.log'), sync: false, minLength: 4096 });
  await once(destination, 'ready');
  const logger = pino({ base: { app: LOGGER_OPTIONS.app, email: LOGGER_OPTIONS.email, tags: LOGGER_OPTIONS.tags } }, destination);
  const start = process.hrtime.bigint();
  for (let i = 0; i < N; i++) logger.info(records[i]);
  const closed = once(destination, 'close');
  destination.end(); // writes what is buffered, then closes the file
  await closed;
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  await rm(dir, { recursive: true, force: true });
  return N / seconds;
}

async function latency() {
  const lakeDir = await mkdtemp(join(tmpdir(), 'fiat-bench-'));
  const logger = ValidatedLog.configure('local', { ...LOGGER_OPTIONS, streams: [Audit], lakeDir });
  const M = Math.min(N, 100_000);
  const samples = new Float64Array(M);
  for (let i = 0; i < M; i++) {
    const t0 = process.hrtime.bigint();
    logger.log(Audit, records[i]);
    samples[i] = Number(process.hrtime.bigint() - t0) / 1000;
  }
  await logger.close();
  await rm(lakeDir, { recursive: true, force: true });
  const sorted = Array.from(samples).sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p99: percentile(sorted, 99) };
}

// Warm both up, then alternate runs and keep each side's best.
await fiat();
await pinoRun();
let fiatBest = 0;
let pinoBest = 0;
for (let round = 0; round < 3; round++) {
  pinoBest = Math.max(pinoBest, await pinoRun());
  fiatBest = Math.max(fiatBest, await fiat());
}
const { p50, p99 } = await latency();
report({
  hot_path: {
    records: N,
    fiat_rps: Math.round(fiatBest),
    pino_rps: Math.round(pinoBest),
    ratio: Number((fiatBest / pinoBest).toFixed(3)),
    log_p50_us: Number(p50.toFixed(2)),
    log_p99_us: Number(p99.toFixed(2)),
  },
});
