import { assertAthenaIdentifier, FiatError, PARTITION_COLUMN, parseAthenaType, type Column, type StreamNames } from '@fiat/core';
import { assertBucketName } from '../awsNames.js';
import { projectionRange } from './projectionRange.js';

/**
 * The Hive JSON SerDe (Fiat's default): reads stored `yyyy-MM-dd HH:mm:ss.SSS` timestamps as they are.
 *
 * @example
 * ```ts
 * createTableDdl(stream, { database: 'fiat', bucket: 'b' }).includes(HIVE_JSON_SERDE); // true
 * ```
 */
export const HIVE_JSON_SERDE = 'org.apache.hive.hcatalog.data.JsonSerDe';
/**
 * The OpenX JSON SerDe (`--serde openx`).
 *
 * @example
 * ```ts
 * createTableDdl(stream, { database: 'fiat', bucket: 'b', serde: 'openx' }).includes(OPENX_JSON_SERDE); // true
 * ```
 */
export const OPENX_JSON_SERDE = 'org.openx.data.jsonserde.JsonSerDe';

/** What the DDL of one table needs besides the stream's columns. */
export interface TableDdlOptions {
  /** Glue/Athena database. Required. */
  readonly database: string;
  /** S3 bucket the delivery stream writes to. Required. */
  readonly bucket: string;
  /** `hive` or `openx`. Default: `hive`. */
  readonly serde?: 'hive' | 'openx';
  /** Partition projection range of `dt`. Default: `NOW-5YEARS,NOW`. */
  readonly projectionRange?: string;
}

/** A stream as the DDL sees it: resolved names and ordered columns (envelope first). */
export interface DdlStream {
  readonly names: StreamNames;
  readonly columns: readonly Column[];
}

const PREFIX = /^([a-z0-9_][a-z0-9_.=-]*\/)+$/;

/**
 * Quotes an Athena identifier for DDL with backticks, after checking it (lowercase letters,
 * digits, underscore). Anything that could break out of the quotes is refused.
 *
 * @example
 * ```ts
 * ddlIdentifier('user', 'column'); // '`user`'
 * ddlIdentifier('a`b', 'column');  // throws FiatError INVALID_DEFINITION
 * ```
 */
export function ddlIdentifier(name: string, what: string): string {
  assertAthenaIdentifier(name, what);
  return `\`${name}\``;
}

/**
 * Checks the names and values that go into DDL or S3 paths: database, table, columns and their
 * types, bucket, prefix, projection range. Throws `INVALID_DEFINITION` (or `CONFIG_INVALID` for
 * bucket, database and range) naming the offending value, before anything is sent.
 *
 * @example
 * ```ts
 * checkDdlInputs(Audit, { database: 'fiat', bucket: 'my-lake' }); // ok
 * checkDdlInputs(Audit, { database: 'fiat; DROP', bucket: 'my-lake' }); // throws
 * ```
 */
export function checkDdlInputs(stream: DdlStream, options: TableDdlOptions): void {
  try {
    assertAthenaIdentifier(options.database, 'database');
  } catch (error) {
    throw new FiatError('CONFIG_INVALID', `config key database: ${(error as Error).message}`, { cause: error });
  }
  assertBucketName(options.bucket);
  projectionRange(options.projectionRange);
  assertAthenaIdentifier(stream.names.table, 'table');
  if (!PREFIX.test(stream.names.prefix) || stream.names.prefix.split('/').some((s) => s === '.' || s === '..')) {
    throw new FiatError('INVALID_DEFINITION', `prefix '${stream.names.prefix}' of stream ${stream.names.stream} is not a safe S3 prefix`);
  }
  for (const column of stream.columns) {
    assertAthenaIdentifier(column.name, 'column');
    parseAthenaType(column.type);
    if (column.comment !== undefined) ddlComment(column.comment, column.name);
  }
}

/** A column comment's characters: printable ASCII without quotes or backslashes, so it cannot leave its literal. */
const COMMENT = /^[\x20-\x26\x28-\x5b\x5d-\x7e]{0,255}$/;

/**
 * A column's `COMMENT '…'` clause (with a leading space), or `''` without a comment. The comment
 * (how the column is redacted) must be at most 255 printable ASCII characters without quotes or
 * backslashes; anything else is refused with `INVALID_DEFINITION`, never escaped.
 *
 * @example
 * ```ts
 * ddlComment('redacted: hash (HMAC-SHA-256, hmac:<key id>:<hex>)', 'email'); // " COMMENT 'redacted: hash (…)'"
 * ```
 */
export function ddlComment(comment: string | undefined, column: string): string {
  if (comment === undefined) return '';
  if (typeof comment !== 'string' || !COMMENT.test(comment)) {
    throw new FiatError('INVALID_DEFINITION', `the comment of column '${column}' must be at most 255 printable ASCII characters without quotes or backslashes`);
  }
  return ` COMMENT '${comment}'`;
}

