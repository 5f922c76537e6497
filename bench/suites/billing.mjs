// Billing: billed ÷ raw bytes with packing on and off (counted by the fake Firehose; deterministic, one run).
import { runContender } from '../lib/spawn.mjs';
import { resultFields, scaled } from '../lib/suite.mjs';

/** Runs the billing comparison; returns the `billing` section of results.json. */
export async function runBillingSuite() {
  return resultFields(await runContender('billing', { records: scaled(100_000, 1000) }));
}
