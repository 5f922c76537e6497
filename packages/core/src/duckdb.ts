import { FiatError } from './errors.js';

/**
 * Athena/Trino functions that DuckDB spells differently, as DuckDB macros, so the same SQL runs on
 * Athena, on the local lake (`fiat query`) and on the fake Athena of `@fiat/testing`. Plain SQL text:
 * `@fiat/core` does not depend on DuckDB.
 *
 * @example
 * ```ts
 * for (const macro of TRINO_COMPAT_MACROS) await connection.run(macro);
 * ```
 */
export const TRINO_COMPAT_MACROS: readonly string[] = [
  `CREATE OR REPLACE MACRO json_extract_scalar(j, p) AS json_extract_string(j, p)`,
  `CREATE OR REPLACE MACRO from_iso8601_timestamp(s) AS CAST(CAST(s AS TIMESTAMPTZ) AT TIME ZONE 'UTC' AS TIMESTAMP)`,
  `CREATE OR REPLACE MACRO date_format(t, f) AS strftime(t, replace(replace(replace(replace(replace(replace(replace(f, '%i', '%M'), '%s', '%S'), '%f', '%g'), '%T', '%H:%M:%S'), '%k', '%-H'), '%l', '%-I'), '%c', '%-m'))`,
  `CREATE OR REPLACE MACRO to_iso8601(t) AS strftime(t, '%Y-%m-%dT%H:%M:%S.%gZ')`,
  `CREATE OR REPLACE MACRO cardinality(x) AS len(x)`,
  `CREATE OR REPLACE MACRO approx_distinct(x) AS approx_count_distinct(x)`,
  `CREATE OR REPLACE MACRO regexp_like(s, p) AS regexp_matches(s, p)`,
  `CREATE OR REPLACE MACRO from_unixtime(x) AS CAST(to_timestamp(x) AT TIME ZONE 'UTC' AS TIMESTAMP)`,
];

/**
 * Escapes a string as a single-quoted SQL literal (Athena and DuckDB alike).
 *
 * @example
 * ```ts
 * sqlString("it's"); // "'it''s'"
 * ```
 */
export function sqlString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

const SCALARS: Record<string, string> = {
  string: 'VARCHAR',
  int: 'INTEGER',
  integer: 'INTEGER',
  bigint: 'BIGINT',
  smallint: 'SMALLINT',
  tinyint: 'TINYINT',
  double: 'DOUBLE',
  float: 'FLOAT',
  boolean: 'BOOLEAN',
  date: 'DATE',
  timestamp: 'TIMESTAMP',
  binary: 'BLOB',
};

/** Splits `a,b<c,d>,e` at its top-level commas. */
function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '<' || c === '(') depth += 1;
    else if (c === '>' || c === ')') depth -= 1;
    else if (c === ',' && depth === 0) {
      parts.push(text.slice(from, i));
      from = i + 1;
    }
  }
  parts.push(text.slice(from));
  return parts;
}

/**
 * The DuckDB type of an Athena (Hive DDL) column type, so that one column map serves Athena DDL and
 * DuckDB views. Covers every type Fiat writes and the other Hive DDL types (`int`, `varchar(n)`,
 * `decimal(p,s)`, …); anything else is a `FiatError` `INVALID_DEFINITION`.
 *
 * @example
 * ```ts
 * duckdbType('map<string,array<bigint>>');    // 'MAP(VARCHAR, BIGINT[])'
 * duckdbType('struct<a:string,b:timestamp>'); // 'STRUCT("a" VARCHAR, "b" TIMESTAMP)'
 * ```
 */
export function duckdbType(athenaType: string): string {
  const t = athenaType.replace(/[\s`]+/g, '').toLowerCase();
  const inner = (prefix: string): string[] => splitTopLevel(t.slice(prefix.length, -1));
  if (t.startsWith('array<') && t.endsWith('>')) return `${duckdbType(inner('array<')[0] ?? '')}[]`;
  if (t.startsWith('map<') && t.endsWith('>')) {
    const [key, value] = inner('map<');
    return `MAP(${duckdbType(key ?? '')}, ${duckdbType(value ?? '')})`;
  }
  if (t.startsWith('struct<') && t.endsWith('>')) {
    const fields = inner('struct<').map((field) => {
      const colon = field.indexOf(':');
      if (colon <= 0) throw new FiatError('INVALID_DEFINITION', `Athena type '${athenaType}' has a struct field without a type`);
      return `"${field.slice(0, colon)}" ${duckdbType(field.slice(colon + 1))}`;
    });
    return `STRUCT(${fields.join(', ')})`;
  }
  if (/^decimal\(\d+,\d+\)$/.test(t)) return t.toUpperCase();
  if (/^(var)?char\(\d+\)$/.test(t)) return 'VARCHAR';
  const scalar = SCALARS[t];
  if (scalar === undefined) throw new FiatError('INVALID_DEFINITION', `Athena type '${athenaType}' has no DuckDB counterpart`);
  return scalar;
}
