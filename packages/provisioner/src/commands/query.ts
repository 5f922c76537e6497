import { EXIT, UsageError, type Command } from '../command.js';
import { formatTable } from '../format.js';
import { openLocalLake } from '../localLake.js';
import { collectStreams } from '../streams.js';
import { athenaRunner, targetOption } from './shared.js';

/**
 * `fiat query "<sql>"`: SQL over the local lake (DuckDB) or through Athena.
 *
 * @example
 * ```ts
 * await main(['query', 'SELECT count(*) AS n FROM audit', '--target', 'athena']);
 * ```
 */
export const queryCommand: Command = {
  name: 'query',
  summary: 'Run SQL over the local lake (DuckDB, one view per stream) or through Athena',
  usage: 'fiat query "<sql>" [--target local|athena] [--json] [--lake-dir DIR] [--endpoint URL]',
  examples: [
    `fiat query "SELECT task, phase, count(*) AS n FROM audit GROUP BY task, phase ORDER BY task, phase"`,
    `fiat query "SELECT json_extract_scalar(task_args, '$.x') AS x FROM audit LIMIT 5" --json`,
    `fiat query "SELECT count(*) AS n FROM audit WHERE dt >= '2026-11-01'" --target athena   # prints bytes scanned`,
  ],
  options: { json: { type: 'boolean' }, target: { type: 'string' } },
  async run(positionals, values, context, config) {
    const sql = positionals.join(' ').trim();
    if (sql === '') throw new UsageError('query needs SQL, e.g. fiat query "SELECT count(*) FROM audit"');
    const target = targetOption(values.target, ['local', 'athena'] as const);
    const resolved = await config();
    if (target === 'athena') {
      const runner = await athenaRunner(resolved, context);
      const result = await runner.query(sql);
      context.stdout(values.json ? `${JSON.stringify(result.rows, null, 2)}\n` : formatTable(result));
      context.stderr(`Data scanned: ${result.dataScannedInBytes} bytes (query ${result.queryExecutionId})\n`);
      return EXIT.OK;
    }
    const streams = await collectStreams(resolved, { onSkip: (line) => context.stderr(`fiat query: ${line}\n`) });
    const lake = await openLocalLake(resolved.lakeDir, streams);
    try {
      const result = await lake.query(sql);
      context.stdout(values.json ? `${JSON.stringify(result.rows, null, 2)}\n` : formatTable(result));
    } finally {
      lake.close();
    }
    return EXIT.OK;
  },
};
