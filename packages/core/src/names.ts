import { FiatError } from './errors.js';

/** Overrides for the names a stream resolves to; each one is optional. */
export interface StreamNameOverrides {
  /** Athena table (and DuckDB view) name. Default: the stream name in snake_case. */
  readonly table?: string;
  /** S3 / lake key prefix, ending with `/`. Default: `<table>/`. */
  readonly prefix?: string;
  /** Firehose delivery stream name. Default: `fiat-<table>`. */
  readonly deliveryStream?: string;
}

/** The names one stream resolves to, shared by transports and the provisioner. */
export interface StreamNames {
  /** The stream's own name, e.g. `Audit`. */
  readonly stream: string;
  /** Athena table / DuckDB view, e.g. `audit`. */
  readonly table: string;
  /** S3 / lake prefix, e.g. `audit/`. */
  readonly prefix: string;
  /** Firehose delivery stream, e.g. `fiat-audit`. */
  readonly deliveryStream: string;
}

/** The partition column every Fiat table has: the delivery date, UTC, `yyyy-MM-dd`. */
export const PARTITION_COLUMN = 'dt';

const ATHENA_IDENTIFIER = /^[a-z_][a-z0-9_]*$/;
const STREAM_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;
const DELIVERY_STREAM_NAME = /^[a-zA-Z0-9_.-]{1,64}$/;
const PREFIX_SEGMENT = /^[a-z0-9_][a-z0-9_.=-]*$/;

/**
 * The built-in streams that may use the reserved `_fiat` names, and the names each may use: the
 * dead-letter and checkpoint streams' tables and prefixes. No other stream may.
 */
const BUILT_IN_RESERVED: ReadonlyMap<string, Readonly<Record<string, string>>> = new Map([
  ['FiatDeadletter', { table: '_fiat_deadletter', prefix: '_fiat_deadletter/' }],
  ['FiatCheckpoint', { table: '_fiat_checkpoint', prefix: '_fiat_checkpoint/' }],
]);

/**
 * Why a table, delivery stream or prefix segment name is reserved, or `undefined` when it is not:
 * `.` and `..` could leave a folder, `_tmp` is where files are written before they appear, names
 * starting with `.` are hidden or special, and `_fiat…` belongs to Fiat's own streams. Compared
 * case-insensitively (file systems may fold case).
 *
 * @example
 * ```ts
 * reservedNameProblem('_tmp'); // "is reserved: '_tmp' holds files being written"
 * reservedNameProblem('orders'); // undefined
 * ```
 */
export function reservedNameProblem(name: string): string | undefined {
  const lower = name.toLowerCase();
  if (lower === '.' || lower === '..') return "could leave its folder: '.' and '..' are not allowed";
  if (lower === '_tmp') return "is reserved: '_tmp' holds files being written";
  if (lower.startsWith('.')) return "is reserved: names starting with '.' are hidden or special";
  if (lower.startsWith('_fiat')) return "is reserved for Fiat's own streams (names starting with '_fiat')";
  return undefined;
}

function assertNotReserved(name: string, what: 'table' | 'prefix' | 'delivery stream', stream: string, whole = name): void {
  const problem = reservedNameProblem(name);
  if (problem === undefined) return;
  if (name.toLowerCase().startsWith('_fiat') && BUILT_IN_RESERVED.get(stream)?.[what] === whole) return;
  throw new FiatError('INVALID_DEFINITION', `${what} '${whole}' for stream ${stream} ${problem}`);
}

/**
 * Checks that `name` is a legal Athena identifier as Fiat uses them: lowercase letters, digits and
 * underscore, not starting with a digit, at most 255 characters. Throws `INVALID_DEFINITION`
 * naming `what` otherwise.
 *
 * @example
 * ```ts
 * assertAthenaIdentifier('ticket_id', 'field');   // ok
 * assertAthenaIdentifier('ticketId', 'field');    // throws FiatError INVALID_DEFINITION
 * ```
 */