/**
 * The S3 location of a stream's data: `s3://<bucket>/<prefix>`.
 *
 * @example
 * ```ts
 * tableLocation('acme-lake', { prefix: 'audit/' }); // 's3://acme-lake/audit/'
 * ```
 */
export function tableLocation(bucket: string, names: Pick<StreamNames, 'prefix'>): string {
  return `s3://${bucket}/${names.prefix}`;
}

/**
 * A column type as Athena's DESCRIBE prints it: lowercase, no spaces, no backticks. Used to compare types.
 *
 * @example
 * ```ts
 * normalizeType('struct<`a`: bigint>'); // 'struct<a:bigint>'
 * ```
 */
export function normalizeType(type: string): string {
  return type.replace(/[\s`]+/g, '').toLowerCase();
}

/**
 * A column type as DDL writes it: normalized, with struct field names in backticks (so reserved
 * words such as `date` or `end` are legal field names).
 *
 * @example
 * ```ts
 * ddlType('array<struct<end:timestamp>>'); // 'array<struct<`end`:timestamp>>'
 * ```
 */
export function ddlType(type: string): string {
  parseAthenaType(type);
  return normalizeType(type).replace(/([<,])([a-z_][a-z0-9_]*):/g, '$1`$2`:');
}

/**
 * The `CREATE EXTERNAL TABLE IF NOT EXISTS` statement of a stream: every identifier in backticks,
 * columns from the column map, `PARTITIONED BY (dt string)`, the Hive JSON SerDe (or OpenX),
 * `LOCATION 's3://<bucket>/<prefix>'` and partition projection on `dt`, so no `MSCK REPAIR` is needed.
 *
 * @example
 * ```ts
 * createTableDdl({ names: Audit.names, columns: Audit.columns }, { database: 'fiat', bucket: 'my-lake' });
 * // CREATE EXTERNAL TABLE IF NOT EXISTS `fiat`.`audit` (…) PARTITIONED BY (`dt` string) …
 * ```
 */
export function createTableDdl(stream: DdlStream, options: TableDdlOptions): string {
  checkDdlInputs(stream, options);
  const serde = options.serde ?? 'hive';
  const range = projectionRange(options.projectionRange);
  const location = tableLocation(options.bucket, stream.names);
  const width = Math.max(...stream.columns.map((c) => c.name.length)) + 2;
  const columns = stream.columns.map((c) => `  ${`\`${c.name}\``.padEnd(width)} ${ddlType(c.type)}${ddlComment(c.comment, c.name)}`);
  const serdeLines =
    serde === 'openx'
      ? [`ROW FORMAT SERDE '${OPENX_JSON_SERDE}'`, `WITH SERDEPROPERTIES ('ignore.malformed.json'='false', 'case.insensitive'='false')`]
      : [`ROW FORMAT SERDE '${HIVE_JSON_SERDE}'`];
  return [
    `CREATE EXTERNAL TABLE IF NOT EXISTS ${ddlIdentifier(options.database, 'database')}.${ddlIdentifier(stream.names.table, 'table')} (`,
    columns.join(',\n'),
    `)`,
    `PARTITIONED BY (\`${PARTITION_COLUMN}\` string)`,
    ...serdeLines,
    `LOCATION '${location}'`,
    `TBLPROPERTIES (`,
    `  'projection.enabled'='true',`,
    `  'projection.${PARTITION_COLUMN}.type'='date',`,
    `  'projection.${PARTITION_COLUMN}.format'='yyyy-MM-dd',`,
    `  'projection.${PARTITION_COLUMN}.range'='${range}',`,
    `  'projection.${PARTITION_COLUMN}.interval'='1',`,
    `  'projection.${PARTITION_COLUMN}.interval.unit'='DAYS',`,
    `  'storage.location.template'='${location}${PARTITION_COLUMN}=\${${PARTITION_COLUMN}}/'`,
    `)`,
  ].join('\n');
}

/**
 * `CREATE DATABASE IF NOT EXISTS` for the configured database.
 *
 * @example
 * ```ts
 * createDatabaseDdl('fiat'); // 'CREATE DATABASE IF NOT EXISTS `fiat`'
 * ```
 */
export function createDatabaseDdl(database: string): string {
  return `CREATE DATABASE IF NOT EXISTS ${ddlIdentifier(database, 'database')}`;
}

/**
 * `ALTER TABLE … ADD COLUMNS (…)` for columns added to a stream.
 *
 * @example
 * ```ts
 * addColumnsDdl('fiat', 'audit', [{ name: 'region', type: 'string' }]);
 * // ALTER TABLE `fiat`.`audit` ADD COLUMNS (`region` string)
 * ```
 */
export function addColumnsDdl(database: string, table: string, columns: readonly Column[]): string {
  const list = columns.map((c) => `${ddlIdentifier(c.name, 'column')} ${ddlType(c.type)}${ddlComment(c.comment, c.name)}`).join(', ');
  return `ALTER TABLE ${ddlIdentifier(database, 'database')}.${ddlIdentifier(table, 'table')} ADD COLUMNS (${list})`;
}

/**
 * The statement that lists a table's columns: `DESCRIBE \`db\`.\`table\``.
 *
 * @example
 * ```ts
 * describeTableSql('fiat', 'audit'); // 'DESCRIBE `fiat`.`audit`'
 * ```
 */
export function describeTableSql(database: string, table: string): string {
  return `DESCRIBE ${ddlIdentifier(database, 'database')}.${ddlIdentifier(table, 'table')}`;
}

/**
 * The statement that tells whether a table exists: `SHOW TABLES IN \`db\` '<table>'` (one row per match).
 *
 * @example
 * ```ts
 * showTablesSql('fiat', 'audit'); // "SHOW TABLES IN `fiat` 'audit'"
 * ```
 */
export function showTablesSql(database: string, table: string): string {
  assertAthenaIdentifier(table, 'table');
  return `SHOW TABLES IN ${ddlIdentifier(database, 'database')} '${table}'`;
}

/**
 * Parses the rows of Athena's `DESCRIBE` (one tab-separated `name  type  comment` line per row,
 * then `# Partition Information`) into the data columns (with their comments), partition columns left out.
 *
 * @example
 * ```ts
 * parseDescribeRows(['event_id \tstring \t', 'dt \tstring \t', '', '# Partition Information', …]);
 * // [{ name: 'event_id', type: 'string' }]
 * ```
 */
export function parseDescribeRows(rows: readonly string[]): Column[] {
  const columns: Column[] = [];
  for (const row of rows) {
    const line = row.trim();
    if (line.startsWith('# Partition Information')) break;
    if (line === '' || line.startsWith('#')) continue;
    const [name, type, comment] = row.split('\t').map((part) => part.trim());
    if (name === undefined || type === undefined || name === '') continue;
    if (name === PARTITION_COLUMN) continue;
    columns.push({ name: name.toLowerCase(), type: normalizeType(type), ...(comment === undefined || comment === '' ? {} : { comment }) });
  }
  return columns;
}

/** How an existing table differs from its stream's definition. */
export interface ColumnDiff {
  /** Columns in the definition, not in the table: safe to add. */
  readonly added: readonly Column[];
  /** Columns in the table, not in the definition. */
  readonly removed: readonly Column[];
  /** Columns whose type changed. */
  readonly retyped: readonly { readonly name: string; readonly from: string; readonly to: string }[];
}

/**
 * Compares a table's columns with the definition's (by name; types compared as DDL writes them).
 *
 * @example
 * ```ts
 * diffColumns([{ name: 'a', type: 'string' }], [{ name: 'a', type: 'string' }, { name: 'b', type: 'bigint' }]);
 * // { added: [{ name: 'b', type: 'bigint' }], removed: [], retyped: [] }
 * ```
 */
export function diffColumns(existing: readonly Column[], wanted: readonly Column[]): ColumnDiff {
  const have = new Map(existing.map((c) => [c.name.toLowerCase(), normalizeType(c.type)]));
  const want = new Map(wanted.map((c) => [c.name.toLowerCase(), normalizeType(c.type)]));
  const added = wanted
    .filter((c) => !have.has(c.name.toLowerCase()))
    .map((c) => ({ name: c.name, type: normalizeType(c.type), ...(c.comment === undefined ? {} : { comment: c.comment }) }));
  const removed = existing.filter((c) => !want.has(c.name.toLowerCase()));
  const retyped = wanted.flatMap((c) => {
    const from = have.get(c.name.toLowerCase());
    const to = normalizeType(c.type);
    return from !== undefined && from !== to ? [{ name: c.name, from, to }] : [];
  });
  return { added, removed, retyped };
}

/**
 * Why a diff cannot be applied, one line per column, or an empty list when it can.
 *
 * @example
 * ```ts
 * refusalReasons({ added: [], removed: [{ name: 'phase', type: 'string' }], retyped: [] });
 * // ["column 'phase' (string) was removed from the definition: …"]
 * ```
 */
export function refusalReasons(diff: ColumnDiff): string[] {
  return [
    ...diff.removed.map(
      (c) =>
        `column '${c.name}' (${c.type}) is in the table but no longer in the definition: dropping it would hide the values already written, ` +
        `and Athena cannot drop a column of a JSON table in place; keep the field (optional) or create a new stream`,
    ),
    ...diff.retyped.map(
      (c) =>
        `column '${c.name}' changed type from ${c.from} to ${c.to}: the files already written hold ${c.from} values, ` +
        `which the SerDe cannot read as ${c.to} (queries would fail or return NULL); add a new field instead`,
    ),
  ];
}
