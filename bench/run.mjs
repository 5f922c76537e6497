// npm run bench: every comparison of BENCHMARKS.md, one suite after another, each contender in a fresh process.
// `node bench/run.mjs hot query` runs a subset (suite names: hot, firehose, billing, query, cold, memory, scale,
// profile, chain, verify, wal, redact); the other sections of results.json are kept from the previous run, each with its own date and load.
// Writes bench/results.json and regenerates BENCHMARKS.md's results and profile sections from it.
// BENCH_ROUNDS (default 3), BENCH_SCALE (default 1) and BENCH_FIREHOSE_LATENCY_MS (default 20) make a trial run.
import { readFile, writeFile } from 'node:fs/promises';
import { cpus, platform, release, totalmem } from 'node:os';
import { sampleLoad } from './lib/load.mjs';
import { resultsMarkdown } from './lib/markdown.mjs';
import { BENCH_DIR, runContender } from './lib/spawn.mjs';
import { resultFields, ROUNDS, SCALE } from './lib/suite.mjs';
import { renderBenchmarks } from './render.mjs';
import { runBillingSuite } from './suites/billing.mjs';
import { runChainSuite } from './suites/chain.mjs';
import { runColdSuite } from './suites/cold.mjs';
import { runFirehoseSuite } from './suites/firehose.mjs';
import { runHotSuite } from './suites/hot.mjs';
import { runMemorySuite } from './suites/memory.mjs';
import { runProfileSuite } from './suites/profile.mjs';
import { runQuerySuite } from './suites/query.mjs';
import { runRedactSuite } from './suites/redact.mjs';
import { runScaleSuite } from './suites/scale.mjs';
import { runVerifySuite } from './suites/verify.mjs';
import { runWalSuite } from './suites/wal.mjs';

/** Every suite: its name on the command line, its key in results.json, and its runner. */
const SUITES = [
  { name: 'hot', key: 'hot_path', run: runHotSuite },
  { name: 'firehose', key: 'naive', run: runFirehoseSuite },
  { name: 'billing', key: 'billing', run: runBillingSuite },
  { name: 'query', key: 'query', run: runQuerySuite },
  { name: 'cold', key: 'cold_start', run: runColdSuite },
  { name: 'memory', key: 'memory', run: runMemorySuite },
  { name: 'scale', key: 'scale', run: runScaleSuite },
  { name: 'profile', key: 'profiles', run: runProfileSuite },
  { name: 'chain', key: 'chain', run: runChainSuite },
  { name: 'verify', key: 'verify', run: runVerifySuite },
  { name: 'wal', key: 'durability', run: runWalSuite },
  { name: 'redact', key: 'redaction', run: runRedactSuite },
];

// A trial run (BENCH_SCALE ≠ 1, fewer than 3 rounds, another Firehose latency) writes bench/results.trial.json and
// leaves results.json and BENCHMARKS.md alone.
const TRIAL = SCALE !== 1 || ROUNDS < 3 || (process.env.BENCH_FIREHOSE_LATENCY_MS ?? '20') !== '20';
const RESULTS = `${BENCH_DIR}${TRIAL ? 'results.trial.json' : 'results.json'}`;
const wanted = process.argv.slice(2);
const unknown = wanted.filter((w) => !SUITES.some((s) => s.name === w));
if (unknown.length > 0) {
  process.stderr.write(`bench: unknown suite ${unknown.join(', ')} (suites: ${SUITES.map((s) => s.name).join(', ')})\n`);
  process.exit(2);
}
if (TRIAL) process.stderr.write('bench: trial run (BENCH_SCALE, BENCH_ROUNDS or BENCH_FIREHOSE_LATENCY_MS changed): writing bench/results.trial.json\n');

const previous = wanted.length > 0 ? JSON.parse(await readFile(RESULTS, 'utf8').catch(() => '{}')) : {};
const results = {
  ...previous,
  node: process.version,
  cpus: cpus().length,
  cpu_model: cpus()[0]?.model.trim() ?? 'unknown',
  mem_gb: Math.round(totalmem() / 2 ** 30),
  platform: `${platform()} ${release()}`,
  rounds: ROUNDS,
  bench_scale: SCALE,
};
const started = Date.now();
const load = sampleLoad();
results.memory_probe = resultFields(await runContender('probe-memory', {}));
let failed = false;
for (const suite of SUITES) {
  if (wanted.length > 0 && !wanted.includes(suite.name)) continue;
  process.stderr.write(`bench: ${suite.name} …\n`);
  const t0 = Date.now();
  const suiteLoad = sampleLoad();
  try {
    const section = await suite.run();
    const run = { date: new Date(t0).toISOString(), seconds: Math.round((Date.now() - t0) / 1000), load_avg: suiteLoad.stop() };
    results[suite.key] = { ...section, run };
    process.stderr.write(`bench: ${suite.name} done in ${run.seconds} s\n`);
  } catch (error) {
    suiteLoad.stop();
    failed = true;
    results[suite.key] = { error: String(error.message).split('\n')[0], run: { date: new Date(t0).toISOString() } };
    process.stderr.write(`bench: ${suite.name} FAILED: ${error.stack}\n`);
  }
}
results.date = new Date(started).toISOString();
results.duration_s = Math.round((Date.now() - started) / 1000);
results.load_avg = load.stop();
await writeFile(RESULTS, `${JSON.stringify(results, null, 2)}\n`);
const markdown = TRIAL ? resultsMarkdown(results) : await renderBenchmarks(results);
const wrote = TRIAL ? 'bench/results.trial.json' : "bench/results.json and BENCHMARKS.md's results";
process.stdout.write(`${markdown}\n\nwrote ${wrote} (${results.duration_s} s)\n`);
if (failed) process.exit(1);
