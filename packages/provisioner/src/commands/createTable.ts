import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { TRINO_COMPAT_MACROS } from '@fiat/core';
import { EXIT, UsageError, type Command } from '../command.js';
import type { FiatConfig } from '../config.js';
import {
  addColumnsDdl,
  createDatabaseDdl,
  createTableDdl,
  describeTableSql,
  diffColumns,
  parseDescribeRows,
  refusalReasons,
  showTablesSql,
} from '../athena/ddl.js';
import { localViewSql } from '../localLake.js';
import { athenaRunner, requireKey, streamArgument, targetOption } from './shared.js';
import { loadDuckDB } from '../loadDuckDB.js';

/**
 * The DuckDB file `create-table --target local` writes its views to: `<lakeDir>/../fiat.duckdb`.
 *
 * @example
 * ```ts
 * localDatabasePath('/work/.fiat/lake'); // '/work/.fiat/fiat.duckdb'
 * ```
 */
export function localDatabasePath(lakeDir: string): string {
  return join(dirname(lakeDir), 'fiat.duckdb');
}

/**
 * `fiat create-table <Stream>`: the Athena table (or the local DuckDB view) of a stream.
 *
 * @example
 * ```ts
 * await main(['create-table', 'Audit', '--dry-run']);
 * ```
 */
export const createTableCommand: Command = {
  name: 'create-table',
  summary: 'Create the Athena table of a stream (or its DuckDB view), or add the columns it gained',
  usage: 'fiat create-table <Stream> [--dry-run] [--target athena|local] [--serde hive|openx] [--json] [--endpoint URL]',
  examples: [
    'fiat create-table Audit --dry-run          # print the DDL, touch nothing',
    'fiat create-table Audit                    # create it, or ALTER TABLE … ADD COLUMNS for new fields',
    'fiat create-table Audit --serde openx',
    'fiat create-table Audit --target local     # DuckDB views in <lakeDir>/../fiat.duckdb',
  ],
  options: {
    'dry-run': { type: 'boolean' },
    target: { type: 'string' },
    serde: { type: 'string' },
    json: { type: 'boolean' },
  },
  async run(positionals, values, context, config) {
    const target = targetOption(values.target, ['athena', 'local'] as const);
    const resolved = await config();
    const stream = await streamArgument(positionals, resolved, 'create-table', context);
    const json = values.json === true;
    const out = (report: Record<string, unknown>, text: string): void => {
      context.stdout(json ? `${JSON.stringify(report, null, 2)}\n` : text);
    };
    if (target === 'local') {
      if (values.serde !== undefined) throw new UsageError('--serde applies to --target athena only');
      const path = localDatabasePath(resolved.lakeDir);
      const sql = await localViewSql(resolved.lakeDir, stream);
      if (values['dry-run']) {
        out({ target, database: path, statements: [sql], applied: false }, `-- DuckDB database ${path}\n${sql};\n`);
        return EXIT.OK;
      }
      await mkdir(dirname(path), { recursive: true });
      const { DuckDBInstance } = loadDuckDB();
      const instance = await DuckDBInstance.create(path);
      const connection = await instance.connect();
      try {
        for (const macro of TRINO_COMPAT_MACROS) await connection.run(macro);
        await connection.run(sql);
      } finally {
        connection.closeSync();
        instance.closeSync();
      }
      out({ target, database: path, view: stream.names.table, statements: [sql], applied: true }, `view ${stream.names.table} created or refreshed in ${path}\n`);
      return EXIT.OK;
    }
    return createAthenaTable(stream, resolved, values, context, out);
  },
};

async function createAthenaTable(
  stream: Awaited<ReturnType<typeof streamArgument>>,
  config: FiatConfig,
  values: Record<string, unknown>,
  context: Parameters<Command['run']>[2],
  out: (report: Record<string, unknown>, text: string) => void,
): Promise<number> {
  const bucket = requireKey(config, 'bucket', 'create-table --target athena');
  const ddl = createTableDdl(
    { names: stream.names, columns: stream.definition.columns },
    { database: config.database, bucket, serde: config.serde, projectionRange: config.projectionRange },
  );
  const table = `${config.database}.${stream.names.table}`;
  const creating = [createDatabaseDdl(config.database), ddl];
  if (values['dry-run']) {
    out({ target: 'athena', table, action: 'create', statements: creating, applied: false }, `${creating.join(';\n\n')};\n`);
    return EXIT.OK;
  }
  const runner = await athenaRunner(config, context);
  // Idempotent (IF NOT EXISTS, and the same ClientRequestToken each run): a no-op once the database exists.
  await runner.execute(creating[0] as string, { idempotent: true });
  const exists = (await runner.lines(showTablesSql(config.database, stream.names.table))).some((t) => t.trim() === stream.names.table);
  if (!exists) {
    if (!values.json) context.stdout(`Creating table ${table}:\n${ddl};\n`);
    await runner.execute(ddl, { idempotent: true });
    out({ target: 'athena', table, action: 'created', statements: creating, applied: true }, `created table ${table}\n`);
    return EXIT.OK;
  }
  const existing = parseDescribeRows(await runner.lines(describeTableSql(config.database, stream.names.table)));
  const diff = diffColumns(existing, stream.definition.columns);
  const reasons = refusalReasons(diff);
  if (reasons.length > 0) {
    for (const reason of reasons) context.stderr(`fiat create-table: table ${table}: ${reason}\n`);
    out(
      { target: 'athena', table, action: 'refused', reasons, added: diff.added, removed: diff.removed, retyped: diff.retyped, applied: false },
      `refused to change table ${table}: ${reasons.length} incompatible column change(s), nothing applied\n`,
    );
    return EXIT.FAILED;
  }
  if (diff.added.length === 0) {
    out({ target: 'athena', table, action: 'unchanged', statements: [], applied: false }, `table ${table} is up to date (${existing.length} columns)\n`);
    return EXIT.OK;
  }
  const alter = addColumnsDdl(config.database, stream.names.table, diff.added);
  if (!values.json) context.stdout(`Table ${table} lacks ${diff.added.length} column(s) of the definition:\n${alter};\n`);
  await runner.execute(alter, { idempotent: true });
  out(
    { target: 'athena', table, action: 'altered', added: diff.added, statements: [alter], applied: true },
    `added ${diff.added.map((c) => c.name).join(', ')} to ${table}\n`,
  );
  return EXIT.OK;
}
