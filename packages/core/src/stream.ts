import { FiatError, formatIssues, isFiatError, type FiatIssue } from './errors.js';
import {
  athenaType,
  objectSchema,
  type Column,
  type FieldPlan,
  type JsonSchema,
} from './columns.js';
import { encodeTimestamp, encodeValue, fieldsAreVerbatim, formatTimestamp, isVerbatim, toJsonText } from './encode.js';
import { PARTITION_COLUMN, resolveStreamNames, type StreamNameOverrides, type StreamNames } from './names.js';
import type { RecordValidator } from './validator.js';

/** Firehose's limit for one record, and so Fiat's limit for one serialized record: 1,000 KiB. */
export const MAX_RECORD_BYTES = 1_024_000;

/** The envelope columns every stored record starts with, in order. */
export const ENVELOPE_FIELDS: readonly FieldPlan[] = [
  { name: 'event_id', plan: { kind: 'string' }, required: true, nullable: false },
  { name: 'event_time', plan: { kind: 'timestamp' }, required: true, nullable: false },
  { name: 'app', plan: { kind: 'string' }, required: true, nullable: false },
  { name: 'email', plan: { kind: 'string' }, required: true, nullable: false },
  { name: 'tags', plan: { kind: 'map', values: { kind: 'string' } }, required: true, nullable: false },
];

const ENVELOPE_SOURCES: Record<string, JsonSchema> = {
  event_id: { type: 'string', format: 'uuid' },
  app: { type: 'string', minLength: 1 },
  email: { type: 'string' },
};

/** Names no stream field may use: the envelope columns and the partition column. */
export const RESERVED_FIELD_NAMES: readonly string[] = [...ENVELOPE_FIELDS.map((f) => f.name), PARTITION_COLUMN];

/** The envelope values a logger adds to every record. */
export interface Envelope {
  readonly eventId: string;
  /** Epoch milliseconds. */
  readonly eventTime: number;
  readonly app: string;
  readonly email: string;
  readonly tags: Readonly<Record<string, string>>;
  /**
   * `"app":…,"email":…,"tags":{…}` as JSON, the same for every record of a logger: pass it (from
   * {@link envelopeJson}) so it is serialized once per logger, not once per record. Default: computed.
   */
  readonly json?: string;
}

/**
 * The JSON of the envelope fields a logger repeats on every record.
 *
 * @example
 * ```ts
 * envelopeJson({ app: 'shop', email: 'a@b.c', tags: {} }); // '"app":"shop","email":"a@b.c","tags":{}'
 * ```
 */
export function envelopeJson(envelope: Pick<Envelope, 'app' | 'email' | 'tags'>): string {
  return `"app":${JSON.stringify(envelope.app)},"email":${JSON.stringify(envelope.email)},"tags":${JSON.stringify(envelope.tags)}`;
}

/**
 * A stream: its name, the names it resolves to, its columns and JSON Schemas, and the compiled
 * validator and encoder that `log()` uses. Made by `defineStream` (from Zod) or
 * `loadStreamFolder` (from `schemas/<Stream>/`).
 *
 * `TFields` types `log(definition, fields)` at compile time; `TName` is the stream's name as a
 * literal type (`'PageView'`), so that `log('PageView', fields)` is typed as well.
 */
export interface StreamDefinition<TFields = Record<string, unknown>, TName extends string = string> {
  /** The stream's name, e.g. `Audit`. */
  readonly name: TName;
  readonly description?: string;
  /** Default table, prefix and delivery stream (overridable per logger or in `fiat.config.json`). */
  readonly names: StreamNames;
  /** The name overrides given at definition time (applied under any later override). */
  readonly nameOverrides: StreamNameOverrides;
  /** The stream's own fields, in order (no envelope). */
  readonly fields: readonly FieldPlan[];
  /** Every Athena column in order: the envelope, then the fields. The partition `dt` is not among them. */
  readonly columns: readonly Column[];
  /** JSON Schema (2020-12) of the stored record, envelope included: `schemas/<Stream>/json_schema.json`. */
  readonly jsonSchema: JsonSchema;
  /** JSON Schema of what `log()` accepts for this stream's fields. */
  readonly inputSchema: JsonSchema;
  /** Checks fields; returns every issue found, or an empty list. */
  validate(fields: unknown): FiatIssue[];
  /**
   * Validates and encodes one record as a newline-terminated JSON line. Throws
   * `VALIDATION_FAILED` or `RECORD_TOO_LARGE`.
   */
  encode(fields: unknown, envelope: Envelope): string;
  /** Type-only: the fields `log()` accepts. */
  readonly __fields?: TFields;
}

/** What {@link createStreamDefinition} needs: the fields' plans and the schema their constraints come from. */
export interface StreamParts<TName extends string = string> {
  readonly name: TName;
  readonly description?: string;
  readonly fields: readonly FieldPlan[];
  /** Property schemas that constraints are copied from (the Zod input schema, or a stored schema). */
  readonly sources: Record<string, JsonSchema>;
  readonly names?: StreamNameOverrides;
  /**
   * The check of the stream's `inputSchema`: a validator compiled ahead of time (ajv standalone
   * code written by `fiat schemas build`), or a function that compiles one from the input schema on
   * first use (`compileValidator`, which loads ajv's compiler). Required, so that a definition built
   * ahead of time never reaches ajv's compiler, not even in a bundle.
   */
  readonly validator: RecordValidator | ((inputSchema: JsonSchema, streamName: string) => RecordValidator);
}

/**
 * Builds a {@link StreamDefinition} from field plans: checks names, derives columns and both
 * JSON Schemas, and takes the validator (compiled on first use when given as a function). Used by
 * `defineStream`, `loadStreamFolder` and the modules `fiat schemas build` writes.
 */
