// The read_json call a careful user writes by hand for the Audit lake: the same arguments as Fiat's view (the query
// suite checks that), explicit columns so DuckDB samples nothing.

/** `read_json(…)` over `<lakeDir>/audit/dt=*\/*.gz` with the Audit columns and the lake's formats. */
export function auditSource(lakeDir) {
  const columns =
    "{'event_id': 'VARCHAR', 'event_time': 'TIMESTAMP', 'app': 'VARCHAR', 'email': 'VARCHAR', 'tags': 'MAP(VARCHAR, VARCHAR)', " +
    "'chain_id': 'VARCHAR', 'chain_seq': 'BIGINT', 'chain_hash': 'VARCHAR', " +
    "'audit_id': 'VARCHAR', 'phase': 'VARCHAR', 'task': 'VARCHAR', 'task_args': 'VARCHAR', 'ticket_id': 'VARCHAR', 'output': 'VARCHAR', " +
    "'error_name': 'VARCHAR', 'error_message': 'VARCHAR', 'duration_ms': 'DOUBLE'}";
  return (
    `read_json('${lakeDir.replace(/'/g, "''")}/audit/dt=*/*.gz', format = 'newline_delimited', compression = 'gzip', columns = ${columns}, ` +
    `hive_partitioning = true, hive_types = {'dt': 'VARCHAR'}, timestampformat = '%Y-%m-%d %H:%M:%S.%g')`
  );
}
