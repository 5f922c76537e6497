import type { FiatIssue } from './errors.js';
import type { FieldPlan, ValuePlan } from './columnPlan.js';
import { snapshotJson } from './snapshot.js';
import { encodeTimestamp } from './storedTimestamp.js';
import { INT64_STRING_PATTERN } from './jsonSchema.js';

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

const INT64_TEXT = new RegExp(INT64_STRING_PATTERN);

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
