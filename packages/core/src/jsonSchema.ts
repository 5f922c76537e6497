// The JSON Schema derived from a column plan: what `log()` accepts ('input') and what the lake
// holds ('stored', the contents of json_schema.json).
import { stripNull, type FieldPlan, type ValuePlan } from './columnPlan.js';
import { redactedStoredSchema } from './redact/schema.js';
import { STORED_TIMESTAMP_PATTERN, TIMESTAMP_INPUT_PATTERN } from './storedTimestamp.js';

/** A JSON Schema object, as far as Fiat reads it. */
export type JsonSchema = { readonly [keyword: string]: unknown };

/** The largest integer a `z.int()` (`bigint` plan) field accepts: 2^53-1; the smallest is its negative. */
export const MAX_SAFE_INTEGER = Number.MAX_SAFE_INTEGER;

/** The pattern of an int64 given as a decimal string: no sign on zero, no leading zeros, at most 19 digits. */
export const INT64_STRING_PATTERN = '^(?:0|-?[1-9][0-9]{0,18})$';

const SCALAR_KEYWORDS = [
  'enum',
  'const',
  'format',
  'pattern',
  'minLength',
  'maxLength',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'multipleOf',
  'minItems',
  'maxItems',
  'description',
] as const;

/**
 * Which JSON Schema to derive from a plan: `'stored'` describes the record as written to the lake
 * (what `json_schema.json` holds); `'input'` describes what `log()` accepts (Dates and ISO strings
 * for timestamps, any JSON value for free-form fields).
 */
export type SchemaMode = 'stored' | 'input';

/**
 * The JSON Schema of one value. Scalars keep their constraints from `source` (the input schema
 * of a Zod definition, or the stored schema of a folder); timestamps become a
 * `yyyy-MM-dd HH:mm:ss.SSS` pattern when stored; JSON text is a string with
 * `contentMediaType: application/json` when stored.
 */
export function valueSchema(plan: ValuePlan, source: JsonSchema, mode: SchemaMode): JsonSchema {
  switch (plan.kind) {
    case 'timestamp':
      return mode === 'stored'
        ? { type: 'string', pattern: STORED_TIMESTAMP_PATTERN }
        : { type: ['string', 'object'], pattern: TIMESTAMP_INPUT_PATTERN };
    case 'json':
      if (mode === 'stored') return { type: 'string', contentMediaType: 'application/json' };
      return source.contentMediaType === 'application/json' ? {} : withoutNull(source);
    case 'date':
      return { type: 'string', format: 'date' };
    case 'int64':
      // Numbers must be safe integers (beyond, a number has already lost digits); BigInts arrive as decimal strings.
      return mode === 'stored'
        ? { type: 'integer', format: 'int64' }
        : { type: ['integer', 'string'], minimum: -MAX_SAFE_INTEGER, maximum: MAX_SAFE_INTEGER, pattern: INT64_STRING_PATTERN };
    case 'array': {
      const items = (isObject(source.items) ? source.items : {}) as JsonSchema;
      const bounds = Object.fromEntries(['minItems', 'maxItems'].filter((k) => source[k] !== undefined).map((k) => [k, source[k]]));
      return { type: 'array', items: valueSchema(plan.items, stripNull(items).schema, mode), ...bounds };
    }
    case 'map': {
      const values = (isObject(source.additionalProperties) ? source.additionalProperties : {}) as JsonSchema;
      return { type: 'object', additionalProperties: valueSchema(plan.values, stripNull(values).schema, mode) };
    }
    case 'struct':
      return objectSchema(plan.fields, (source.properties ?? {}) as Record<string, JsonSchema>, mode);
    default: {
      const type = { string: 'string', bigint: 'integer', double: 'number', boolean: 'boolean' }[plan.kind];
      const out: Record<string, unknown> = { type };
      for (const keyword of SCALAR_KEYWORDS) if (source[keyword] !== undefined) out[keyword] = source[keyword];
      if (plan.kind === 'bigint') {
        // Beyond ±(2^53-1) a number has lost digits: integer fields are safe integers (z.int64() for wider ones).
        out.minimum = typeof out.minimum === 'number' ? Math.max(out.minimum, -MAX_SAFE_INTEGER) : -MAX_SAFE_INTEGER;
        out.maximum = typeof out.maximum === 'number' ? Math.min(out.maximum, MAX_SAFE_INTEGER) : MAX_SAFE_INTEGER;
      }
      return out;
    }
  }
}

/**
 * The JSON Schema of an object with these fields (`additionalProperties: false`): the record
 * itself, or a struct inside it.
 */
export function objectSchema(
  fields: readonly FieldPlan[],
  sources: Record<string, JsonSchema>,
  mode: SchemaMode,
): JsonSchema {
  const properties: Record<string, JsonSchema> = {};
  const required: string[] = [];
  for (const field of fields) {
    const source = sources[field.name] ? stripNull(sources[field.name] as JsonSchema).schema : {};
    const schema = valueSchema(field.plan, source, mode);
    const stored = mode === 'stored' && field.redact !== undefined ? redactedStoredSchema(field, schema) : undefined;
    properties[field.name] = stored === undefined ? (field.nullable ? nullableSchema(schema) : schema) : stored(nullableSchema);
    if (field.required || (mode === 'stored' && field.default !== undefined)) required.push(field.name);
  }
  return { type: 'object', properties, required, additionalProperties: false };
}

function isObject(value: unknown): value is JsonSchema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function withoutNull(schema: JsonSchema): JsonSchema {
  const { default: _default, $schema: _schema, ...rest } = schema;
  return rest;
}

function nullableSchema(schema: JsonSchema): JsonSchema {
  if (Object.keys(schema).length === 0) return schema;
  if (typeof schema.type === 'string' && schema.enum === undefined && schema.const === undefined) {
    return { ...schema, type: [schema.type, 'null'] };
  }
  return { anyOf: [schema, { type: 'null' }] };
}
