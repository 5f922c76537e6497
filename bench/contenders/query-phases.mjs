// Where `fiat query`'s start-up goes: the CLI's steps, in its order, each timed (ms). argv[2]: { lakeDir, sql }.
// 'process_start' is from the process's time origin to this script's first line (Node bootstrap, loading this file).
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';

const phases = { process_start: performance.now() };
let last = performance.now();
const mark = (name) => {
  const now = performance.now();
  phases[name] = now - last;
  last = now;
};

const { lakeDir, sql } = JSON.parse(process.argv[2]);
await import('../../packages/provisioner/dist/cli.mjs'); // what bin/fiat.js imports: the CLI and its command list
mark('import_cli');
// As the CLI loads DuckDB (loadDuckDB): the build's one-file copy of @duckdb/node-api, then its native binding. The
// CLI starts creating the instance at once and loads the rest while DuckDB opens it on a worker thread.
const { DuckDBInstance } = createRequire(import.meta.url)('../../packages/provisioner/dist/duckdb-node-api.cjs');
const creating = DuckDBInstance.create(':memory:');
mark('import_duckdb');
// The query command's modules (@fiat/core, @fiat/schemas' built-in streams, the CLI's config and lake code), which
// the CLI imports when `query` runs; the package index stands in for them.
const { loadConfig, collectStreams, localViewSql } = await import('@fiat/provisioner');
const { TRINO_COMPAT_MACROS } = await import('@fiat/core');
mark('import_rest');
const config = await loadConfig({ cwd: process.cwd(), env: process.env, flags: { lakeDir } });
const streams = await collectStreams(config);
mark('config_and_streams');
const instance = await creating;
const connection = await instance.connect();
mark('duckdb_instance'); // what is left of DuckDBInstance.create once the imports are done, and connect
const views = await Promise.all(streams.map((stream) => localViewSql(config.lakeDir, stream)));
mark('glob_lake_files'); // hasLakeFiles: readdir of each stream's partitions
await connection.run([...TRINO_COMPAT_MACROS, ...views].join(';\n'));
mark('macros_and_views'); // one DuckDB call: the macros, then each view (DuckDB binds each read_json)
const reader = await connection.runAndReadAll(sql);
const rows = reader.getRowObjectsJson();
mark('query');
process.stdout.write(`${JSON.stringify(rows)}\n`);
connection.closeSync();
instance.closeSync();
mark('print_and_close');
const extensions = await (async () => {
  const again = await (await DuckDBInstance.create(':memory:')).connect();
  const r = await again.runAndReadAll("SELECT extension_name, install_mode FROM duckdb_extensions() WHERE extension_name = 'json'");
  return r.getRowObjectsJson();
})();
process.stdout.write(`${JSON.stringify({ phases, streams: streams.length, json_extension: extensions[0]?.install_mode ?? 'unknown' })}\n`);
