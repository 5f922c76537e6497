// Query, the best hand-written DuckDB query: @duckdb/node-api, an in-memory database, and read_json over the lake's
// files with the same arguments as Fiat's view — explicit columns (no schema sampling), format, compression, hive
// partitioning and timestampformat. argv[2]: { lakeDir, sql } where sql is the query text with `audit` for the lake.
import { DuckDBInstance } from '@duckdb/node-api';

/** The read_json call a careful user writes by hand for the Audit lake (the query suite checks it is Fiat's). */
export function auditSource(lakeDir) {
  const columns =
    "{'event_id': 'VARCHAR', 'event_time': 'TIMESTAMP', 'app': 'VARCHAR', 'email': 'VARCHAR', 'tags': 'MAP(VARCHAR, VARCHAR)', " +
    "'audit_id': 'VARCHAR', 'phase': 'VARCHAR', 'task': 'VARCHAR', 'task_args': 'VARCHAR', 'ticket_id': 'VARCHAR', 'output': 'VARCHAR', " +
    "'error_name': 'VARCHAR', 'error_message': 'VARCHAR', 'duration_ms': 'DOUBLE'}";
  return (
    `read_json('${lakeDir.replace(/'/g, "''")}/audit/dt=*/*.gz', format = 'newline_delimited', compression = 'gzip', columns = ${columns}, ` +
    `hive_partitioning = true, hive_types = {'dt': 'VARCHAR'}, timestampformat = '%Y-%m-%d %H:%M:%S.%g')`
  );
}

if (process.argv[2]) {
  const { lakeDir, sql } = JSON.parse(process.argv[2]);
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  const reader = await connection.runAndReadAll(sql.replace(/\baudit\b/, auditSource(lakeDir)));
  process.stdout.write(`${JSON.stringify(reader.getRowObjectsJson())}\n`);
  connection.closeSync();
  instance.closeSync();
}
