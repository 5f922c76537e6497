// Query, the best hand-written DuckDB query: @duckdb/node-api, an in-memory database, and read_json over the lake's
// files with the same arguments as Fiat's view (lib/audit-source.mjs) — explicit columns (no schema sampling),
// format, compression, hive partitioning and timestampformat. argv[2]: { lakeDir, sql } where sql names the lake
// `audit`. DuckDB is loaded with require(), the fastest way (an ES import of @duckdb/node-api first scans its ~180
// CommonJS files for export names), as `fiat query` loads it.
import { createRequire } from 'node:module';
import { auditSource } from '../lib/audit-source.mjs';

const { DuckDBInstance } = createRequire(import.meta.url)('@duckdb/node-api');

const { lakeDir, sql } = JSON.parse(process.argv[2]);
const instance = await DuckDBInstance.create(':memory:');
const connection = await instance.connect();
const reader = await connection.runAndReadAll(sql.replace(/\baudit\b/, auditSource(lakeDir)));
process.stdout.write(`${JSON.stringify(reader.getRowObjectsJson())}\n`);
connection.closeSync();
instance.closeSync();
