// 5. Cold start: a fresh Node process that imports @fiat/audit, configures the firehose transport with the fake
// client, logs one audit record and flushes, versus a fresh process that only imports @aws-sdk/client-firehose.
// Medians of several runs each, alternated.
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { report } from './common.mjs';

const RUNS = Number(process.env.BENCH_COLD_RUNS ?? 15);
const here = fileURLToPath(new URL('.', import.meta.url));
const dir = await mkdtemp(join(here, '.cold-'));
const fiatScript = join(dir, 'fiat.mjs');
const sdkScript = join(dir, 'sdk.mjs');
await writeFile(
  fiatScript,
  `import { Audit } from '@fiat/audit';
import { createFakeFirehose } from '@fiat/testing/firehose';
const fake = createFakeFirehose();
const logger = Audit.configure('firehose', { app: 'cold', email: 'cold@example.com', client: fake });
logger.log({ task: '_add', task_args: { x: 1, y: 2 }, ticket_id: 'nta-1000' });
await logger.flush();
if (fake.records('fiat-audit').length !== 1) throw new Error('not delivered');
await logger.close();
`,
);
await writeFile(sdkScript, `import '@aws-sdk/client-firehose';\n`);

function timed(script) {
  const start = process.hrtime.bigint();
  const run = spawnSync(process.execPath, [script], { cwd: here, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`${script} failed: ${run.stderr}`);
  return Number(process.hrtime.bigint() - start) / 1e6;
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
timed(fiatScript);
timed(sdkScript);
const fiatMs = [];
const sdkMs = [];
for (let i = 0; i < RUNS; i++) {
  fiatMs.push(timed(fiatScript));
  sdkMs.push(timed(sdkScript));
}
await rm(dir, { recursive: true, force: true });
report({
  cold_start: {
    runs: RUNS,
    fiat_ms: Math.round(median(fiatMs)),
    sdk_ms: Math.round(median(sdkMs)),
    ratio: Number((median(fiatMs) / median(sdkMs)).toFixed(3)),
  },
});