export function createStreamDefinition<TFields = Record<string, unknown>, TName extends string = string>(
  parts: StreamParts<TName>,
): StreamDefinition<TFields, TName> {
  const names = resolveStreamNames(parts.name, parts.names);
  for (const field of parts.fields) {
    if (RESERVED_FIELD_NAMES.includes(field.name)) {
      throw new FiatError(
        'INVALID_DEFINITION',
        `field '${field.name}' of stream ${parts.name} collides with the ${field.name === PARTITION_COLUMN ? 'partition column' : 'envelope column'} '${field.name}'`,
      );
    }
  }
  const allFields = [...ENVELOPE_FIELDS, ...parts.fields];
  const columns = allFields.map((field) => ({ name: field.name, type: athenaType(field.plan) }));
  const jsonSchema: JsonSchema = {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    title: parts.name,
    ...(parts.description !== undefined ? { description: parts.description } : {}),
    ...objectSchema(allFields, { ...ENVELOPE_SOURCES, ...parts.sources }, 'stored'),
  };
  const inputSchema = objectSchema(parts.fields, parts.sources, 'input');
  // Compiled on first use, so defining a stream (or importing one) costs no ajv compile.
  const given = parts.validator;
  let compiled: RecordValidator | undefined;
  const compiledValidator = (): RecordValidator => (compiled ??= typeof given === 'function' ? given(inputSchema, parts.name) : given);
  const validator: RecordValidator = {
    check: (value) => compiledValidator().check(value),
    issues: (value) => compiledValidator().issues(value),
  };
  const fields = parts.fields;
  const verbatim = fieldsAreVerbatim(fields);
  const requiredNames = fields.filter((f) => f.required).map((f) => f.name);
  const writers = fields.map(fieldWriter);

  const fail = (issues: FiatIssue[]): never => {
    throw new FiatError('VALIDATION_FAILED', `Invalid ${parts.name} record: ${formatIssues(issues)}`, { issues });
  };

  /** The record's fields as `,"name":value` JSON, in field order, encoded for storage. */
  const body = (record: Record<string, unknown>): string => {
    if (verbatim) {
      for (const name of requiredNames) if (record[name] === undefined) fail([{ path: name, message: 'is required' }]);
      const json = JSON.stringify(record);
      return json.length > 2 ? `,${json.slice(1, -1)}` : '';
    }
    let out = '';
    let issues: FiatIssue[] | undefined;
    for (const write of writers) {
      const piece = write(record, (issue) => (issues ??= []).push(issue));
      if (piece !== undefined) out += piece;
    }
    if (issues !== undefined) fail(issues);
    return out;
  };

  return {
    name: parts.name,
    ...(parts.description !== undefined ? { description: parts.description } : {}),
    names,
    nameOverrides: { ...(parts.names ?? {}) },
    fields,
    columns,
    jsonSchema,
    inputSchema,
    validate(value) {
      if (!validator.check(value)) return validator.issues(value);
      // What the schema cannot see (values JSON cannot carry, invalid Dates) is found by the encoder itself.
      try {
        body(value as Record<string, unknown>);
        return [];
      } catch (error) {
        if (isFiatError(error, 'VALIDATION_FAILED')) return [...error.issues];
        throw error;
      }
    },
    encode(value, envelope) {
      if (!validator.check(value)) fail(validator.issues(value));
      const line = `{"event_id":"${envelope.eventId}","event_time":"${formatTimestamp(envelope.eventTime)}",${envelope.json ?? envelopeJson(envelope)}${body(value as Record<string, unknown>)}}\n`;
      if (line.length > MAX_RECORD_BYTES / 3 && Buffer.byteLength(line) > MAX_RECORD_BYTES) {
        throw new FiatError(
          'RECORD_TOO_LARGE',
          `${parts.name} record is ${Buffer.byteLength(line)} bytes serialized, over the 1,024,000-byte (1,000 KiB) Firehose record limit`,
        );
      }
      return line;
    },
  };
}

type FieldWriter = (record: Record<string, unknown>, report: (issue: FiatIssue) => void) => string | undefined;

/** Compiles one field's serializer: `,"name":<stored JSON>`, or nothing when the field is absent. */
function fieldWriter(field: FieldPlan): FieldWriter {
  const key = `,${JSON.stringify(field.name)}:`;
  const name = field.name;
  let encode: (value: unknown, report: (issue: FiatIssue) => void) => string | undefined;
  if (field.plan.kind === 'json') {
    encode = (value, report) => {
      const issues: FiatIssue[] = [];
      const text = toJsonText(value, name, issues);
      issues.forEach(report);
      return text === undefined ? undefined : JSON.stringify(text);
    };
  } else if (field.plan.kind === 'timestamp') {
    encode = (value, report) => {
      const issues: FiatIssue[] = [];
      const text = encodeTimestamp(value, name, issues);
      issues.forEach(report);
      return text === undefined ? undefined : `"${text}"`;
    };
  } else if (isVerbatim(field.plan)) {
    encode = (value) => JSON.stringify(value);
  } else {
    const plan = field.plan;
    encode = (value, report) => {
      const issues: FiatIssue[] = [];
      const stored = encodeValue(plan, value, name, issues);
      issues.forEach(report);
      return JSON.stringify(stored);
    };
  }
  return (record, report) => {
    let value = record[name];
    if (value === undefined) {
      if (field.default !== undefined) value = field.default;
      else {
        if (field.required) report({ path: name, message: 'is required' });
        return undefined;
      }
    }
    if (value === null) return `${key}null`;
    const text = encode(value, report);
    return text === undefined ? undefined : key + text;
  };
}
