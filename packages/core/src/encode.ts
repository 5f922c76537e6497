import type { FiatIssue } from './errors.js';
import type { FieldPlan, ValuePlan } from './columns.js';

const STORED_TIMESTAMP = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3}$/;
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})$/i;

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
 * with `Z` or an offset, or an already stored `yyyy-MM-dd HH:mm:ss.SSS` string (UTC), within
 * years 0001–9999.
 */
export function isTimestampInput(value: unknown): boolean {
  const ms = timestampMillis(value);
  return ms !== undefined && ms >= -62135596800000 && ms <= 253402300799999;
}

function timestampMillis(value: unknown): number | undefined {
  if (value instanceof Date) {
    const ms = value.getTime();
    return Number.isNaN(ms) ? undefined : ms;
  }
  if (typeof value !== 'string') return undefined;
  let ms: number;
  if (STORED_TIMESTAMP.test(value)) ms = Date.parse(`${value.replace(' ', 'T')}Z`);
  else if (ISO_DATE_TIME.test(value)) ms = Date.parse(value);
  else return undefined;
  return Number.isNaN(ms) ? undefined : ms;
}

/** The message of a value that cannot be stored as a timestamp. */
export const TIMESTAMP_MESSAGE = 'must be a Date or an ISO 8601 date-time string with Z or an offset';

/** Encodes a timestamp input, or reports it and returns `undefined`. */
export function encodeTimestamp(value: unknown, path: string, issues: FiatIssue[]): string | undefined {
  if (typeof value === 'string' && STORED_TIMESTAMP.test(value)) return value;
  const ms = timestampMillis(value);
  if (ms === undefined || ms < -62135596800000 || ms > 253402300799999) {
    issues.push({ path, message: TIMESTAMP_MESSAGE });
    return undefined;
  }
  return formatTimestamp(ms);
}

/**
 * Checks that a free-form value can be carried by JSON without loss and returns its JSON text,
 * or records issues (cycles, BigInt, NaN, Infinity, functions, symbols, Map, Set) and returns
 * `undefined`.
 *
 * @example
 * ```ts
 * const issues: FiatIssue[] = [];
 * toJsonText({ x: 1 }, 'task_args', issues); // '{"x":1}'
 * toJsonText({ x: 1n }, 'task_args', issues); // undefined; issues[0].path === 'task_args.x'
 * ```
 */
export function toJsonText(value: unknown, path: string, issues: FiatIssue[]): string | undefined {
  const before = issues.length;
  checkJson(value, path, new Set(), issues);
  if (issues.length > before) return undefined;
  return JSON.stringify(value);
}

function describe(value: unknown): string | undefined {
  switch (typeof value) {
    case 'bigint':
      return 'is a BigInt, which JSON cannot carry (convert it to a string or number)';
    case 'function':
      return 'is a function, which JSON cannot carry';
    case 'symbol':
      return 'is a symbol, which JSON cannot carry';
    case 'number':
      return Number.isFinite(value) ? undefined : `is ${String(value)}, which JSON cannot carry`;
    default:
      return undefined;
  }
}

function checkJson(value: unknown, path: string, seen: Set<object>, issues: FiatIssue[]): void {
  if (value === null || typeof value !== 'object') {
    const problem = describe(value);
    if (problem !== undefined) issues.push({ path, message: problem });
    return;
  }
  if (seen.has(value)) {
    issues.push({ path, message: 'contains a cycle, which JSON cannot carry' });
    return;
  }
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) issues.push({ path, message: 'is an invalid Date' });
    return;
  }
  if (value instanceof Map || value instanceof Set) {
    const kind = value instanceof Map ? 'Map (use Object.fromEntries)' : 'Set (use an array)';
    issues.push({ path, message: `is a ${kind}, which JSON cannot carry` });
    return;
  }
  seen.add(value);
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) checkJson(value[i], `${path}.${i}`, seen, issues);
  } else if (typeof (value as { toJSON?: unknown }).toJSON !== 'function') {
    for (const key of Object.keys(value)) {
      const child = (value as Record<string, unknown>)[key];
      if (child !== undefined) checkJson(child, path === '' ? key : `${path}.${key}`, seen, issues);
    }
  }
  seen.delete(value);
}

/** True when values of this plan are stored exactly as given (no timestamp, JSON text or default inside). */
export function isVerbatim(plan: ValuePlan): boolean {
  switch (plan.kind) {
    case 'timestamp':
    case 'json':
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

/**
 * Encodes one validated value for storage: timestamps to `yyyy-MM-dd HH:mm:ss.SSS` UTC, free-form
 * values to JSON text, defaults filled in. Problems are pushed onto `issues`.
 */
export function encodeValue(plan: ValuePlan, value: unknown, path: string, issues: FiatIssue[]): unknown {
  if (value === null || value === undefined) return value;
  switch (plan.kind) {
    case 'timestamp':
      return encodeTimestamp(value, path, issues);
    case 'json':
      return toJsonText(value, path, issues);
    case 'array':
      if (isVerbatim(plan.items)) return value;
      return (value as unknown[]).map((item, i) => encodeValue(plan.items, item, `${path}.${i}`, issues));
    case 'map': {
      if (isVerbatim(plan.values)) return value;
      const out: Record<string, unknown> = {};
      for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
        out[key] = encodeValue(plan.values, item, `${path}.${key}`, issues);
      }
      return out;
    }
    case 'struct':
      return encodeFields(plan.fields, value as Record<string, unknown>, path, issues);
    default:
      return value;
  }
}

/** Encodes an object's fields (a record or a struct), checking required fields are not `undefined`. */
export function encodeFields(
  fields: readonly FieldPlan[],
  value: Record<string, unknown>,
  path: string,
  issues: FiatIssue[],
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of fields) {
    let item = value[field.name];
    const where = path === '' ? field.name : `${path}.${field.name}`;
    if (item === undefined) {
      if (field.default !== undefined) item = field.default;
      else if (field.required) {
        issues.push({ path: where, message: 'is required' });
        continue;
      } else continue;
    }
    out[field.name] = encodeValue(field.plan, item, where, issues);
  }
  return out;
}
