import { readdir, stat } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { duckdbType, sqlString, STORED_TIMESTAMP_DUCKDB_FORMAT, TRINO_COMPAT_MACROS } from '@fiat/core';
import { FakeAthenaError, parseStatement, type FakeColumn, type FakeTable } from './statements.js';

/** The outcome of one statement: Athena's result set, or a failure reason. */
export interface FakeResult {
  readonly statementType: 'DDL' | 'DML' | 'UTILITY';
  /** Column name and Athena type (`varchar`, `bigint`, `row`, …). */
  readonly columns: readonly { readonly name: string; readonly type: string; readonly precision: number; readonly scale: number }[];
  /** Values as Athena returns them: strings, `undefined` for NULL. The header row is not included. */
  readonly rows: readonly (string | undefined)[][];
  /** Whether `rows` is preceded by a header row in GetQueryResults (SELECT only). */
  readonly header: boolean;
  readonly dataScannedInBytes: number;
}

/** The DuckDB type of a column type in a CREATE TABLE, with Athena's error for one it does not know. */
function duckType(type: string): string {
  try {
    return duckdbType(type);
  } catch {
    throw new FakeAthenaError(`Unknown type: ${type}`);
  }
}

function athenaTypeOf(duck: string): { type: string; precision: number; scale: number } {
  const t = duck.toUpperCase();
  if (t.endsWith('[]') || t.startsWith('LIST')) return { type: 'array', precision: 0, scale: 0 };
  if (t.startsWith('MAP')) return { type: 'map', precision: 0, scale: 0 };
  if (t.startsWith('STRUCT')) return { type: 'row', precision: 0, scale: 0 };
  const decimal = /^DECIMAL\((\d+),(\d+)\)$/.exec(t);
  if (decimal) return { type: 'decimal', precision: Number(decimal[1]), scale: Number(decimal[2]) };
  const map: Record<string, [string, number]> = {
    VARCHAR: ['varchar', 2147483647],
    BIGINT: ['bigint', 19],
    HUGEINT: ['bigint', 19],
    UBIGINT: ['bigint', 19],
    INTEGER: ['integer', 10],
    UINTEGER: ['bigint', 19],
    SMALLINT: ['smallint', 5],
    TINYINT: ['tinyint', 3],
    DOUBLE: ['double', 17],
    FLOAT: ['real', 17],
    BOOLEAN: ['boolean', 0],
    DATE: ['date', 0],
    TIMESTAMP: ['timestamp', 3],
    'TIMESTAMP WITH TIME ZONE': ['timestamp with time zone', 3],
    BLOB: ['varbinary', 0],
    JSON: ['json', 0],
  };
  const [type, precision] = map[t] ?? ['varchar', 0];
  return { type, precision, scale: 0 };
}

function athenaText(value: unknown, duck: string, nested = false): string | undefined {
  if (value === null || value === undefined) return nested ? 'null' : undefined;
  const t = duck.toUpperCase();
  if (t === 'TIMESTAMP' && typeof value === 'string') {
    const [day, time = '00:00:00'] = value.split(' ');
    const [clock, fraction = ''] = time.split('.');
    return `${day} ${clock}.${fraction.padEnd(3, '0').slice(0, 3)}`;
  }
  if (Array.isArray(value) && t.startsWith('MAP')) {
    return `{${(value as { key: unknown; value: unknown }[]).map((e) => `${athenaText(e.key, '', true)}=${athenaText(e.value, '', true)}`).join(', ')}}`;
  }
  if (Array.isArray(value)) return `[${value.map((v) => athenaText(v, '', true)).join(', ')}]`;
  if (typeof value === 'object') {
    return `{${Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => `${k}=${athenaText(v, '', true)}`)
      .join(', ')}}`;
  }
  return String(value);
}

const RANGE_BOUND = /^NOW(?:([+-])(\d+)(YEARS?|MONTHS?|WEEKS?|DAYS?))?$/;

