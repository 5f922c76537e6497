// 4. Cold start: fresh processes timed from spawn to exit, both with the real SDK against the fake Firehose server
// (its own process, no added latency): Fiat (import, configure, one record, close) vs the SDK (import, one call).
import { alternate } from '../lib/rounds.mjs';
import { startServerProcess } from '../lib/server.mjs';
import { runNode, BENCH_DIR } from '../lib/spawn.mjs';
import { ratioSpread, spread } from '../lib/stats.mjs';
import { progress, withScratch } from '../lib/suite.mjs';

const RUNS = Number(process.env.BENCH_COLD_RUNS ?? 15);

/** Runs comparison 4; returns the `cold_start` section of results.json. */
export async function runColdSuite() {
  const server = await startServerProcess({ latencyMs: 0 });
  try {
    return await withScratch('cold', async (spoolDir) => {
      let expected = 0;
      const timed = (script) => async () => {
        const run = await runNode([`${BENCH_DIR}contenders/${script}.mjs`, JSON.stringify({ clientConfig: server.clientConfig })], { env: { BENCH_SPOOL_DIR: spoolDir } });
        expected += 1;
        const { lines } = await server.report();
        if (lines !== expected) throw new Error(`${script}: the server holds ${lines} records, expected ${expected}`);
        return { ms: run.wall_ms };
      };
      // One untimed run each first, so that neither pays for a cold file-system cache.
      await timed('cold-fiat')();
      await timed('cold-sdk')();
      const runs = await alternate(RUNS, [
        { name: 'fiat', run: timed('cold-fiat') },
        { name: 'sdk', run: timed('cold-sdk') },
      ], (m, r) => progress('cold', m, r));
      const fiat = runs.fiat.map((r) => r.ms);
      const sdk = runs.sdk.map((r) => r.ms);
      const ratios = ratioSpread(fiat, sdk);
      return { ratio: ratios.median, ratios, runs: RUNS, fiat_ms: spread(fiat), sdk_ms: spread(sdk) };
    });
  } finally {
    await server.stop();
  }
}
