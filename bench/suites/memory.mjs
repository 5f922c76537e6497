// 5. Memory: peak RSS during a Firehose outage at maxBufferBytes 16, 64 and 256 MiB with the default retry budget
// (real SDK; and at 64 MiB a refusing client instead of the SDK), every record read back from the spool; and the
// local lake's peak RSS in a synchronous burst.
import { join } from 'node:path';
import { startServerProcess } from '../lib/server.mjs';
import { runContender } from '../lib/spawn.mjs';
import { progress, resultFields, scaled, withScratch } from '../lib/suite.mjs';
import { verifyOutput, verifySpool } from '../lib/verify.mjs';

/** The goal: peak RSS at most maxBufferBytes + this many MB. */
export const RSS_HEADROOM_MB = 100;
const RUNS = [
  { maxBufferMb: 16, client: 'sdk' },
  { maxBufferMb: 64, client: 'sdk' },
  { maxBufferMb: 256, client: 'sdk' },
  { maxBufferMb: 64, client: 'refusing' },
];

async function outage({ maxBufferMb, client }, records) {
  const server = client === 'sdk' ? await startServerProcess({ down: true }) : undefined;
  try {
    return await withScratch('outage', async (spoolDir) => {
      const result = await runContender('memory-outage', { records, maxBufferMb, client, clientConfig: server?.clientConfig, spoolDir });
      const spool = await verifySpool(spoolDir, records);
      return { max_buffer_mb: maxBufferMb, client, limit_mb: maxBufferMb + RSS_HEADROOM_MB, ...resultFields(result), ...spool };
    });
  } finally {
    await server?.stop();
  }
}

async function burst(records) {
  return withScratch('burst', async (dir) => {
    const lakeDir = join(dir, 'lake');
    const result = resultFields(await runContender('memory-burst', { records, lakeDir }));
    const output = await verifyOutput(lakeDir, { expectedLines: records, shape: 'stored', size: 'audit' });
    return { ...result, files: output.files };
  });
}

/** Runs comparison 5; returns the `memory` section of results.json. */
export async function runMemorySuite() {
  const records = scaled(1_000_000, 1000);
  const outages = [];
  for (const run of RUNS) {
    const result = await outage(run, records);
    progress('memory', `outage ${run.maxBufferMb} MiB ${run.client}`, { peak: result.outage_peak_rss_mb, seconds: result.seconds });
    outages.push(result);
  }
  const main = outages.find((o) => o.max_buffer_mb === 64 && o.client === 'sdk');
  const burstResult = await burst(records);
  progress('memory', 'burst', burstResult);
  return {
    outage_peak_rss_mb: main.outage_peak_rss_mb,
    max_buffer_mb: main.max_buffer_mb,
    rss_limit_mb: main.limit_mb,
    records,
    outages,
    burst: burstResult,
  };
}
