import { Big, Unstorable } from './fuzzRecipes.js';

// The reference for the fuzz stream: what a record's model (plain data as first read) must be
// stored as, written independently of Fiat's encoder (Date-based timestamp checks, hand-coded
// field rules), and how a DuckDB row of it reads back.

const MAX_RECORD_BYTES = 1_024_000;
const MAX_DEPTH = 64;
const INT64_TEXT = /^(?:0|-?[1-9][0-9]{0,18})$/;
const STORED = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})\.(\d{3})$/;
const ISO = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(?:([Zz])|([+-])(\d{2}):?(\d{2}))$/;

class Refused extends Error {}
const refuse = (why: string): never => {
  throw new Refused(why);
};

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Unstorable) && !(value instanceof Big);
}

function string(value: unknown): string {
  if (typeof value !== 'string') return refuse('not a string');
  if (!value.isWellFormed()) return refuse('lone surrogate');
  return value;
}

function safeInt(value: unknown): number {
  return typeof value === 'number' && Number.isSafeInteger(value) ? value : refuse('not a safe integer');
}

/** A timestamp input as stored, checked with Date arithmetic (not Fiat's parser). */
export function referenceTimestamp(value: unknown): string {
  if (typeof value !== 'string') return refuse('timestamp not a string');
  const stored = STORED.exec(value);
  const parts = stored ?? ISO.exec(value) ?? refuse('timestamp pattern');
  const [y, mo, d, h, mi] = [1, 2, 3, 4, 5].map((i) => Number(parts[i]));
  const s = parts[6] === undefined ? 0 : Number(parts[6]);
  const ms = parts[7] === undefined ? 0 : Number(parts[7].slice(0, 3).padEnd(3, '0'));
  const date = new Date(0);
  date.setUTCFullYear(y!, mo! - 1, d!);
  date.setUTCHours(h!, mi!, s, ms);
  const same =
    date.getUTCFullYear() === y && date.getUTCMonth() === mo! - 1 && date.getUTCDate() === d && date.getUTCHours() === h && date.getUTCMinutes() === mi && date.getUTCSeconds() === s;
  if (!same) refuse('timestamp parts out of range');
  let time = date.getTime();
  if (stored === null && parts[9] !== undefined) {
    const [oh, om] = [Number(parts[10]), Number(parts[11])];
    if (oh > 23 || om > 59) refuse('offset out of range');
    time -= (parts[9] === '-' ? -1 : 1) * (oh * 60 + om) * 60_000;
  }
  const utc = new Date(time);
  if (utc.getUTCFullYear() < 1 || utc.getUTCFullYear() > 9999) refuse('timestamp year');
  const iso = utc.toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 23)}`;
}

function calendarDate(value: unknown): string {
  if (typeof value !== 'string') return refuse('date not a string');
  const parts = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value) ?? refuse('date pattern');
  const [y, m, d] = [1, 2, 3].map((i) => Number(parts[i]));
  const date = new Date(0);
  date.setUTCFullYear(y!, m! - 1, d!);
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m! - 1 || date.getUTCDate() !== d) refuse('date parts out of range');
  return value;
}

/** A free-form value as plain JSON data, or refused (what JSON cannot carry, deep nesting, lone surrogates). */
function plainJson(value: unknown, depth: number): unknown {
  if (value instanceof Unstorable) return refuse(value.why);
  if (value instanceof Big) return refuse('BigInt outside an int64 field');
  if (typeof value === 'string') return string(value);
  if (typeof value !== 'object' || value === null) return value;
  if (depth > MAX_DEPTH) return refuse('too deep');
  if (Array.isArray(value)) return value.map((item) => (item === undefined ? null : plainJson(item, depth + 1)));
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const item = (value as Record<string, unknown>)[key];
    if (item === undefined) continue;
    string(key);
    Object.defineProperty(out, key, { value: plainJson(item, depth + 1), enumerable: true, writable: true, configurable: true });
  }
  return out;
}

function int64(value: unknown): string {
  if (value instanceof Big) {
    const n = BigInt(value.digits);
    return n >= -(2n ** 63n) && n < 2n ** 63n ? value.digits : refuse('int64 range');
  }
  if (typeof value === 'number') return String(safeInt(value));
  if (typeof value === 'string' && INT64_TEXT.test(value)) {
    const n = BigInt(value);
    return n >= -(2n ** 63n) && n < 2n ** 63n ? value : refuse('int64 range');
  }
  return refuse('not an int64');
}

/** Each field's rule: its stored JSON text, or `undefined` when it is absent; refuses invalid values. */
const FIELDS: Record<string, (value: unknown) => string | undefined> = {
  s: (v) => JSON.stringify(string(required(v))),
  e: (v) => (['a', 'b', 'c'].includes(v as string) ? JSON.stringify(v) : refuse('enum')),
  i: (v) => JSON.stringify(safeInt(required(v))),
  n: (v) => (typeof v === 'number' && Number.isFinite(v) ? JSON.stringify(v) : refuse('not a number')),
  b: (v) => (typeof v === 'boolean' ? JSON.stringify(v) : refuse('not a boolean')),
  t: (v) => JSON.stringify(referenceTimestamp(required(v))),
  d: (v) => JSON.stringify(calendarDate(required(v))),
  arr: (v) => (Array.isArray(v) ? JSON.stringify(v.map(string)) : refuse('not an array')),
  st: (v) => {
    if (!isPlainObject(v)) return refuse('not a struct');
    const keys = Object.keys(v).filter((k) => v[k] !== undefined);
    if (keys.some((k) => k !== 'x' && k !== 'y')) refuse('unknown struct field');
    const x = safeInt(required(v.x));
    return v.y === undefined ? `{"x":${x}}` : `{"x":${x},"y":${JSON.stringify(string(v.y))}}`;
  },
  m: (v) => {
    if (!isPlainObject(v)) return refuse('not a map');
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(v)) {
      const item = v[key];
      if (item === undefined) continue;
      string(key);
      if (typeof item !== 'number' || !Number.isFinite(item)) refuse('map value not a number');
      Object.defineProperty(out, key, { value: item, enumerable: true, writable: true, configurable: true });
    }
    return JSON.stringify(out);
  },
  j: (v) => (v === null ? 'null' : JSON.stringify(JSON.stringify(plainJson(required(v), 1)))),
  o: (v) => (v === undefined ? undefined : JSON.stringify(string(v))),
  nl: (v) => (v === null ? 'null' : JSON.stringify(string(required(v)))),
  df: (v) => String(v === undefined ? 7 : safeInt(v)),
  big: (v) => (v === undefined ? undefined : int64(v)),
  ts: (v) => (v === undefined ? undefined : Array.isArray(v) ? JSON.stringify(v.map(referenceTimestamp)) : refuse('not an array')),
};

function required(value: unknown): unknown {
  return value === undefined ? refuse('required') : value === null ? refuse('not nullable') : value;
}

/** What the fuzz test expects of one record. */
export interface Expected {
  readonly ok: boolean;
  readonly why?: string;
  /** Every field the reference refuses ('' for the record itself). */
  readonly refusedFields?: readonly string[];
  /** Set when only the size is wrong: the error must then be RECORD_TOO_LARGE. */
  readonly code?: 'RECORD_TOO_LARGE';
  /** The stored fields, parsed (an int64 past 2^53 loses digits here: see `bigText`). */
  readonly fields: Record<string, unknown>;
  /** The exact integer literal stored for `big`, when present. */
  readonly bigText?: string;
  readonly envelope: (eventId: string, eventTime: number) => Record<string, unknown>;
  /** A DuckDB row, normalized for comparison. */
  readonly duckdb: (row: Record<string, unknown>) => Record<string, unknown>;
  /** The expected DuckDB row, normalized the same way. */
  readonly duckdbExpected: () => Record<string, unknown>;
}

const ENVELOPE_JSON_BYTES = '{"event_id":"01936a1e-0000-7000-8000-000000000000","event_time":"2026-11-26 00:00:00.000","app":"fuzz","email":"fuzz@example.com","tags":{"run":""}}\n'.length;

/** The expected outcome of logging a record whose first-read model is `record`. */
export function expectedRecord(record: unknown, seedText: string): Expected {
  const refused = (why: string, code?: 'RECORD_TOO_LARGE', refusedFields?: readonly string[]): Expected => ({
    ok: false,
    why,
    ...(refusedFields !== undefined ? { refusedFields } : {}),
    ...(code !== undefined ? { code } : {}),
    fields: {},
    envelope: () => ({}),
    duckdb: () => ({}),
    duckdbExpected: () => ({}),
  });
  if (!isPlainObject(record)) return refused('record not an object', undefined, ['']);
  let text = '';
  let bigText: string | undefined;
  const failures: [string, string][] = [];
  const attempt = (name: string, check: () => void): void => {
    try {
      check();
    } catch (error) {
      if (!(error instanceof Refused)) throw error;
      failures.push([name, error.message]);
    }
  };
  for (const key of Object.keys(record)) {
    attempt(key, () => {
      if (record[key] !== undefined && !Object.hasOwn(FIELDS, key)) refuse(`unknown field ${key}`);
    });
  }
  for (const [name, rule] of Object.entries(FIELDS)) {
    attempt(name, () => {
      const stored = rule(record[name]);
      if (stored !== undefined) text += `,${JSON.stringify(name)}:${stored}`;
      if (name === 'big') bigText = stored;
    });
  }
  if (failures.length > 0) {
    return refused(failures.map(([name, why]) => `${name}: ${why}`).join('; '), undefined, failures.map(([name]) => name));
  }
  const bytes = ENVELOPE_JSON_BYTES + seedText.length + Buffer.byteLength(text);
  if (bytes > MAX_RECORD_BYTES) return refused(`${bytes} bytes`, 'RECORD_TOO_LARGE');
  const fields = JSON.parse(`{${text.slice(1)}}`) as Record<string, unknown>;
  const envelope = (eventId: string, eventTime: number): Record<string, unknown> => ({
    event_id: eventId,
    event_time: new Date(eventTime).toISOString().replace('T', ' ').slice(0, 23),
    app: 'fuzz',
    email: 'fuzz@example.com',
    tags: { run: seedText },
  });
  return {
    ok: true,
    fields,
    ...(bigText !== undefined ? { bigText } : {}),
    envelope,
    duckdb: normalizeRow,
    duckdbExpected: () => normalizeRow({ ...fields, big: bigText ?? null }),
  };
}

/** A timestamp as DuckDB prints it (`…:ss`, `…:ss.fff…`) or as stored, to `yyyy-MM-dd HH:mm:ss.SSS`. */
function timestamp(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const [whole, fraction = ''] = value.split('.');
  return `${whole}.${fraction.padEnd(3, '0').slice(0, 3)}`;
}

function mapObject(value: unknown): unknown {
  if (!Array.isArray(value)) return value;
  const out: Record<string, unknown> = {};
  for (const { key, value: item } of value as { key: string; value: unknown }[]) {
    Object.defineProperty(out, key, { value: item, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

const asText = (value: unknown): unknown => (value === null || value === undefined ? null : String(value));

/** The fuzz stream's fields in one comparable form, whether they come from a stored line or DuckDB. */
function normalizeRow(row: Record<string, unknown>): Record<string, unknown> {
  const st = row.st as Record<string, unknown> | null | undefined;
  return {
    s: row.s ?? null,
    e: row.e ?? null,
    i: asText(row.i),
    n: row.n ?? null,
    b: row.b ?? null,
    t: timestamp(row.t ?? null),
    d: typeof row.d === 'string' ? row.d.replace(/^0001-(\d\d-\d\d) \(BC\)$/, '0000-$1') : (row.d ?? null),
    arr: row.arr ?? null,
    st: st === null || st === undefined ? null : { x: asText(st.x), y: st.y ?? null },
    m: mapObject(row.m ?? null),
    j: row.j ?? null,
    o: row.o ?? null,
    nl: row.nl ?? null,
    df: asText(row.df),
    big: asText(row.big),
    ts: Array.isArray(row.ts) ? row.ts.map(timestamp) : (row.ts ?? null),
  };
}

/**
 * JSON with object keys sorted at every level (own `__proto__` keys included), so two values
 * compare equal exactly when they hold the same data.
 */
export function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const record = value as Record<string, unknown>;
    return `{${Object.keys(record)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonical(record[key])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'undefined';
}
