// The stored form of timestamps, written once: UTC `yyyy-MM-dd HH:mm:ss.SSS`. Formatting, parsing with
// range checks, the input forms `log()` accepts, the JSON Schema pattern and RegExp, and the
// `timestampformat` DuckDB reads it with. Every package imports these from `@fiat/core`.
import type { FiatIssue } from './errors.js';

/**
 * The JSON Schema pattern of a stored timestamp: UTC `yyyy-MM-dd HH:mm:ss.SSS`. It checks the shape
 * only; {@link parseStoredTimestamp} also checks that the date and time exist.
 *
 * @example
 * ```ts
 * ({ type: 'string', pattern: STORED_TIMESTAMP_PATTERN }); // how json_schema.json describes a timestamp column
 * ```
 */
export const STORED_TIMESTAMP_PATTERN = '^\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}\\.\\d{3}$';

/**
 * {@link STORED_TIMESTAMP_PATTERN} as a RegExp (shape only, no range checks).
 *
 * @example
 * ```ts
 * STORED_TIMESTAMP_REGEX.test('2026-11-26 09:05:07.042'); // true
 * ```
 */
export const STORED_TIMESTAMP_REGEX = new RegExp(STORED_TIMESTAMP_PATTERN);

/**
 * The pattern a timestamp input string must match: ISO 8601 with `Z` or an offset, or the stored form.
 * `Date` objects are accepted too (the input schema allows objects; the encoder checks they are valid Dates).
 *
 * @example
 * ```ts
 * new RegExp(TIMESTAMP_INPUT_PATTERN).test('2026-11-26T09:05:07+01:00'); // true
 * ```
 */
export const TIMESTAMP_INPUT_PATTERN =
  '^(?:\\d{4}-\\d{2}-\\d{2}[Tt]\\d{2}:\\d{2}(?::\\d{2}(?:\\.\\d{1,9})?)?(?:[Zz]|[+-]\\d{2}:?\\d{2})|\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}\\.\\d{3})$';

/**
 * DuckDB's `timestampformat` for stored timestamps (`%g` is milliseconds), as `read_json` takes it.
 *
 * @example
 * ```ts
 * `read_json('lake/audit/dt=*\/*.gz', timestampformat = '${STORED_TIMESTAMP_DUCKDB_FORMAT}')`;
 * ```
 */
export const STORED_TIMESTAMP_DUCKDB_FORMAT = '%Y-%m-%d %H:%M:%S.%g';

/** The message of a value that cannot be stored as a timestamp. */
export const TIMESTAMP_MESSAGE = 'must be a Date or an ISO 8601 date-time string with Z or an offset';

const STORED_PARTS = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})\.(\d{3})$/;
const ISO_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(?:Z|([+-])(\d{2}):?(\d{2}))$/i;
/** 0001-01-01 00:00:00.000 and 9999-12-31 23:59:59.999 UTC: the years every engine reads. */
const MIN_TIMESTAMP_MS = -62135596800000;
const MAX_TIMESTAMP_MS = 253402300799999;
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * Formats epoch milliseconds as a stored timestamp: UTC `yyyy-MM-dd HH:mm:ss.SSS`, the one form
 * that the Hive JSON SerDe, the OpenX SerDe, Firehose's format conversion and DuckDB all read.
 *
 * @example
 * ```ts
 * formatTimestamp(Date.UTC(2026, 10, 26, 9, 5, 7, 42)); // '2026-11-26 09:05:07.042'
 * ```
 */
export function formatTimestamp(epochMs: number): string {
  if (epochMs === lastMs) return lastFormatted;
  const second = Math.floor(epochMs / 1000);
  if (second !== lastSecond) {
    const iso = new Date(second * 1000).toISOString();
    lastSecond = second;
    lastSecondPrefix = `${iso.slice(0, 10)} ${iso.slice(11, 19)}.`;
  }
  const millis = epochMs - second * 1000;
  lastMs = epochMs;
  lastFormatted = lastSecondPrefix + (millis < 10 ? `00${millis}` : millis < 100 ? `0${millis}` : `${millis}`);
  return lastFormatted;
}

// One-entry caches: consecutive records mostly share their second, often their millisecond.
let lastMs = Number.NaN;
let lastFormatted = '';
let lastSecond = Number.NaN;
let lastSecondPrefix = '';

/**
 * Epoch milliseconds of a stored timestamp (`yyyy-MM-dd HH:mm:ss.SSS`, UTC), or `undefined` when the
 * text has another shape or names a date or time that does not exist (month 13, 30 February, hour 24)
 * or lies outside years 0001–9999.
 *
 * @example
 * ```ts
 * parseStoredTimestamp('2026-11-26 09:05:07.042'); // 1795683907042
 * parseStoredTimestamp('2026-13-45 99:99:99.999'); // undefined
 * ```
 */
