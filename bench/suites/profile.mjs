// Where the time goes: node --cpu-prof on Fiat's hot path (260 B and 200 KB records), the same for the ceiling and
// pino's main thread, and `fiat query`'s start-up. The .cpuprofile files stay in bench/profiles/ (open them in
// Chrome DevTools); results.json keeps the summaries.
import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { BENCH_DIR, runContender, runNode } from '../lib/spawn.mjs';
import { summariseProfile } from '../lib/cpuprofile.mjs';
import { progress, scaled, withScratch } from '../lib/suite.mjs';
import { HOT_CONTENDERS, hotRun } from './hot.mjs';

const PROFILE_DIR = join(BENCH_DIR, 'profiles');
const INTERVAL_US = 200;

const HOT_PROFILES = [
  { name: 'fiat_260b', contender: 'fiat', size: 'audit', records: 200_000 },
  { name: 'pino_gzip_260b', contender: 'pino_gzip', size: 'audit', records: 200_000 },
  { name: 'ceiling_260b', contender: 'ceiling', size: 'audit', records: 200_000 },
  { name: 'fiat_200kb', contender: 'fiat', size: 204_800, records: 400 },
  { name: 'ceiling_200kb', contender: 'ceiling', size: 204_800, records: 400 },
];

const cpuProf = (name) => ['--cpu-prof', `--cpu-prof-dir=${PROFILE_DIR}`, `--cpu-prof-name=${name}.cpuprofile`, `--cpu-prof-interval=${INTERVAL_US}`];

async function summary(name, window) {
  const profile = JSON.parse(await readFile(join(PROFILE_DIR, `${name}.cpuprofile`), 'utf8'));
  return summariseProfile(profile, { window });
}

async function queryStartup() {
  return withScratch('profile-query', async (dir) => {
    const lakeDir = join(dir, 'lake');
    await runContender('query-lake', { lakeDir, records: scaled(10_000, 1000) });
    const fiat = resolve(BENCH_DIR, '../packages/provisioner/bin/fiat.js');
    const args = [fiat, 'query', 'SELECT * FROM audit LIMIT 1', '--json', '--lake-dir', lakeDir];
    await runNode([...cpuProf('fiat_query_startup'), ...args]);
    const census = await runNode(['--import', `${BENCH_DIR}lib/census-register.mjs`, ...args]);
    return { ...(await summary('fiat_query_startup')), modules_loaded: modulesByPackage(census.stderr) };
  });
}

/** Counts the modules a census run logged, by package (node_modules/<pkg>, packages/<pkg>, node: built-ins). */
function modulesByPackage(log) {
  const counts = {};
  for (const line of log.split('\n')) {
    const match = /^(esm|cjs):(.*)$/.exec(line);
    if (match === null) continue;
    const [, type, where] = match;
    const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(where)?.[1] ?? /\/(packages\/[^/]+)\//.exec(where)?.[1] ?? (where.startsWith('node:') ? 'node: built-ins' : null);
    if (pkg === null) continue;
    const key = `${pkg} (${type === 'esm' ? 'ES modules' : 'CommonJS'})`;
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return Object.fromEntries(Object.entries(counts).sort((a, b) => b[1] - a[1]));
}

/** Runs the profiles; returns the `profiles` section of results.json. */
export async function runProfileSuite() {
  await mkdir(PROFILE_DIR, { recursive: true });
  for (const file of await readdir(PROFILE_DIR)) if (file.endsWith('.cpuprofile')) await rm(join(PROFILE_DIR, file));
  const out = {};
  for (const p of HOT_PROFILES) {
    const contender = HOT_CONTENDERS.find((c) => c.name === p.contender);
    const records = scaled(p.records, 50);
    // Warm-up as in the hot path; the summary counts only the samples inside the clock's window.
    const run = await hotRun(contender, { size: p.size, records, warmup: Math.round(records / 10), nodeArgs: cpuProf(p.name) });
    out[p.name] = { records, seconds: run.seconds, ...(await summary(p.name, run.window_us)) };
    progress('profile', p.name, out[p.name].kinds);
  }
  out.fiat_query_startup = await queryStartup();
  progress('profile', 'fiat_query_startup', out.fiat_query_startup.kinds);
  return out;
}
