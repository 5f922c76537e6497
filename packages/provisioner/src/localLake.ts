import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import {
  duckdbType,
  FiatError,
  sqlString,
  STORED_TIMESTAMP_DUCKDB_FORMAT,
  TRINO_COMPAT_MACROS,
  type StreamDefinition,
  type StreamNames,
} from '@fiat/core';
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { startDuckDBInstance } from './loadDuckDB.js';

/** A stream as the lake sees it: its definition and its resolved names. */
export interface LakeStream {
  readonly definition: StreamDefinition<any>;
  readonly names: StreamNames;
}

/** The result of a query: column names and rows as plain JSON values. */
export interface QueryResult {
  readonly columns: readonly string[];
  readonly rows: readonly Record<string, unknown>[];
}

async function hasLakeFiles(dir: string): Promise<boolean> {
  try {
    if (!(await stat(dir)).isDirectory()) return false;
  } catch {
    return false;
  }
  for (const partition of await readdir(dir, { withFileTypes: true })) {
    if (!partition.isDirectory() || !partition.name.startsWith('dt=')) continue;
    const files = await readdir(join(dir, partition.name));
    if (files.some((f) => f.endsWith('.gz'))) return true;
  }
  return false;
}

/**
 * The `CREATE OR REPLACE VIEW` statement for one stream over the lake: its columns from the
 * shared column map (Athena types mapped to DuckDB types) and `dt` from the folder names. With
 * no file yet, the view is empty but typed, so queries still bind.
 *
 * @example
 * ```ts
 * await localViewSql('/lake', { definition: Audit, names: Audit.names });
 * // CREATE OR REPLACE VIEW "audit" AS SELECT * FROM read_json('/lake/audit/dt=*\/*.gz', …)
 * ```
 */
export async function localViewSql(lakeDir: string, stream: LakeStream): Promise<string> {
  const { definition, names } = stream;
  const columns = definition.columns.map((c) => `${sqlString(c.name)}: ${sqlString(duckdbType(c.type))}`).join(', ');
  const dir = join(lakeDir, names.prefix);
  const view = `"${names.table}"`;
  if (!(await hasLakeFiles(dir))) {
    const typed = definition.columns.map((c) => `CAST(NULL AS ${duckdbType(c.type)}) AS "${c.name}"`).join(', ');
    return `CREATE OR REPLACE VIEW ${view} AS SELECT ${typed}, CAST(NULL AS VARCHAR) AS "dt" WHERE false`;
  }
  const glob = join(dir, 'dt=*', '*.gz');
  return (
    `CREATE OR REPLACE VIEW ${view} AS SELECT * FROM read_json(${sqlString(glob)}, ` +
    `format = 'newline_delimited', compression = 'gzip', columns = {${columns}}, ` +
    `hive_partitioning = true, hive_types = {'dt': 'VARCHAR'}, timestampformat = ${sqlString(STORED_TIMESTAMP_DUCKDB_FORMAT)})`
  );
}

/**
 * DuckDB over the local lake: one view per stream plus the Trino-compatible macros. `instance` is an in-memory
 * instance being created ({@link startDuckDBInstance}; default: one started now).
 *
 * @example
 * ```ts
 * const lake = await openLocalLake('.fiat/lake', [{ definition: Audit, names: Audit.names }]);
 * const { rows } = await lake.query('SELECT task, count(*) AS n FROM audit GROUP BY task');
 * lake.close();
 * ```
 */
export async function openLocalLake(lakeDir: string, streams: readonly LakeStream[], instance: Promise<DuckDBInstance> = startDuckDBInstance()): Promise<LocalLake> {
  const opened = await instance;
  const connection = await opened.connect();
  const lake = new LocalLake(opened, connection);
  await lake.refresh(lakeDir, streams, TRINO_COMPAT_MACROS);
  return lake;
}

/** A DuckDB connection with the lake's views. Close it when done. */
export class LocalLake {
  readonly #instance: DuckDBInstance;
  readonly #connection: DuckDBConnection;

  constructor(instance: DuckDBInstance, connection: DuckDBConnection) {
    this.#instance = instance;
    this.#connection = connection;
  }

  /**
   * Creates or refreshes one view per stream, after the statements in `before` (openLocalLake's macros): all in
   * one call to DuckDB, which runs them in order and stops at the first that fails.
   */
  async refresh(lakeDir: string, streams: readonly LakeStream[], before: readonly string[] = []): Promise<void> {
    const statements = [...before, ...(await Promise.all(streams.map((stream) => localViewSql(lakeDir, stream))))];
    if (statements.length > 0) await this.#connection.run(statements.join(';\n'));
  }

  /** Runs SQL; throws `QUERY_FAILED` with DuckDB's message (first line) on error. */
  async query(sql: string): Promise<QueryResult> {
    let reader;
    try {
      reader = await this.#connection.runAndReadAll(sql);
    } catch (cause) {
      const message = (cause as Error).message.split('\n')[0] ?? 'query failed';
      throw new FiatError('QUERY_FAILED', message, { cause });
    }
    const columns = reader.columnNames();
    const types = reader.columnTypes().map((t) => String(t));
    const rows = reader.getRowObjectsJson().map((row) => {
      const out: Record<string, unknown> = {};
      columns.forEach((name, i) => {
        out[name] = plainValue(row[name], types[i] ?? '');
      });
      return out;
    });
    return { columns, rows };
  }

  /** The underlying DuckDB connection. */
  get connection(): DuckDBConnection {
    return this.#connection;
  }

  close(): void {
    this.#connection.closeSync();
    this.#instance.closeSync();
  }
}

const INTEGER_TYPES = new Set(['TINYINT', 'SMALLINT', 'INTEGER', 'BIGINT', 'HUGEINT', 'UTINYINT', 'USMALLINT', 'UINTEGER', 'UBIGINT']);

function plainValue(value: unknown, type: string): unknown {
  if (value === null || value === undefined) return null;
  if (INTEGER_TYPES.has(type) && typeof value === 'string') {
    const n = Number(value);
    return Number.isSafeInteger(n) ? n : value;
  }
  if (type.startsWith('MAP(') && Array.isArray(value)) {
    return Object.fromEntries((value as { key: unknown; value: unknown }[]).map((e) => [String(e.key), e.value]));
  }
  return value;
}