function rangeBound(bound: string, now: Date): string | undefined {
  if (/^\d{4}-\d{2}-\d{2}$/.test(bound)) return bound;
  const match = RANGE_BOUND.exec(bound.trim());
  if (!match) return undefined;
  const date = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  if (match[1] !== undefined) {
    const n = Number(match[2]) * (match[1] === '-' ? -1 : 1);
    const unit = (match[3] as string).replace(/S$/, '');
    if (unit === 'YEAR') date.setUTCFullYear(date.getUTCFullYear() + n);
    else if (unit === 'MONTH') date.setUTCMonth(date.getUTCMonth() + n);
    else date.setUTCDate(date.getUTCDate() + n * (unit === 'WEEK' ? 7 : 1));
  }
  return date.toISOString().slice(0, 10);
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

/** The files a table reads now, with their `dt` value, honouring partition projection as Athena does. */
interface TableFiles {
  readonly files: { readonly path: string; readonly partition: string; readonly bytes: number }[];
}

/**
 * The DuckDB side of the fake Athena: one schema per database, one view per table over the lake
 * (rebuilt before each SELECT, so new files and the projection range are seen), Trino macros.
 */
export class FakeAthenaEngine {
  readonly #lakeDir: string;
  readonly #tables = new Map<string, FakeTable>();
  readonly #databases = new Set<string>(['default']);
  #instance?: DuckDBInstance;
  #connection?: DuckDBConnection;
  #queue: Promise<unknown> = Promise.resolve();

  constructor(lakeDir: string) {
    this.#lakeDir = resolve(lakeDir);
  }

  /** The tables created so far, keyed `database.table`. */
  get tables(): ReadonlyMap<string, FakeTable> {
    return this.#tables;
  }

  async #db(): Promise<DuckDBConnection> {
    if (this.#connection === undefined) {
      const { DuckDBInstance } = await import('@duckdb/node-api');
      this.#instance = await DuckDBInstance.create(':memory:');
      this.#connection = await this.#instance.connect();
      for (const macro of TRINO_COMPAT_MACROS) await this.#connection.run(macro);
      await this.#connection.run(`CREATE SCHEMA IF NOT EXISTS "default"`);
    }
    return this.#connection;
  }

  /** Runs one statement (serialized: the fake runs one query at a time). */
  run(sql: string, database: string): Promise<FakeResult> {
    const job = this.#queue.then(() => this.#run(sql, database));
    this.#queue = job.catch(() => undefined);
    return job;
  }

  close(): void {
    this.#connection?.closeSync();
    this.#instance?.closeSync();
    this.#connection = undefined;
    this.#instance = undefined;
  }

  #table(database: string | undefined, name: string, fallback: string): FakeTable {
    const db = database ?? fallback;
    if (!this.#databases.has(db)) throw new FakeAthenaError(`SCHEMA_NOT_FOUND: Schema ${db} does not exist`);
    const table = this.#tables.get(`${db}.${name}`);
    if (table === undefined) throw new FakeAthenaError(`FAILED: SemanticException [Error 10001]: Table not found ${db}.${name}`);
    return table;
  }

  async #run(sql: string, database: string): Promise<FakeResult> {
    const statement = parseStatement(sql);
    const ddl = (): FakeResult => ({ statementType: 'DDL', columns: [], rows: [], header: false, dataScannedInBytes: 0 });
    switch (statement.kind) {
      case 'createDatabase': {
        if (this.#databases.has(statement.database) && !statement.ifNotExists) {
          throw new FakeAthenaError(`FAILED: Execution Error, return code 1 from org.apache.hadoop.hive.ql.exec.DDLTask. Database ${statement.database} already exists`);
        }
        this.#databases.add(statement.database);
        await (await this.#db()).run(`CREATE SCHEMA IF NOT EXISTS "${statement.database}"`);
        return ddl();
      }
      case 'createTable': {
        const db = statement.table.database ?? database;
        if (!this.#databases.has(db)) throw new FakeAthenaError(`FAILED: SemanticException [Error 10072]: Database does not exist: ${db}`);
        const key = `${db}.${statement.table.name}`;
        if (this.#tables.has(key)) {
          if (statement.ifNotExists) return ddl();
          throw new FakeAthenaError(`FAILED: Execution Error, return code 1 from org.apache.hadoop.hive.ql.exec.DDLTask. AlreadyExistsException(message:Table ${key} already exists)`);
        }
        const table: FakeTable = { ...statement.table, database: db, columns: [...statement.table.columns] };
        for (const column of [...table.columns, ...table.partitions]) duckType(column.type);
        this.#lakePath(table.location);
        this.#tables.set(key, table);
        return ddl();
      }
      case 'addColumns': {
        const table = this.#table(statement.database, statement.table, database);
        for (const column of statement.columns) {
          duckType(column.type);
          if (table.columns.some((c) => c.name === column.name) || table.partitions.some((c) => c.name === column.name)) {
            throw new FakeAthenaError(`FAILED: SemanticException [Error 10036]: Duplicate column name: ${column.name}`);
          }
        }
        table.columns.push(...statement.columns);
        return ddl();
      }
      case 'dropTable': {
        const db = statement.database ?? database;
        if (!this.#tables.delete(`${db}.${statement.table}`) && !statement.ifExists) {
          throw new FakeAthenaError(`FAILED: SemanticException [Error 10001]: Table not found ${db}.${statement.table}`);
        }
        return ddl();
      }
      case 'describe': {
        const table = this.#table(statement.database, statement.table, database);
        const line = (c: FakeColumn): string => `${c.name.padEnd(20)}\t${c.type.padEnd(20)}\t${(c.comment ?? '').padEnd(20)}`;
        const lines = [...table.columns, ...table.partitions].map(line);
        if (table.partitions.length > 0) {
          lines.push('', '# Partition Information', `${'# col_name'.padEnd(20)}\t${'data_type'.padEnd(20)}\t${'comment'.padEnd(20)}`, '', ...table.partitions.map(line));
        }
        return { statementType: 'UTILITY', columns: [{ name: 'col_name', type: 'string', precision: 0, scale: 0 }], rows: lines.map((l) => [l]), header: false, dataScannedInBytes: 0 };
      }
      case 'showTables': {
        const db = statement.database ?? database;
        if (!this.#databases.has(db)) throw new FakeAthenaError(`FAILED: SemanticException [Error 10072]: Database does not exist: ${db}`);
        const pattern = statement.pattern === undefined ? undefined : new RegExp(`^(?:${statement.pattern.replace(/\*/g, '.*')})$`, 'i');
        const names = [...this.#tables.values()].filter((t) => t.database === db && (pattern === undefined || pattern.test(t.name))).map((t) => t.name).sort();
        return { statementType: 'UTILITY', columns: [{ name: 'tab_name', type: 'string', precision: 0, scale: 0 }], rows: names.map((n) => [n]), header: false, dataScannedInBytes: 0 };
      }
      case 'select':
        return this.#select(statement.sql, database);
    }
  }

  #lakePath(location: string): string {
    const match = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])\/(.*)$/.exec(location);
    if (!match) throw new FakeAthenaError(`FAILED: location ${location} is not an s3:// location`);
    const path = resolve(this.#lakeDir, match[2] as string);
    if (path !== this.#lakeDir && !path.startsWith(this.#lakeDir + sep)) throw new FakeAthenaError(`FAILED: location ${location} leaves the lake`);
    return path;
  }

  async #files(table: FakeTable): Promise<TableFiles> {
    const files: { path: string; partition: string; bytes: number }[] = [];
    const listFiles = async (dir: string, partition: string): Promise<void> => {
      if (!(await isDirectory(dir))) return;
      for (const entry of (await readdir(dir, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name))) {
        if (!entry.isFile() || entry.name.startsWith('_') || entry.name.startsWith('.')) continue;
        const path = join(dir, entry.name);
        files.push({ path, partition, bytes: (await stat(path)).size });
      }
    };
    if (table.partitions.length === 0) {
      await listFiles(this.#lakePath(table.location), '');
      return { files };
    }
    const properties = table.properties;
    if (properties['projection.enabled'] !== 'true') return { files }; // no partitions were ever added
    if (table.partitions.length !== 1) throw new FakeAthenaError('NOT_SUPPORTED: the fake Athena projects one partition column');
    const column = (table.partitions[0] as FakeColumn).name;
    const type = properties[`projection.${column}.type`];
    if (type === undefined) throw new FakeAthenaError(`HIVE_METASTORE_ERROR: Column ${column} is not configured for partition projection`);
    const template = properties['storage.location.template'] ?? `${table.location.replace(/\/?$/, '/')}${column}=\${${column}}/`;
    const placeholder = `\${${column}}`;
    if (!template.includes(placeholder) || !template.endsWith('/')) {
      throw new FakeAthenaError(`HIVE_METASTORE_ERROR: storage.location.template must contain ${placeholder} and end with /`);
    }
    const [before, after] = template.split(placeholder) as [string, string];
    const parentLocation = before.slice(0, before.lastIndexOf('/') + 1);
    const namePrefix = before.slice(before.lastIndexOf('/') + 1);
    const parent = this.#lakePath(parentLocation);
    if (!(await isDirectory(parent))) return { files };
    let low: string | undefined;
    let high: string | undefined;
    if (type === 'date' && (properties[`projection.${column}.format`] ?? 'yyyy-MM-dd') === 'yyyy-MM-dd') {
      const [from, to] = (properties[`projection.${column}.range`] ?? '').split(',');
      const now = new Date();
      low = from === undefined ? undefined : rangeBound(from, now);
      high = to === undefined ? undefined : rangeBound(to, now);
      if (low === undefined || high === undefined) throw new FakeAthenaError(`HIVE_METASTORE_ERROR: invalid projection.${column}.range`);
    }
    for (const entry of (await readdir(parent, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name))) {
      if (!entry.isDirectory() || !entry.name.startsWith(namePrefix)) continue;
      const value = entry.name.slice(namePrefix.length);
      if (low !== undefined && high !== undefined && (!/^\d{4}-\d{2}-\d{2}$/.test(value) || value < low || value > high)) continue;
      await listFiles(join(parent, entry.name, after), value);
    }
    return { files };
  }

  async #viewSql(table: FakeTable): Promise<{ sql: string; bytes: number }> {
    const { files } = await this.#files(table);
    const view = `"${table.database}"."${table.name}"`;
    const partitions = table.partitions.map((p) => p.name);
    if (files.length === 0) {
      const typed = [...table.columns, ...table.partitions].map((c) => `CAST(NULL AS ${duckType(c.type)}) AS "${c.name}"`).join(', ');
      return { sql: `CREATE OR REPLACE VIEW ${view} AS SELECT ${typed} WHERE false`, bytes: 0 };
    }
    const columns = table.columns.map((c) => `${sqlString(c.name)}: ${sqlString(duckType(c.type))}`).join(', ');
    const list = `[${files.map((f) => sqlString(f.path)).join(', ')}]`;
    const partitionOf = partitions.length === 0 ? '' : `, CASE filename ${files.map((f) => `WHEN ${sqlString(f.path)} THEN ${sqlString(f.partition)}`).join(' ')} END AS "${partitions[0]}"`;
    const names = table.columns.map((c) => `"${c.name}"`).join(', ');
    const sql =
      `CREATE OR REPLACE VIEW ${view} AS SELECT ${names}${partitionOf} FROM read_json(${list}, format = 'newline_delimited', ` +
      `compression = 'auto_detect', columns = {${columns}}, filename = true, timestampformat = ${sqlString(STORED_TIMESTAMP_DUCKDB_FORMAT)})`;
    return { sql, bytes: files.reduce((n, f) => n + f.bytes, 0) };
  }

  async #select(sql: string, database: string): Promise<FakeResult> {
    const connection = await this.#db();
    if (!this.#databases.has(database)) throw new FakeAthenaError(`SCHEMA_NOT_FOUND: line 1:1: Schema '${database}' does not exist`);
    let scanned = 0;
    const words = new Set((sql.toLowerCase().match(/[a-z_][a-z0-9_]*/g) ?? []) as string[]);
    for (const table of this.#tables.values()) {
      const { sql: view, bytes } = await this.#viewSql(table);
      await connection.run(view);
      if (words.has(table.name)) scanned += bytes;
    }
    await connection.run(`SET search_path = '${database.replace(/'/g, '')},main'`);
    let reader;
    try {
      reader = await connection.runAndReadAll(sql);
    } catch (cause) {
      const message = ((cause as Error).message.split('\n')[0] ?? 'query failed').replace(/^Catalog Error: /, 'TABLE_NOT_FOUND: ');
      throw new FakeAthenaError(message);
    }
    const names = reader.columnNames();
    const duckTypes = reader.columnTypes().map((t) => String(t));
    const rows = reader.getRowsJson().map((row) => row.map((value, i) => athenaText(value, duckTypes[i] ?? '')));
    return {
      statementType: 'DML',
      columns: names.map((name, i) => ({ name, ...athenaTypeOf(duckTypes[i] ?? 'VARCHAR') })),
      rows,
      header: true,
      dataScannedInBytes: scanned,
    };
  }
}
