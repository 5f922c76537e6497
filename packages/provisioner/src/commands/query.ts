import { EXIT, UsageError, type Command } from '../command.js';
import { formatTable } from '../format.js';
import { openLocalLake } from '../localLake.js';
import { collectStreams } from '../streams.js';

/** `fiat query "<sql>"`: SQL over the local lake (DuckDB). */
export const queryCommand: Command = {
  name: 'query',
  summary: 'Run SQL over the local lake (DuckDB, one view per stream)',
  usage: 'fiat query "<sql>" [--json] [--lake-dir DIR]',
  examples: [
    `fiat query "SELECT task, phase, count(*) AS n FROM audit GROUP BY task, phase ORDER BY task, phase"`,
    `fiat query "SELECT json_extract_scalar(task_args, '$.x') AS x FROM audit LIMIT 5" --json`,
  ],
  options: { json: { type: 'boolean' }, target: { type: 'string' } },
  async run(positionals, values, context, config) {
    const sql = positionals.join(' ').trim();
    if (sql === '') throw new UsageError('query needs SQL, e.g. fiat query "SELECT count(*) FROM audit"');
    const target = (values.target as string | undefined) ?? 'local';
    if (target !== 'local') throw new UsageError(`--target must be local, got '${target}'`);
    const resolved = await config();
    const lake = await openLocalLake(resolved.lakeDir, await collectStreams(resolved));
    try {
      const result = await lake.query(sql);
      context.stdout(values.json ? `${JSON.stringify(result.rows, null, 2)}\n` : formatTable(result));
    } finally {
      lake.close();
    }
    return EXIT.OK;
  },
};
