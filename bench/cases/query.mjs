// 6. Query: `fiat query` counting 1,000,000 lake records per task and phase, versus DuckDB's read_json run
// directly on the same files. Both are fresh processes, timed from spawn to exit; medians of several runs.
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ValidatedLog } from '@fiat/core';
import { Audit } from '@fiat/schemas';
import { auditFields, LOGGER_OPTIONS, report } from './common.mjs';

const N = Number(process.env.BENCH_QUERY_RECORDS ?? 1_000_000);
const RUNS = Number(process.env.BENCH_QUERY_RUNS ?? 5);
const here = fileURLToPath(new URL('.', import.meta.url));
const fiatBin = resolve(here, '../../packages/provisioner/bin/fiat.js');

const lakeDir = await mkdtemp(join(tmpdir(), 'fiat-bench-query-'));
const logger = ValidatedLog.configure('local', { ...LOGGER_OPTIONS, streams: [Audit], lakeDir, bufferBytes: 8 * 1024 * 1024 });
for (let i = 0; i < N; i++) {
  const fields = auditFields(i);
  logger.log(Audit, i % 3 === 0 ? { ...fields, phase: 'output', output: { ok: true } } : fields);
}
await logger.close();

const SQL = 'SELECT task, phase, count(*) AS n FROM audit GROUP BY task, phase ORDER BY task, phase';
const direct = join(lakeDir, 'direct.mjs');
await writeFile(
  direct,
  `import { DuckDBInstance } from ${JSON.stringify(import.meta.resolve('@duckdb/node-api'))};
const instance = await DuckDBInstance.create(':memory:');
const connection = await instance.connect();
const reader = await connection.runAndReadAll(${JSON.stringify(
    `SELECT task, phase, count(*) AS n FROM read_json('${lakeDir}/audit/dt=*/*.gz', format = 'newline_delimited') GROUP BY task, phase ORDER BY task, phase`,
  )});
process.stdout.write(JSON.stringify(reader.getRowObjectsJson()));
`,
);

function timed(args) {
  const start = process.hrtime.bigint();
  const result = spawnSync(process.execPath, args, { encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.status !== 0) throw new Error(`${args.join(' ')} failed: ${result.stderr}`);
  return { ms, out: result.stdout };
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const fiatMs = [];
const duckMs = [];
let check;
for (let run = 0; run < RUNS; run++) {
  const fiat = timed([fiatBin, 'query', SQL, '--json', '--lake-dir', lakeDir]);
  const duck = timed([direct]);
  fiatMs.push(fiat.ms);
  duckMs.push(duck.ms);
  const total = JSON.parse(fiat.out).reduce((n, row) => n + Number(row.n), 0);
  const totalDirect = JSON.parse(duck.out).reduce((n, row) => n + Number(row.n), 0);
  if (total !== N || totalDirect !== N) throw new Error(`counted ${total} (fiat) and ${totalDirect} (duckdb), expected ${N}`);
  check = total;
}
await rm(lakeDir, { recursive: true, force: true });
report({
  query: {
    records: check,
    fiat_ms: Math.round(median(fiatMs)),
    duckdb_ms: Math.round(median(duckMs)),
    ratio: Number((median(fiatMs) / median(duckMs)).toFixed(3)),
  },
});
