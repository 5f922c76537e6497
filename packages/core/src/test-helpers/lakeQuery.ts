import { join } from 'node:path';
import { duckdbType, sqlString } from '../duckdb.js';
import { STORED_TIMESTAMP_DUCKDB_FORMAT } from '../storedTimestamp.js';
import type { StreamDefinition } from '../stream.js';

/**
 * Reads a stream's files in a local lake with DuckDB, as `fiat query` does (`read_json` over
 * `<prefix>dt=*\/*.gz` with the stream's typed columns), and returns the rows. Throws DuckDB's
 * error when a file cannot be read.
 */
export async function queryLake(lakeDir: string, definition: StreamDefinition<any>, select = 'SELECT * FROM t'): Promise<Record<string, unknown>[]> {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    const columns = definition.columns.map((c) => `${sqlString(c.name)}: ${sqlString(duckdbType(c.type))}`).join(', ');
    const glob = join(lakeDir, definition.names.prefix, 'dt=*', '*.gz');
    await connection.run(
      `CREATE VIEW t AS SELECT * FROM read_json(${sqlString(glob)}, format = 'newline_delimited', compression = 'gzip', ` +
        `columns = {${columns}}, hive_partitioning = true, hive_types = {'dt': 'VARCHAR'}, timestampformat = ${sqlString(STORED_TIMESTAMP_DUCKDB_FORMAT)})`,
    );
    const reader = await connection.runAndReadAll(select);
    return reader.getRowObjectsJson() as Record<string, unknown>[];
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}
