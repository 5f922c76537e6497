// 9. Tamper evidence on the hot path: the same audit records through the local lake with the Audit hash chain on
// (sealed records, HMAC-signed checkpoints every 10,000 records) and off, fresh processes, rounds alternating. Every
// output is read back; the chained one is also checked with `fiat verify`. Goal: chain on ≥ 0.8× chain off.
import { spawnSync } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { alternate } from '../lib/rounds.mjs';
import { runContender } from '../lib/spawn.mjs';
import { ratioSpread, spread } from '../lib/stats.mjs';
import { progress, ROUNDS, scaled, withScratch } from '../lib/suite.mjs';
import { verifyOutput } from '../lib/verify.mjs';

const CHAIN_KEY = 'bench-checkpoint-key-0123456789abcdef';
const FIAT = fileURLToPath(new URL('../../packages/provisioner/bin/fiat.js', import.meta.url));
const CONTENDERS = [
  { name: 'chain_on', chain: true },
  { name: 'chain_off', chain: false },
];

/** `fiat verify Audit` over a contender's lake: every record verified, every checkpoint valid, exit 0. */
function verifyChain(lakeDir, records) {
  const run = spawnSync(process.execPath, [FIAT, 'verify', 'Audit', '--lake-dir', lakeDir, '--json'], {
    encoding: 'utf8',
    env: { ...process.env, FIAT_CHAIN_KEY: CHAIN_KEY },
    maxBuffer: 64 * 1024 * 1024,
  });
  if (run.status !== 0) throw new Error(`fiat verify exited with ${run.status}: ${run.stderr.slice(-2000)}`);
  const [chain, ...others] = JSON.parse(run.stdout).chains;
  if (others.length > 0 || chain.verified !== records || chain.checkpoints.lastSeq !== records) {
    throw new Error(`fiat verify: expected one chain of ${records} verified records, got ${JSON.stringify(JSON.parse(run.stdout).chains).slice(0, 300)}`);
  }
  return chain.checkpoints.valid;
}

async function checkpointFiles(lakeDir) {
  try {
    return (await readdir(join(lakeDir, '_fiat_checkpoint'), { recursive: true })).filter((f) => f.endsWith('.gz')).length;
  } catch {
    return 0;
  }
}

/** One verified run: records/s (or latency percentiles), the audit files read back, the chain verified. */
async function chainRun(contender, { records, warmup, mode }) {
  return withScratch(contender.name, async (dir) => {
    const out = join(dir, 'out');
    const result = await runContender('hot-fiat-chain', { size: 'audit', records, warmup, out, mode, chain: contender.chain, chainKey: CHAIN_KEY });
    const expectedLines = mode === 'latency' ? warmup + records : records;
    const output = await verifyOutput(join(out, 'audit'), { expectedLines, shape: 'stored', size: 'audit' });
    const checkpoints = contender.chain ? verifyChain(out, expectedLines) : await checkpointFiles(out);
    if (!contender.chain && checkpoints > 0) throw new Error('chain off wrote checkpoints');
    return { ...result, ...output, checkpoints, ...(mode === 'latency' ? {} : { rps: records / result.seconds }) };
  });
}

/** Runs the chain comparison; returns the `chain` section of results.json (`ratio`: chain on ÷ chain off records/s). */
export async function runChainSuite() {
  const records = scaled(200_000, 1000);
  const warmup = Math.round(records / 10);
  const contenders = (mode, count, warm) =>
    CONTENDERS.map((c) => ({ name: c.name, run: () => chainRun(c, { records: count, warmup: warm, mode }) }));
  const throughput = await alternate(ROUNDS, contenders('throughput', records, warmup), (m, r) => progress('chain', m, { rps: Math.round(r.rps) }));
  const latencyRecords = scaled(100_000, 1000);
  const latency = await alternate(ROUNDS, contenders('latency', latencyRecords, Math.round(latencyRecords / 5)), (m, r) => progress('chain latency', m, { p99_us: r.p99_us }));
  const section = { records, goal: 0.8, contenders: {} };
  for (const { name } of CONTENDERS) {
    const runs = throughput[name];
    section.contenders[name] = {
      rps: spread(runs.map((r) => r.rps)),
      line_bytes: runs[0].line_bytes,
      files: runs[0].files,
      checkpoints: runs[0].checkpoints,
      peak_rss_mb: spread(runs.map((r) => r.peak_rss_mb)),
      p50_us: spread(latency[name].map((r) => r.p50_us)),
      p99_us: spread(latency[name].map((r) => r.p99_us)),
    };
  }
  const ratios = ratioSpread(throughput.chain_on.map((r) => r.rps), throughput.chain_off.map((r) => r.rps));
  return { ratio: ratios.median, ratios, met: ratios.median >= 0.8, ...section };
}
