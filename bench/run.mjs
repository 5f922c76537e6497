// npm run bench: every comparison in one process tree, one after another, on the same audit-shaped records.
// Prints a table and writes bench/results.json. Never part of npm test.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));

/** Each case: its script, and the goal each of its keys is judged by. */
const CASES = [
  { script: 'hot-path.mjs', goals: { 'hot_path.ratio': ['>=', 1.0], 'hot_path.log_p99_us': ['<=', 20] } },
  { script: 'naive.mjs', goals: { 'naive.ratio': ['>=', 20] } },
  { script: 'billing.mjs', goals: { 'billing.packed_ratio': ['<=', 1.05] } },
  { script: 'memory.mjs', goals: { 'memory.outage_peak_rss_mb': ['<=', 'memory.rss_limit_mb'], 'memory.lost': ['<=', 0] } },
  {
    script: 'memory.mjs',
    label: 'memory-without-sdk',
    env: { MEMORY_CLIENT: 'refusing' },
    goals: { 'memory_without_sdk.outage_peak_rss_mb': ['<=', 'memory_without_sdk.rss_limit_mb'], 'memory_without_sdk.lost': ['<=', 0] },
  },
  { script: 'cold-start.mjs', goals: { 'cold_start.ratio': ['<=', 1.5] } },
  { script: 'query.mjs', goals: { 'query.ratio': ['<=', 1.2] } },
];

const only = process.argv.slice(2);
const results = { node: process.version, cpus: cpus().length, cpu_model: cpus()[0]?.model ?? 'unknown', date: new Date().toISOString() };
const started = Date.now();
let failed = false;

for (const { script, label = script.replace(/\.mjs$/, ''), env = {} } of CASES) {
  if (only.length > 0 && !only.some((name) => label.startsWith(name))) continue;
  process.stderr.write(`bench: ${label} …\n`);
  const t0 = Date.now();
  const run = spawnSync(process.execPath, [`${here}cases/${script}`], {
    cwd: here,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, ...env },
  });
  if (run.status !== 0) {
    process.stderr.write(`bench: ${label} failed (exit ${run.status}):\n${run.stderr}\n`);
    failed = true;
    continue;
  }
  const last = run.stdout.trim().split('\n').at(-1);
  Object.assign(results, JSON.parse(last));
  process.stderr.write(`bench: ${label} done in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
}
results.duration_s = Math.round((Date.now() - started) / 1000);

const get = (path) => path.split('.').reduce((o, k) => (o == null ? undefined : o[k]), results);
const rows = [];
for (const { goals } of CASES) {
  for (const [key, [op, target]] of Object.entries(goals)) {
    const value = get(key);
    if (value === undefined) continue;
    const limit = typeof target === 'string' ? get(target) : target;
    const met = op === '>=' ? value >= limit : value <= limit;
    rows.push([key, String(value), `${op} ${typeof target === 'string' ? `${target} (${limit})` : limit}`, met ? 'met' : 'NOT MET']);
  }
}
const header = ['metric', 'value', 'goal', ''];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
const line = (r) => r.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
process.stdout.write(`${[line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n')}\n`);
writeFileSync(`${here}results.json`, `${JSON.stringify(results, null, 2)}\n`);
process.stdout.write(`\nwrote bench/results.json (${results.duration_s} s)\n`);
if (failed) process.exit(1);
