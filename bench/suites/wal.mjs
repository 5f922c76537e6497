// Durable mode: Fiat's durability 'disk' (write-ahead log, group commit) side by side with pino writing synchronously
// to a file (pino.destination({ sync: true })), and Fiat's memory mode for the cost of durability — the same audit
// records, fresh processes, rounds alternating, every output verified. Then log() p50/p99 of the two durable
// contenders, and a sweep of walSyncMs (throughput and fdatasync rate) that justifies the default.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { alternate } from '../lib/rounds.mjs';
import { runContender } from '../lib/spawn.mjs';
import { ratioSpread, round, spread } from '../lib/stats.mjs';
import { progress, ROUNDS, scaled, withScratch } from '../lib/suite.mjs';
import { verifyOutput } from '../lib/verify.mjs';

const CONTENDERS = [
  { name: 'fiat_disk', script: 'wal-fiat-disk', shape: 'stored' },
  { name: 'pino_sync', script: 'wal-pino-sync', shape: 'pino' },
  { name: 'fiat_memory', script: 'hot-fiat', shape: 'stored' },
];

/** One verified run; resolves to the contender's result, what its output holds and (Fiat disk) the log's counters. */
async function walRun(contender, { records, warmup, mode = 'throughput', walSyncMs }) {
  return withScratch(contender.name, async (dir) => {
    const out = join(dir, 'out');
    const result = await runContender(contender.script, { size: 'audit', records, warmup, out, mode, ...(walSyncMs === undefined ? {} : { walSyncMs }) });
    const expectedLines = mode === 'latency' ? warmup + records : records;
    const output = await verifyOutput(out, { expectedLines, shape: contender.shape, size: 'audit' });
    const wal = contender.script === 'wal-fiat-disk' ? JSON.parse(await readFile(`${out}.wal.json`, 'utf8')) : undefined;
    return { ...result, ...output, ...(mode === 'latency' ? {} : { rps: records / result.seconds }), ...(wal ? { wal } : {}) };
  });
}

async function throughput() {
  const records = scaled(200_000, 1000);
  const runs = await alternate(
    ROUNDS,
    CONTENDERS.map((c) => ({ name: c.name, run: () => walRun(c, { records, warmup: Math.round(records / 10) }) })),
    (m, r) => progress('wal', m, { rps: Math.round(r.rps), lines: r.lines, syncs: r.wal?.syncs }),
  );
  const rps = (name) => runs[name].map((r) => r.rps);
  const contenders = Object.fromEntries(Object.entries(runs).map(([name, list]) => [name, { rps: spread(list.map((r) => r.rps)), verified_lines: list[0].lines }]));
  const syncs = runs.fiat_disk.map((r) => r.wal.syncs / r.seconds);
  return {
    records,
    contenders,
    fiat_disk_fsyncs_per_s: spread(syncs),
    ratios: { pino_sync: ratioSpread(rps('fiat_disk'), rps('pino_sync')), fiat_memory: ratioSpread(rps('fiat_disk'), rps('fiat_memory')) },
  };
}

async function latency() {
  const records = scaled(100_000, 1000);
  const warmup = scaled(20_000, 100);
  const runs = await alternate(
    ROUNDS,
    CONTENDERS.slice(0, 2).map((c) => ({ name: c.name, run: () => walRun(c, { records, warmup, mode: 'latency' }) })),
    (m, r) => progress('wal latency', m, r),
  );
  const out = { records, warmup };
  for (const [name, list] of Object.entries(runs)) {
    out[name] = Object.fromEntries(['p50_us', 'p99_us', 'p999_us', 'max_us'].map((k) => [k, spread(list.map((r) => r[k]))]));
  }
  return out;
}

/** walSyncMs from "fdatasync in every log()" to 20 ms: throughput, fdatasync rounds per second, log() p99. */
async function sweep() {
  const out = {};
  for (const walSyncMs of [0, 1, 2, 5, 10, 20]) {
    const records = walSyncMs === 0 ? scaled(5_000, 500) : scaled(100_000, 1000);
    const warmup = Math.round(records / 10);
    const runs = [];
    for (let r = 0; r < ROUNDS; r++) runs.push(await walRun(CONTENDERS[0], { records, warmup, walSyncMs }));
    const lat = await walRun(CONTENDERS[0], { records, warmup, walSyncMs, mode: 'latency' });
    out[walSyncMs] = {
      records,
      rps: spread(runs.map((r) => r.rps)),
      fsyncs_per_s: spread(runs.map((r) => r.wal.syncs / r.seconds)),
      records_per_fsync: round(records / Math.max(1, runs[0].wal.syncs)),
      p50_us: lat.p50_us,
      p99_us: lat.p99_us,
    };
    progress('wal sweep', `walSyncMs ${walSyncMs}`, out[walSyncMs]);
  }
  return out;
}

/** Runs the durable-mode comparison; returns the `durability` section of results.json. */
export async function runWalSuite() {
  const tp = await throughput();
  const lat = await latency();
  const walSyncMs = await sweep();
  return {
    ratio_pino_sync: tp.ratios.pino_sync.median,
    log_p50_us: lat.fiat_disk.p50_us.median,
    log_p99_us: lat.fiat_disk.p99_us.median,
    throughput: tp,
    latency: lat,
    wal_sync_ms: walSyncMs,
  };
}
