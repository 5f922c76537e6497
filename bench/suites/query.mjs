// 3. Query: `fiat query` vs the best hand-written DuckDB query (the same read_json arguments as Fiat's view) over the
// same lakes (10k, 100k, 1M records, Fiat's default 1 MiB files); whole processes, time to first row and to exit.
import { join, resolve } from 'node:path';
import { localViewSql } from '@fiat/provisioner';
import { Audit } from '@fiat/schemas';
import { auditSource } from '../lib/audit-source.mjs';
import { alternate } from '../lib/rounds.mjs';
import { BENCH_DIR, runContender, runNode } from '../lib/spawn.mjs';
import { ratioSpread, spread } from '../lib/stats.mjs';
import { progress, ROUNDS, scaled, withScratch } from '../lib/suite.mjs';

const FIAT_BIN = resolve(BENCH_DIR, '../packages/provisioner/bin/fiat.js');
const QUERIES = {
  scan: 'SELECT task, phase, count(*) AS n FROM audit GROUP BY task, phase ORDER BY task, phase',
  first_row: 'SELECT * FROM audit LIMIT 1',
};
const SIZES = [10_000, 100_000, 1_000_000];

/** Fails unless the hand-written read_json has exactly the arguments of Fiat's view. */
async function checkSameArguments(lakeDir) {
  const view = await localViewSql(lakeDir, { definition: Audit, names: Audit.names });
  if (!view.endsWith(`AS SELECT * FROM ${auditSource(lakeDir)}`)) throw new Error(`the hand-written read_json differs from Fiat's view:\n${view}\n${auditSource(lakeDir)}`);
}

function checkRows(kind, rows, records) {
  if (kind === 'scan') {
    const total = rows.reduce((n, row) => n + Number(row.n), 0);
    if (total !== records) throw new Error(`the scan counted ${total} records, expected ${records}`);
    return;
  }
  if (rows.length !== 1 || !/^a-\d+$/.test(rows[0].audit_id) || typeof JSON.parse(rows[0].task_args) !== 'object') {
    throw new Error(`unexpected first row ${JSON.stringify(rows)}`);
  }
}

async function timedQuery(who, kind, lakeDir, records) {
  const run =
    who === 'fiat'
      ? await runNode([FIAT_BIN, 'query', QUERIES[kind], '--json', '--lake-dir', lakeDir])
      : await runNode([`${BENCH_DIR}contenders/query-duckdb.mjs`, JSON.stringify({ lakeDir, sql: QUERIES[kind] })]);
  const rows = JSON.parse(run.stdout);
  checkRows(kind, rows, records);
  // fiat prints BIGINT counts as numbers, DuckDB's JSON rows as strings: compare them as numbers.
  const answer = kind === 'scan' ? JSON.stringify(rows.map((row) => ({ ...row, n: Number(row.n) }))) : undefined;
  return { first_row_ms: run.first_byte_ms, total_ms: run.wall_ms, rows: answer };
}

async function oneSize(records, dir) {
  const lakeDir = join(dir, `lake-${records}`);
  const lake = await runContender('query-lake', { lakeDir, records });
  await checkSameArguments(lakeDir);
  const contenders = ['fiat', 'duckdb'].flatMap((who) => Object.keys(QUERIES).map((kind) => ({ name: `${who}_${kind}`, run: () => timedQuery(who, kind, lakeDir, records) })));
  const runs = await alternate(ROUNDS, contenders, (m, r) => progress(`query ${records}`, m, { first_row_ms: Math.round(r.first_row_ms), total_ms: Math.round(r.total_ms) }));
  if (runs.fiat_scan.some((r, i) => r.rows !== runs.duckdb_scan[i].rows)) throw new Error('fiat query and DuckDB answered the scan differently');
  const ms = (name, key) => runs[name].map((r) => r[key]);
  const out = { records, files: lake.files };
  for (const kind of Object.keys(QUERIES)) {
    const key = kind === 'scan' ? 'total_ms' : 'first_row_ms';
    out[kind] = {
      fiat_ms: spread(ms(`fiat_${kind}`, key)),
      duckdb_ms: spread(ms(`duckdb_${kind}`, key)),
      ratio: ratioSpread(ms(`fiat_${kind}`, key), ms(`duckdb_${kind}`, key)),
    };
  }
  return { out, lakeDir };
}

async function phases(lakeDir, cliFirstRowMs) {
  const list = [];
  for (let round = 0; round < ROUNDS; round++) {
    const run = await runNode([`${BENCH_DIR}contenders/query-phases.mjs`, JSON.stringify({ lakeDir, sql: QUERIES.first_row })]);
    const [rows, info] = run.stdout.trim().split('\n').map((line) => JSON.parse(line));
    checkRows('first_row', rows, 0);
    list.push({ ...info, wall_ms: run.wall_ms });
  }
  const names = Object.keys(list[0].phases);
  return {
    ms: Object.fromEntries(names.map((name) => [name, spread(list.map((r) => r.phases[name]), 2)])),
    wall_ms: spread(list.map((r) => r.wall_ms)),
    cli_first_row_ms: cliFirstRowMs,
    json_extension: list[0].json_extension,
  };
}

/** Runs comparison 3; returns the `query` section of results.json. */
export async function runQuerySuite() {
  return withScratch('query', async (dir) => {
    const sizes = {};
    let smallest;
    for (const count of SIZES) {
      const { out, lakeDir } = await oneSize(scaled(count, 1000), dir);
      sizes[String(count)] = out;
      smallest ??= { lakeDir, firstRow: out.first_row.fiat_ms };
    }
    const largest = sizes[String(SIZES.at(-1))];
    return {
      ratio: largest.scan.ratio.median,
      first_row_ms_10k: sizes[String(SIZES[0])].first_row.fiat_ms.median,
      sizes,
      startup: await phases(smallest.lakeDir, smallest.firstRow),
    };
  });
}