export function assertAthenaIdentifier(name: string, what: string): void {
  if (typeof name !== 'string' || name.length === 0) {
    throw new FiatError('INVALID_DEFINITION', `${what} name is empty: use lowercase letters, digits and underscore`);
  }
  if (name.length > 255) {
    throw new FiatError('INVALID_DEFINITION', `${what} '${name.slice(0, 40)}…' is longer than Athena's 255 characters`);
  }
  if (!ATHENA_IDENTIFIER.test(name)) {
    const hint = toSnakeCase(name);
    const suggestion = ATHENA_IDENTIFIER.test(hint) ? ` (e.g. '${hint}')` : '';
    throw new FiatError(
      'INVALID_DEFINITION',
      `${what} '${name}' is not a legal Athena identifier: use lowercase letters, digits and underscore, not starting with a digit${suggestion}`,
    );
  }
}

/**
 * Checks a stream name: letters, digits and underscore, starting with a letter. Names that could
 * leave a folder (`/`, `\`, `..`) or are empty are refused with `INVALID_DEFINITION`.
 *
 * @example
 * ```ts
 * assertStreamName('Audit');     // ok
 * assertStreamName('../etc');    // throws: could leave its folder
 * ```
 */
export function assertStreamName(name: unknown): asserts name is string {
  if (typeof name !== 'string' || name.length === 0) {
    throw new FiatError('INVALID_DEFINITION', 'stream name is empty: give the stream a name such as "Audit"');
  }
  if (name.includes('/') || name.includes('\\') || name.includes('..')) {
    throw new FiatError('INVALID_DEFINITION', `stream name '${name}' could leave its folder: '/', '\\' and '..' are not allowed`);
  }
  if (!STREAM_NAME.test(name) || name.length > 128) {
    throw new FiatError(
      'INVALID_DEFINITION',
      `stream name '${name}' is not allowed: use letters, digits and underscore, starting with a letter (at most 128)`,
    );
  }
}

/**
 * Converts a stream name to snake_case: `Audit` → `audit`, `PageView` → `page_view`,
 * `HTTPRequest` → `http_request`.
 *
 * @example
 * ```ts
 * toSnakeCase('PageView'); // 'page_view'
 * ```
 */
export function toSnakeCase(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .toLowerCase();
}

/**
 * Resolves the table, prefix and delivery stream for a stream, applying overrides. Every name
 * is validated here, so nothing that could inject into DDL or leave a folder gets further.
 *
 * @example
 * ```ts
 * resolveStreamNames('Audit');
 * // { stream: 'Audit', table: 'audit', prefix: 'audit/', deliveryStream: 'fiat-audit' }
 * resolveStreamNames('Audit', { deliveryStream: 'prod-audit' }).deliveryStream; // 'prod-audit'
 * ```
 */
export function resolveStreamNames(stream: string, overrides: StreamNameOverrides = {}): StreamNames {
  assertStreamName(stream);
  const table = overrides.table ?? toSnakeCase(stream);
  assertAthenaIdentifier(table, `table for stream ${stream}:`);
  assertNotReserved(table, 'table', stream);
  const prefix = overrides.prefix ?? `${table}/`;
  assertPrefix(prefix, stream);
  const deliveryStream = overrides.deliveryStream ?? `fiat-${table}`;
  if (typeof deliveryStream !== 'string' || !DELIVERY_STREAM_NAME.test(deliveryStream)) {
    throw new FiatError(
      'INVALID_DEFINITION',
      `delivery stream '${String(deliveryStream)}' for stream ${stream} is not a legal Firehose name: 1-64 of letters, digits, '_', '.', '-'`,
    );
  }
  assertNotReserved(deliveryStream, 'delivery stream', stream);
  return { stream, table, prefix, deliveryStream };
}

function assertPrefix(prefix: string, stream: string): void {
  const fail = (why: string): never => {
    throw new FiatError('INVALID_DEFINITION', `prefix '${prefix}' for stream ${stream} ${why}`);
  };
  if (typeof prefix !== 'string' || prefix.length === 0) fail('is empty');
  if (!prefix.endsWith('/')) fail("must end with '/'");
  if (prefix.startsWith('/')) fail("must not start with '/'");
  const segments = prefix.slice(0, -1).split('/');
  for (const segment of segments) {
    if (segment === '..' || segment === '.') fail("could leave its folder: '.' and '..' segments are not allowed");
    if (!PREFIX_SEGMENT.test(segment)) {
      fail("is not allowed: use lowercase letters, digits, '_', '-', '.', '=' separated by '/'");
    }
    assertNotReserved(segment, 'prefix', stream, prefix);
  }
}
