import { FiatError, formatIssues, isFiatError, type FiatIssue } from './errors.js';
import type { FieldPlan, ValuePlan } from './columnPlan.js';
import { encodeInt64, fieldsAreVerbatim, isVerbatim, storedJson } from './encode.js';
import { encodeTimestamp, formatTimestamp } from './storedTimestamp.js';
import { envelopeJson, type Envelope } from './envelope.js';
import { MAX_RECORD_BYTES } from './limits.js';
import { planHasInt64, snapshotRecord } from './snapshot.js';
import type { RecordValidator } from './validator.js';
import { resolveRedactionKey } from './redact/key.js';
import { Redaction } from './redact/Redaction.js';

/**
 * `1023000` → `'1,023,000'`, as `toLocaleString('en-US')` writes an integer, without it: the first
 * `toLocaleString` call loads ICU's locale data (tens of milliseconds), and this runs when a chained
 * stream is defined, so at import time.
 */
function groupThousands(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/**
 * What a definition does with a record: `validate` lists its issues, `encode` writes its line. Both
 * take the redaction a logger compiled for the stream; without one, the stream's own (its key from
 * `FIAT_REDACTION_KEY`).
 */
export interface RecordCodec {
  readonly validate: (fields: unknown, redaction?: Redaction) => FiatIssue[];
  readonly encode: (fields: unknown, envelope: Envelope, redaction?: Redaction) => string;
}

/** Writes one field as `,"name":<stored JSON>` (or nothing when absent), pushing its problems onto `issues`. */
type FieldWriter = (record: Record<string, unknown>, issues: FiatIssue[]) => string | undefined;

/** Years 0001–9999 UTC, as epoch milliseconds: the `event_time` a clock may give. */
const MIN_EVENT_TIME = -62135596800000;
const MAX_EVENT_TIME = 253402300799999;

/**
 * The walk's issues and the schema's as one list. A value the walk reported is `null` in the
 * snapshot, so what the schema says about it there is dropped, unless the field is not one of the
 * stream's at all.
 */
function mergeIssues(walk: readonly FiatIssue[], schema: readonly FiatIssue[]): FiatIssue[] {
  const reported = new Set(walk.map((issue) => issue.path));
  return [...walk, ...schema.filter((issue) => !reported.has(issue.path) || issue.message.startsWith('is not a field'))];
}

/**
 * The validate and encode functions of a stream: each record is read once into a plain snapshot
 * (see `snapshotRecord`), the snapshot is checked by the stream's validator, and the stored line is
 * written from that same snapshot, so what is stored is exactly what was checked. A line over
 * `maxBytes` (default: `MAX_RECORD_BYTES`; less for a chained stream, whose lines grow when sealed)
 * is refused with `RECORD_TOO_LARGE`.
 *
 * @example
 * ```ts
 * const codec = createRecordCodec('Orders', fields, validator);
 * codec.encode({ order_id: 'o-1' }, envelope); // '{"event_id":…,"order_id":"o-1"}\n'
 * ```
 */
export function createRecordCodec(stream: string, fields: readonly FieldPlan[], validator: RecordValidator, maxBytes = MAX_RECORD_BYTES): RecordCodec {
  const label = `${stream} record`;
  const limit =
    maxBytes === MAX_RECORD_BYTES
      ? 'the 1,024,000-byte (1,000 KiB) Firehose record limit'
      : `the ${groupThousands(maxBytes)}-byte limit of a chained record (Firehose's 1,024,000 less room for the chain fields)`;
  const plan: ValuePlan | undefined = fields.some((f) => planHasInt64(f.plan)) ? { kind: 'struct', fields } : undefined;
  const verbatim = fieldsAreVerbatim(fields);
  const requiredNames = fields.filter((f) => f.required).map((f) => f.name);
  const writers = fields.map(fieldWriter);
  const redacts = fields.some((f) => f.redact !== undefined || planRedacts(f.plan));
  let own: Redaction | undefined;
  let checking: Redaction | undefined;
  /** The stream's own redaction, for a record encoded without a logger's: compiled on first use (its key read then). */
  const ownRedaction = (): Redaction | undefined => {
    if (!redacts) return undefined;
    own ??= new Redaction(stream, fields, { key: resolveRedactionKey(undefined) });
    return own;
  };
  /** For validate() without a logger's redaction: nothing is stored, so no key is needed. */
  const checkingRedaction = (): Redaction | undefined => {
    if (!redacts) return undefined;
    checking ??= new Redaction(stream, fields, { validateOnly: true });
    return checking;
  };
  const redactionFor = (given: Redaction | undefined, validating = false): Redaction | undefined => {
    if (given === undefined) return validating ? checkingRedaction() : ownRedaction();
    if (given.fields !== fields) throw new FiatError('CONFIG_INVALID', `a redaction compiled for stream ${given.stream} was given to stream ${stream}`);
    return given;
  };

  const fail = (issues: readonly FiatIssue[], redaction: Redaction | undefined): never => {
    // Issues name keys and quote what the caller's code threw: detectors apply to them too.
    const shown = redaction === undefined ? issues : redaction.scrubIssues(issues);
    throw new FiatError('VALIDATION_FAILED', `Invalid ${stream} record: ${formatIssues(shown)}`, { issues: shown });
  };

  /**
   * The record read once (redacted on the way by path rules and detectors) and checked, then the
   * actions declared on fields applied: plain data that nothing outside Fiat can change any more.
   */
  const read = (value: unknown, redaction: Redaction | undefined): Record<string, unknown> => {
    const issues: FiatIssue[] = [];
    let record: unknown;
    try {
      record = snapshotRecord(value, plan, issues, label, MAX_RECORD_BYTES, redaction);
    } catch (error) {
      if (redaction === undefined || !isFiatError(error, 'RECORD_TOO_LARGE')) throw error;
      throw new FiatError('RECORD_TOO_LARGE', redaction.scrubText(error.message));
    }
    if (issues.length > 0) fail(mergeIssues(issues, validator.issues(record)), redaction);
    if (!validator.check(record)) fail(validator.issues(record), redaction);
    redaction?.applyDeclared(record as Record<string, unknown>);
    return record as Record<string, unknown>;
  };

  /** The record's fields as `,"name":value` JSON, in field order, encoded for storage. */
  const body = (record: Record<string, unknown>, redaction: Redaction | undefined): string => {
    if (verbatim) {
      for (const name of requiredNames) if (record[name] === undefined) fail([{ path: name, message: 'is required' }], redaction);
      const json = JSON.stringify(record);
      return json.length > 2 ? `,${json.slice(1, -1)}` : '';
    }
    let out = '';
    // One list for the whole record (no closure or list per field): the writers push onto it.
    const issues: FiatIssue[] = [];
    for (const write of writers) {
      const piece = write(record, issues);
      if (piece !== undefined) out += piece;
    }
    if (issues.length > 0) fail(issues, redaction);
    return out;
  };

  return {
    validate(value, redaction) {
      const applied = redactionFor(redaction, true);
      try {
        body(read(value, applied), applied);
        return [];
      } catch (error) {
        if (isFiatError(error, 'VALIDATION_FAILED')) return [...error.issues];
        if (isFiatError(error, 'RECORD_TOO_LARGE')) return [{ path: '', message: error.message }];
        throw error;
      }
    },
    encode(value, envelope, redaction) {
      const applied = redactionFor(redaction);
      const eventTime = envelope.eventTime;
      if (!(eventTime >= MIN_EVENT_TIME && eventTime <= MAX_EVENT_TIME)) {
        throw new FiatError('CONFIG_INVALID', `the clock gave event time ${String(eventTime)}, which is not epoch milliseconds within years 0001-9999`);
      }
      const record = read(value, applied);
      const line = `{"event_id":"${envelope.eventId}","event_time":"${formatTimestamp(eventTime)}",${envelope.json ?? envelopeJson(envelope)}${body(record, applied)}}\n`;
      if (line.length > maxBytes / 3 && Buffer.byteLength(line) > maxBytes) {
        throw new FiatError('RECORD_TOO_LARGE', `${label} is ${Buffer.byteLength(line)} bytes serialized, over ${limit}`);
      }
      return line;
    },
  };
}

/** True when a value of this plan holds a field with a declared redaction. */
function planRedacts(plan: ValuePlan): boolean {
  switch (plan.kind) {
    case 'array':
      return planRedacts(plan.items);
    case 'map':
      return planRedacts(plan.values);
    case 'struct':
      return plan.fields.some((f) => f.redact !== undefined || planRedacts(f.plan));
    default:
      return false;
  }
}

/**
 * True when `JSON.stringify(text)` is `text` in quotes: a short string without control characters, `"`, `\\` or
 * surrogates (even paired ones, conservatively). Checking is cheaper than the call for the short strings of ids
 * and names; a longer string goes to `JSON.stringify` without a scan.
 */
function needsNoEscape(text: string): boolean {
  const length = text.length;
  if (length > 64) return false;
  for (let i = 0; i < length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 || c === 0x22 || c === 0x5c || (c >= 0xd800 && c <= 0xdfff)) return false;
  }
  return true;
}

