// 8. Verify: `fiat verify` over a chained local lake of 1,000,000 audit records (cases/verify.mjs), timed from spawn
// to exit as a user runs it daily. Goal: at least 1,000,000 records per minute on one core.
import { runNode } from '../lib/spawn.mjs';
import { progress, scaled } from '../lib/suite.mjs';

/** Runs cases/verify.mjs in a fresh process; returns the `verify` section of results.json. */
export async function runVerifySuite() {
  const records = scaled(1_000_000, 10_000);
  const run = await runNode(['cases/verify.mjs'], { env: { BENCH_VERIFY_RECORDS: String(records) }, timeoutMs: 1_800_000 });
  const { verify } = JSON.parse(run.stdout.trim().split('\n').at(-1));
  progress('verify', 'done', verify);
  return { ...verify, goal: 1_000_000, met: verify.records_per_minute >= 1_000_000 };
}