export function parseStoredTimestamp(text: string): number | undefined {
  const parts = STORED_PARTS.exec(text);
  return parts === null ? undefined : inRange(wallClockMillis(parts));
}

/**
 * Epoch milliseconds of a timestamp input — a valid `Date`, an ISO 8601 date-time string with `Z` or
 * an offset, or an already stored `yyyy-MM-dd HH:mm:ss.SSS` string (UTC) — or `undefined` when the
 * value is none of these, names a date or time that does not exist, or lies outside years 0001–9999 UTC.
 *
 * @example
 * ```ts
 * timestampInputMillis('1970-01-01T01:00:00+01:00'); // 0
 * timestampInputMillis('2026-02-30T10:00:00Z');      // undefined: there is no 30 February
 * ```
 */
export function timestampInputMillis(value: unknown): number | undefined {
  if (value instanceof Date) return inRange(value.getTime());
  if (typeof value !== 'string') return undefined;
  const stored = STORED_PARTS.exec(value);
  if (stored !== null) return inRange(wallClockMillis(stored));
  const iso = ISO_DATE_TIME.exec(value);
  if (iso === null) return undefined;
  const local = wallClockMillis(iso);
  if (iso[8] === undefined || local === undefined) return inRange(local);
  const hours = Number(iso[9]);
  const minutes = Number(iso[10]);
  if (hours > 23 || minutes > 59) return undefined;
  return inRange(local - (iso[8] === '-' ? -1 : 1) * (hours * 60 + minutes) * 60_000);
}

/**
 * True when `value` can be stored as a timestamp (see {@link timestampInputMillis}).
 *
 * @example
 * ```ts
 * isTimestampInput('2026-02-28T23:00:00-02:00'); // true
 * isTimestampInput('2026-02-30T10:00:00Z');      // false: there is no 30 February
 * ```
 */
export function isTimestampInput(value: unknown): boolean {
  return timestampInputMillis(value) !== undefined;
}

/**
 * The stored form of a timestamp input, or `undefined` after pushing an issue at `path` (the message
 * says when the shape was right but the date or time does not exist).
 *
 * @example
 * ```ts
 * const issues: FiatIssue[] = [];
 * encodeTimestamp('2026-11-26T10:05:07.042+01:00', 'at', issues); // '2026-11-26 09:05:07.042'
 * ```
 */
export function encodeTimestamp(value: unknown, path: string, issues: FiatIssue[]): string | undefined {
  const ms = timestampInputMillis(value);
  if (ms === undefined) {
    const shaped = typeof value === 'string' && (STORED_PARTS.test(value) || ISO_DATE_TIME.test(value));
    issues.push({ path, message: shaped ? `${TIMESTAMP_MESSAGE}, naming a date and time that exist (years 0001-9999)` : TIMESTAMP_MESSAGE });
    return undefined;
  }
  // A stored-form string whose parts are all in range is already its own stored form.
  return typeof value === 'string' && value.length === 23 && value.charCodeAt(10) === 32 ? value : formatTimestamp(ms);
}

function inRange(ms: number | undefined): number | undefined {
  return ms !== undefined && ms >= MIN_TIMESTAMP_MS && ms <= MAX_TIMESTAMP_MS ? ms : undefined;
}

/** Days from 1970-01-01 to a proleptic Gregorian date (H. Hinnant's days_from_civil). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  return era * 146097 + yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy - 719468;
}

/** True when the calendar date exists (month 1-12, the day within its month, leap years included). */
function isCalendarDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return day <= (month === 2 && leap ? 29 : (DAYS_IN_MONTH[month - 1] as number));
}

/**
 * Epoch milliseconds of the date and wall-clock time in `parts` (year, month, day, hour, minute,
 * second, fraction), or `undefined` when any of them is out of its range (month 13, 30 February,
 * hour 24, minute or second 60).
 */
function wallClockMillis(parts: RegExpExecArray): number | undefined {
  const year = Number(parts[1]);
  const month = Number(parts[2]);
  const day = Number(parts[3]);
  const hour = Number(parts[4]);
  const minute = Number(parts[5]);
  const second = parts[6] === undefined ? 0 : Number(parts[6]);
  if (!isCalendarDate(year, month, day) || hour > 23 || minute > 59 || second > 59) return undefined;
  const fraction = parts[7] === undefined ? 0 : Number(parts[7].slice(0, 3).padEnd(3, '0'));
  return daysFromCivil(year, month, day) * 86_400_000 + hour * 3_600_000 + minute * 60_000 + second * 1000 + fraction;
}
