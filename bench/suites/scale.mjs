// 7. Scale: Fiat's local lake vs the stringify + gzip ceiling by record size (the fields' JSON: 200 B, 2 KB, 20 KB,
// 200 KB), about 48 MB of records per run; throughput and peak RSS as ratios to the ceiling.
import { alternate } from '../lib/rounds.mjs';
import { ratioSpread, spread } from '../lib/stats.mjs';
import { progress, ROUNDS, scaled } from '../lib/suite.mjs';
import { HOT_CONTENDERS, hotRun } from './hot.mjs';

const SIZES = [200, 2048, 20_480, 204_800];
const BYTES_PER_RUN = 48e6;

/** Runs comparison 7; returns the `scale` section of results.json. */
export async function runScaleSuite() {
  const contenders = HOT_CONTENDERS.filter((c) => c.name === 'fiat' || c.name === 'ceiling');
  const sizes = {};
  for (const size of SIZES) {
    const records = scaled(Math.min(200_000, Math.round(BYTES_PER_RUN / size)), 50);
    const warmup = Math.max(10, Math.round(records / 10));
    const runs = await alternate(
      ROUNDS,
      contenders.map((c) => ({ name: c.name, run: () => hotRun(c, { size, records, warmup }) })),
      (m, r) => progress(`scale ${size}`, m, { rps: Math.round(r.rps), rss: r.peak_rss_mb }),
    );
    const of = (name, key) => runs[name].map((r) => r[key]);
    sizes[String(size)] = {
      records,
      line_bytes: runs.fiat[0].line_bytes,
      fiat: { rps: spread(of('fiat', 'rps')), peak_rss_mb: spread(of('fiat', 'peak_rss_mb')) },
      ceiling: { rps: spread(of('ceiling', 'rps')), peak_rss_mb: spread(of('ceiling', 'peak_rss_mb')) },
      throughput_ratio: ratioSpread(of('fiat', 'rps'), of('ceiling', 'rps')),
      rss_ratio: ratioSpread(of('fiat', 'peak_rss_mb'), of('ceiling', 'peak_rss_mb')),
    };
  }
  return { sizes, min_throughput_ratio: Math.min(...Object.values(sizes).map((s) => s.throughput_ratio.median)) };
}
