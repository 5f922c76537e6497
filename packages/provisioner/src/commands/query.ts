// Loads only what the command line needs before it starts DuckDB: for the local lake, DuckDB opens its
// in-memory instance on a worker thread while @fiat/core, the stream definitions and the configuration load.
import type { DuckDBInstance } from '@duckdb/node-api';
import { EXIT, targetOption, UsageError, type CliContext, type Command } from '../command.js';
import type { FiatConfig } from '../config.js';
import { formatTable } from '../format.js';
import type { QueryResult } from '../localLake.js';
import { startDuckDBInstance } from '../loadDuckDB.js';
import { splitStatements } from '../query/statements.js';

/**
 * `fiat query "<sql>"`: one SQL statement over the local lake (DuckDB) or through Athena.
 *
 * @example
 * ```ts
 * await main(['query', 'SELECT count(*) AS n FROM audit', '--target', 'athena']);
 * ```
 */
export const queryCommand: Command = {
  name: 'query',
  summary: 'Run one SQL statement over the local lake (DuckDB, one view per stream) or through Athena',
  usage: 'fiat query "<sql>" | --describe TABLE [--target local|athena] [--json] [--lake-dir DIR] [--endpoint URL]',
  examples: [
    `fiat query "SELECT task, phase, count(*) AS n FROM audit GROUP BY task, phase ORDER BY task, phase"`,
    `fiat query "SELECT json_extract_scalar(task_args, '$.x') AS x FROM audit LIMIT 5" --json`,
    `fiat query "SELECT count(*) AS n FROM audit WHERE dt >= '2026-11-01'" --target athena   # prints bytes scanned`,
    'fiat query --describe audit                      # columns, types and what each stores instead of redacted input',
  ],
  options: { json: { type: 'boolean' }, target: { type: 'string' }, describe: { type: 'string' } },
  async run(positionals, values, context, config) {
    const target = targetOption(values.target, ['local', 'athena'] as const);
    if (values.describe !== undefined) {
      if (positionals.length > 0) throw new UsageError('query takes SQL or --describe TABLE, not both');
      return describeTable(String(values.describe), target, values.json === true, context, await config());
    }
    const sql = singleStatement(positionals.join(' '));
    // Started first, awaited by openLocalLake: a DuckDB that cannot load still fails after the configuration's errors.
    const instance = target === 'local' ? startDuckDBInstance() : undefined;
    instance?.catch(() => undefined); // handled where it is awaited; until then, not an unhandled rejection
    let opened = false;
    try {
      return await runQuery(sql, target, values.json === true, context, config, instance, () => (opened = true));
    } finally {
      // Not handed to a lake (the configuration or the stream definitions failed): close it once created.
      if (instance !== undefined && !opened) instance.then((i) => i.closeSync(), () => undefined);
    }
  },
};

/** One SQL statement over the local lake (with `instance`, being created) or through Athena; a missing table gets a hint. */
async function runQuery(
  sql: string,
  target: 'local' | 'athena',
  json: boolean,
  context: CliContext,
  config: () => Promise<FiatConfig>,
  instance: Promise<DuckDBInstance> | undefined,
  onOpened: () => void,
): Promise<number> {
  const [{ FiatError, isFiatError }, { collectStreams }] = await Promise.all([import('@fiat/core'), import('../streams.js')]);
  const resolved = await config();
  const streams = target === 'local' ? await collectStreams(resolved, { onSkip: (line) => context.stderr(`fiat query: ${line}\n`) }) : undefined;
  const print = (result: QueryResult): void => context.stdout(json ? `${JSON.stringify(result.rows, null, 2)}\n` : formatTable(result));
  try {
    if (target === 'athena' || instance === undefined) {
      const { athenaRunner } = await import('./shared.js');
      const result = await (await athenaRunner(resolved, context)).query(sql);
      print(result);
      context.stderr(`Data scanned: ${result.dataScannedInBytes} bytes (query ${result.queryExecutionId})\n`);
      return EXIT.OK;
    }
    const { openLocalLake } = await import('../localLake.js');
    onOpened();
    const lake = await openLocalLake(resolved.lakeDir, streams ?? [], instance);
    try {
      print(await lake.query(sql));
    } finally {
      lake.close();
    }
    return EXIT.OK;
  } catch (error) {
    if (!isFiatError(error) || error.code !== 'QUERY_FAILED') throw error;
    const { missingTableHint } = await import('../query/suggest.js');
    const tables = (streams ?? (await collectStreams(resolved, { onSkip: () => undefined }).catch(() => []))).map((s) => s.names.table);
    const hint = missingTableHint(error.message, tables);
    if (hint === undefined) throw error;
    throw new FiatError('QUERY_FAILED', `${error.message.split('\n')[0]} (${hint})`, { cause: error });
  }
}

/**
 * `fiat query --describe TABLE`: the table's columns, types and redaction — from the stream
 * definitions for the local lake, from Athena's `DESCRIBE` (the columns' comments) for Athena.
 */
async function describeTable(table: string, target: 'local' | 'athena', json: boolean, context: CliContext, config: FiatConfig): Promise<number> {
  const [{ FiatError }, { collectStreams }, { describeTableSql, parseDescribeRows }, { redactionRows }, { athenaRunner }] = await Promise.all([
    import('@fiat/core'),
    import('../streams.js'),
    import('../athena/ddl.js'),
    import('../redaction.js'),
    import('./shared.js'),
  ]);
  let rows: { column: string; type: string; redaction: string }[];
  if (target === 'athena') {
    const runner = await athenaRunner(config, context);
    rows = parseDescribeRows(await runner.lines(describeTableSql(config.database, table))).map((c) => ({ column: c.name, type: c.type, redaction: c.comment ?? '-' }));
  } else {
    const streams = await collectStreams(config, { onSkip: (line) => context.stderr(`fiat query: ${line}\n`) });
    const stream = streams.find((s) => s.names.table === table.toLowerCase());
    if (stream === undefined) {
      throw new FiatError('QUERY_FAILED', `no stream has table '${table}' (tables: ${streams.map((s) => s.names.table).join(', ')})`);
    }
    rows = redactionRows(stream.definition);
  }
  context.stdout(json ? `${JSON.stringify(rows, null, 2)}\n` : formatTable({ columns: ['column', 'type', 'redaction'], rows }));
  return EXIT.OK;
}

/**
 * The one statement of the SQL argument, its trailing semicolon removed. Several statements (or
 * stray semicolons) are refused as Athena refuses them: a usage error, exit code 2.
 */
function singleStatement(text: string): string {
  const { statements, semicolons } = splitStatements(text);
  if (statements.length === 0) throw new UsageError('query needs SQL, e.g. fiat query "SELECT count(*) FROM audit"');
  if (statements.length > 1) {
    throw new UsageError(`query runs one SQL statement at a time, as Athena does; got ${statements.length} (semicolons inside strings, quoted names and comments do not count)`);
  }
  if (semicolons > 1) throw new UsageError(`query takes one SQL statement with at most one trailing semicolon; got ${semicolons} semicolons`);
  return statements[0] as string;
}
