import type { FiatIssue } from './errors.js';
import type { FieldPlan, ValuePlan } from './columnPlan.js';
import { snapshotJson } from './snapshot.js';

const STORED_TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})\.(\d{3})$/;
const ISO_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(?:Z|([+-])(\d{2}):?(\d{2}))$/i;
/** 0001-01-01 00:00:00.000 and 9999-12-31 23:59:59.999 UTC: the years every engine reads. */
const MIN_TIMESTAMP_MS = -62135596800000;
const MAX_TIMESTAMP_MS = 253402300799999;
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Days from 1970-01-01 to a proleptic Gregorian date (H. Hinnant's days_from_civil). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  return era * 146097 + yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy - 719468;
}

/** True when the calendar date exists (month 1-12, the day within its month, leap years included). */
export function isCalendarDate(year: number, month: number, day: number): boolean {
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
 * True when `value` can be stored as a timestamp: a valid `Date`, an ISO 8601 date-time string
 * with `Z` or an offset, or an already stored `yyyy-MM-dd HH:mm:ss.SSS` string (UTC), naming a
 * date and time that exist, within years 0001–9999 UTC.
 *
 * @example
 * ```ts
 * isTimestampInput('2026-02-28T23:00:00-02:00'); // true
 * isTimestampInput('2026-02-30T10:00:00Z');      // false: there is no 30 February
 * ```
 */
export function isTimestampInput(value: unknown): boolean {
  return timestampMillis(value) !== undefined;
}

function timestampMillis(value: unknown): number | undefined {
  let ms: number | undefined;
  if (value instanceof Date) ms = value.getTime();
  else if (typeof value !== 'string') return undefined;
  else {
    let parts = STORED_TIMESTAMP.exec(value);
    if (parts !== null) ms = wallClockMillis(parts);
    else if ((parts = ISO_DATE_TIME.exec(value)) !== null) {
      ms = wallClockMillis(parts);
      if (parts[8] !== undefined && ms !== undefined) {
        const hours = Number(parts[9]);
        const minutes = Number(parts[10]);
        if (hours > 23 || minutes > 59) return undefined;
        ms -= (parts[8] === '-' ? -1 : 1) * (hours * 60 + minutes) * 60_000;
      }
    }
  }
  return ms !== undefined && ms >= MIN_TIMESTAMP_MS && ms <= MAX_TIMESTAMP_MS ? ms : undefined;
}

/** The message of a value that cannot be stored as a timestamp. */
export const TIMESTAMP_MESSAGE = 'must be a Date or an ISO 8601 date-time string with Z or an offset';

/** Encodes a timestamp input, or reports it and returns `undefined`. */
export function encodeTimestamp(value: unknown, path: string, issues: FiatIssue[]): string | undefined {
  const ms = timestampMillis(value);
  if (ms === undefined) {
    issues.push({ path, message: typeof value === 'string' && (STORED_TIMESTAMP.test(value) || ISO_DATE_TIME.test(value)) ? `${TIMESTAMP_MESSAGE}, naming a date and time that exist (years 0001-9999)` : TIMESTAMP_MESSAGE });
    return undefined;
  }
  // A stored-form string whose parts are all in range is already its own stored form.
  return typeof value === 'string' && value.length === 23 && value.charCodeAt(10) === 32 ? value : formatTimestamp(ms);
}

/**
 * Checks that a free-form value can be carried by JSON without loss and returns its JSON text,
 * or records issues (cycles, BigInt, NaN, Infinity, functions, symbols, Map, Set, lone surrogates,
 * nesting deeper than 64 levels) and returns `undefined`. The value is read once (see
 * `snapshotJson`); a value whose JSON would pass 1,024,000 bytes throws `RECORD_TOO_LARGE`.
 *
 * @example
 * ```ts
 * const issues: FiatIssue[] = [];
 * toJsonText({ x: 1 }, 'task_args', issues); // '{"x":1}'
 * toJsonText({ x: 1n }, 'task_args', issues); // undefined; issues[0].path === 'task_args.x'
 * ```
 */
export function toJsonText(value: unknown, path: string, issues: FiatIssue[]): string | undefined {
  const snapshot = snapshotJson(value, { path, label: path === '' ? 'value' : path });
  if (snapshot.issues.length > 0) {
    issues.push(...snapshot.issues);
    return undefined;
  }
  return JSON.stringify(snapshot.value);
}

/** True when values of this plan are stored exactly as given (no timestamp, JSON text, int64 or default inside). */
export function isVerbatim(plan: ValuePlan): boolean {
  switch (plan.kind) {
    case 'timestamp':
    case 'json':
    case 'int64':
      return false;
    case 'array':
      return isVerbatim(plan.items);
    case 'map':
      return isVerbatim(plan.values);
    case 'struct':
      return fieldsAreVerbatim(plan.fields);
    default:
      return true;
  }
}

/** True when an object with these fields is stored exactly as given. */
export function fieldsAreVerbatim(fields: readonly FieldPlan[]): boolean {
  return fields.every((field) => field.default === undefined && isVerbatim(field.plan));
}

const INT64_TEXT = /^(?:0|-?[1-9][0-9]{0,18})$/;

/** The message of a value that cannot be stored in an int64 (`z.int64()`) field. */
export const INT64_MESSAGE = 'must be an integer between -2^63 and 2^63-1 (a safe integer number, a BigInt or a decimal string)';
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/**
 * The exact JSON integer literal of an int64 input (a safe integer, or the decimal string a BigInt
 * was turned into), or `undefined` after reporting a value outside -2^63 … 2^63-1.
 */
export function encodeInt64(value: unknown, path: string, issues: FiatIssue[]): string | undefined {
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
  if (typeof value === 'string' && INT64_TEXT.test(value)) {
    const n = BigInt(value);
    if (n >= INT64_MIN && n <= INT64_MAX) return value;
  }
  issues.push({ path, message: INT64_MESSAGE });
  return undefined;
}

/**
 * The stored JSON of one validated value (plain data, as read by the snapshot walk): timestamps as
 * `yyyy-MM-dd HH:mm:ss.SSS` UTC, free-form values as JSON text, int64 values as exact integer
 * literals, defaults filled in. Problems are pushed onto `issues` (the text is then meaningless).
 */
export function storedJson(plan: ValuePlan, value: unknown, path: string, issues: FiatIssue[]): string {
  if (value === null || value === undefined) return 'null';
  switch (plan.kind) {
    case 'timestamp': {
      const text = encodeTimestamp(value, path, issues);
      return text === undefined ? 'null' : `"${text}"`;
    }
    case 'json':
      return JSON.stringify(JSON.stringify(value));
    case 'int64':
      return encodeInt64(value, path, issues) ?? 'null';
    case 'array': {
      if (isVerbatim(plan.items)) return JSON.stringify(value);
      const items = value as readonly unknown[];
      return `[${items.map((item, i) => storedJson(plan.items, item, `${path}.${i}`, issues)).join(',')}]`;
    }
    case 'map': {
      if (isVerbatim(plan.values)) return JSON.stringify(value);
      const entries = Object.entries(value as Record<string, unknown>);
      return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${storedJson(plan.values, item, `${path}.${key}`, issues)}`).join(',')}}`;
    }
    case 'struct':
      return `{${storedFields(plan.fields, value as Record<string, unknown>, path, issues).slice(1)}}`;
    default:
      return JSON.stringify(value);
  }
}

/**
 * The stored JSON of an object's fields (a struct), each as `,"name":value` in field order, with
 * defaults filled in and missing required fields reported.
 */
export function storedFields(fields: readonly FieldPlan[], value: Record<string, unknown>, path: string, issues: FiatIssue[]): string {
  let out = '';
  for (const field of fields) {
    let item = value[field.name];
    const where = path === '' ? field.name : `${path}.${field.name}`;
    if (item === undefined) {
      if (field.default !== undefined) item = field.default;
      else {
        if (field.required) issues.push({ path: where, message: 'is required' });
        continue;
      }
    }
    out += `,${JSON.stringify(field.name)}:${storedJson(field.plan, item, where, issues)}`;
  }
  return out;
}
