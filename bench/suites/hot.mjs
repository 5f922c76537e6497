// 1. Hot path and 6. latency: Fiat's local lake vs pino with a gzip worker transport, pino async to a plain file,
// and the stringify + gzip ceiling — the same records, fresh processes, rounds alternating, every output verified.
import { join } from 'node:path';
import { alternate } from '../lib/rounds.mjs';
import { runContender } from '../lib/spawn.mjs';
import { ratioSpread, round, spread } from '../lib/stats.mjs';
import { progress, ROUNDS, scaled, withScratch } from '../lib/suite.mjs';
import { verifyOutput } from '../lib/verify.mjs';

/** The contenders: script, the shape of their lines, and how their configuration is named in the tables. */
export const HOT_CONTENDERS = [
  { name: 'fiat', script: 'hot-fiat', shape: 'stored' },
  { name: 'pino_gzip', script: 'hot-pino-gzip', shape: 'pino' },
  { name: 'pino_file', script: 'hot-pino-file', shape: 'pino' },
  { name: 'ceiling', script: 'hot-ceiling', shape: 'stored' },
];

const SIZES = [
  { key: 'audit', size: 'audit', records: 200_000 },
  { key: '2k', size: 2048, records: 40_000 },
];

/** One verified run of a hot-path contender; resolves to its result and what its output holds. */
export async function hotRun(contender, { size, records, warmup, mode = 'throughput', nodeArgs = [] }) {
  return withScratch(contender.name, async (dir) => {
    const out = join(dir, 'out');
    const result = await runContender(contender.script, { size, records, warmup, out, mode }, { nodeArgs });
    const expectedLines = mode === 'latency' ? warmup + records : records;
    const output = await verifyOutput(out, { expectedLines, shape: contender.shape, size });
    return { ...result, ...output, ...(mode === 'latency' ? {} : { rps: records / result.seconds }) };
  });
}

function summarise(runs, records) {
  const contenders = {};
  for (const [name, list] of Object.entries(runs)) {
    contenders[name] = {
      rps: spread(list.map((r) => r.rps)),
      mb_per_s: spread(list.map((r) => (r.rps * r.line_bytes) / 1e6)),
      line_bytes: list[0].line_bytes,
      files: list[0].files,
      disk_mb: round(list[0].disk_bytes / 1e6),
      peak_rss_mb: spread(list.map((r) => r.peak_rss_mb)),
      // The main thread's minor page faults inside the clock's window, per MB of lines (null off Linux).
      faults_per_mb: list[0].main_thread_faults === null ? null : spread(list.map((r) => r.main_thread_faults / ((records * r.line_bytes) / 1e6))),
      verified_lines: list[0].lines,
    };
  }
  const rps = (name) => runs[name].map((r) => r.rps);
  return {
    records,
    contenders,
    ratios: {
      pino_gzip: ratioSpread(rps('fiat'), rps('pino_gzip')),
      pino_file: ratioSpread(rps('fiat'), rps('pino_file')),
      ceiling: ratioSpread(rps('fiat'), rps('ceiling')),
      pino_gzip_to_ceiling: ratioSpread(rps('pino_gzip'), rps('ceiling')),
    },
  };
}

async function latency() {
  const records = scaled(100_000, 1000);
  const warmup = scaled(20_000, 100);
  const contenders = HOT_CONTENDERS.filter((c) => c.name === 'fiat' || c.name === 'pino_gzip');
  const runs = await alternate(
    ROUNDS,
    contenders.map((c) => ({ name: c.name, run: () => hotRun(c, { size: 'audit', records, warmup, mode: 'latency' }) })),
    (m, r) => progress('latency', m, r),
  );
  const out = { records, warmup };
  for (const [name, list] of Object.entries(runs)) {
    out[name] = Object.fromEntries(['p50_us', 'p99_us', 'p999_us', 'max_us'].map((k) => [k, spread(list.map((r) => r[k]))]));
  }
  return out;
}

/** Runs comparison 1 at each record size and comparison 6; returns the `hot_path` section of results.json. */
export async function runHotSuite() {
  const sizes = {};
  for (const { key, size, records: count } of SIZES) {
    const records = scaled(count, 1000);
    const warmup = Math.round(records / 10);
    const runs = await alternate(
      ROUNDS,
      HOT_CONTENDERS.map((c) => ({ name: c.name, run: () => hotRun(c, { size, records, warmup }) })),
      (m, r) => progress(`hot ${key}`, m, { rps: Math.round(r.rps), lines: r.lines }),
    );
    sizes[key] = summarise(runs, records);
  }
  const lat = await latency();
  return { ratio: sizes.audit.ratios.pino_gzip.median, log_p99_us: lat.fiat.p99_us.median, sizes, latency: lat };
}