/** Compiles one field's serializer: `,"name":<stored JSON>`, or nothing when the field is absent. */
function fieldWriter(field: FieldPlan): FieldWriter {
  const key = `,${JSON.stringify(field.name)}:`;
  const name = field.name;
  let encode: (value: unknown, issues: FiatIssue[]) => string | undefined;
  if (field.plan.kind === 'json') {
    encode = (value) => JSON.stringify(JSON.stringify(value));
  } else if (field.plan.kind === 'timestamp') {
    encode = (value, issues) => {
      const text = encodeTimestamp(value, name, issues);
      return text === undefined ? undefined : `"${text}"`;
    };
  } else if (field.plan.kind === 'int64') {
    encode = (value, issues) => encodeInt64(value, name, issues);
  } else if (isVerbatim(field.plan)) {
    encode = (value) => (typeof value === 'string' && needsNoEscape(value) ? `"${value}"` : JSON.stringify(value));
  } else {
    const plan = field.plan;
    encode = (value, issues) => storedJson(plan, value, name, issues);
  }
  return (record, issues) => {
    let value = record[name];
    if (value === undefined) {
      if (field.default !== undefined) value = field.default;
      else {
        if (field.required) issues.push({ path: name, message: 'is required' });
        return undefined;
      }
    }
    if (value === null) return `${key}null`;
    const text = encode(value, issues);
    return text === undefined ? undefined : key + text;
  };
}
