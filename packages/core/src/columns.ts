import { FiatError } from './errors.js';
import { MAX_JSON_DEPTH } from './limits.js';
import { assertAthenaIdentifier } from './names.js';
import type { FieldRedaction } from './redact/rules.js';
import { readRedactKeyword, redactedStoredSchema, REDACT_KEYWORD } from './redact/schema.js';

/** A JSON Schema object, as far as Fiat reads it. */
export type JsonSchema = { readonly [keyword: string]: unknown };

/**
 * How one value is stored: its Athena type and how it is encoded on the way.
 *
 * `timestamp` values are stored as UTC `yyyy-MM-dd HH:mm:ss.SSS`; `json` values (free-form:
 * `unknown`, `any`, unions of different types) are stored as JSON text in a `string` column.
 * `bigint` is an integer within ±(2^53-1) (`z.int()`); `int64` (`z.int64()`) is any 64-bit signed
 * integer, stored as an exact JSON integer literal; both are Athena `bigint` columns.
 */
export type ValuePlan =
  | { readonly kind: 'string' | 'bigint' | 'int64' | 'double' | 'boolean' | 'date' | 'timestamp' | 'json' }
  | { readonly kind: 'array'; readonly items: ValuePlan }
  | { readonly kind: 'map'; readonly values: ValuePlan }
  | { readonly kind: 'struct'; readonly fields: readonly FieldPlan[] };

/** One field of a record or struct: its name, storage plan and presence rules. */
export interface FieldPlan {
  readonly name: string;
  readonly plan: ValuePlan;
  /** False when the field may be absent (`.optional()`). */
  readonly required: boolean;
  /** True when the field may be `null` (`.nullable()`). */
  readonly nullable: boolean;
  /** Value stored when the field is absent (`.default(…)`). */
  readonly default?: unknown;
  /** How the field is redacted before it is stored (the `x-fiat-redact` keyword). Default: not redacted. */
  readonly redact?: FieldRedaction;
}

/** One Athena column: name and type as written in DDL, e.g. `{ name: 'tags', type: 'map<string,string>' }`. */
export interface Column {
  readonly name: string;
  readonly type: string;
  /** What is stored instead of the input, for redacted columns (`athena.json` and DDL `COMMENT`). */
  readonly comment?: string;
}

/** The largest integer a `z.int()` (`bigint` plan) field accepts: 2^53-1; the smallest is its negative. */
export const MAX_SAFE_INTEGER = Number.MAX_SAFE_INTEGER;

/** The pattern of an int64 given as a decimal string: no sign on zero, no leading zeros, at most 19 digits. */
export const INT64_STRING_PATTERN = '^(?:0|-?[1-9][0-9]{0,18})$';

/** The pattern of a stored timestamp: UTC `yyyy-MM-dd HH:mm:ss.SSS`. */
export const STORED_TIMESTAMP_PATTERN = '^\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}\\.\\d{3}$';

/**
 * The pattern a timestamp input string must match: ISO 8601 with `Z` or an offset, or the stored form.
 * `Date` objects are accepted too (the input schema allows objects; the encoder checks they are valid Dates).
 */
export const TIMESTAMP_INPUT_PATTERN =
  '^(?:\\d{4}-\\d{2}-\\d{2}[Tt]\\d{2}:\\d{2}(?::\\d{2}(?:\\.\\d{1,9})?)?(?:[Zz]|[+-]\\d{2}:?\\d{2})|\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}\\.\\d{3})$';

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
 * The Athena type of a stored value, as written in DDL.
 *
 * @example
 * ```ts
 * athenaType({ kind: 'array', items: { kind: 'timestamp' } }); // 'array<timestamp>'
 * ```
 */
export function athenaType(plan: ValuePlan): string {
  switch (plan.kind) {
    case 'json':
      return 'string';
    case 'int64':
      return 'bigint';
    case 'array':
      return `array<${athenaType(plan.items)}>`;
    case 'map':
      return `map<string,${athenaType(plan.values)}>`;
    case 'struct':
      return `struct<${plan.fields.map((field) => `${field.name}:${athenaType(field.plan)}`).join(',')}>`;
    default:
      return plan.kind;
  }
}

/**
 * Derives the storage plan of a record from the JSON Schema of its input (what
 * `z.toJSONSchema(schema, { io: 'input' })` returns). Throws `INVALID_DEFINITION` naming the field
 * when a field name is not a legal Athena identifier or two names differ only by case.
 *
 * @example
 * ```ts
 * planFields({ type: 'object', properties: { n: { type: 'integer' } }, required: ['n'] });
 * // [{ name: 'n', plan: { kind: 'bigint' }, required: true, nullable: false }]
 * ```
 */
export function planFields(schema: JsonSchema, path = '', depth = 1): FieldPlan[] {
  const where = (name: string): string => (path === '' ? name : `${path}.${name}`);
  const properties = asSchema(schema.properties ?? {}, path === '' ? 'properties' : `'${path}' properties`);
  const required = schema.required ?? [];
  if (!Array.isArray(required) || required.some((name) => typeof name !== 'string')) {
    throw new FiatError('INVALID_DEFINITION', `${path === '' ? 'required' : `the required list of '${path}'`} must be an array of field names`);
  }
  const names = Object.keys(properties);
  assertDistinctNames(names, path);
  return names.map((name) => {
    assertAthenaIdentifier(name, 'field');
    const property = asSchema(properties[name], `field '${where(name)}'`);
    const { schema: inner, nullable } = stripNull(property, where(name));
    const redact = readRedactKeyword(inner[REDACT_KEYWORD] ?? property[REDACT_KEYWORD], where(name));
    const field: FieldPlan = {
      name,
      plan: planValue(inner, where(name), depth),
      required: required.includes(name) && !('default' in property),
      nullable,
      ...('default' in property ? { default: property.default } : {}),
      ...(redact !== undefined ? { redact } : {}),
    };
    return field;
  });
}

/** `value` as a JSON Schema object, or `INVALID_DEFINITION` naming `what`. */
function asSchema(value: unknown, what: string): JsonSchema {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new FiatError('INVALID_DEFINITION', `${what} must be a JSON Schema object, got ${value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value}`);
  }
  return value as JsonSchema;
}

function assertDistinctNames(names: readonly string[], path: string): void {
  const seen = new Map<string, string>();
  for (const name of names) {
    const folded = name.toLowerCase();
    const other = seen.get(folded);
    if (other !== undefined) {
      const where = path === '' ? '' : ` in ${path}`;
      throw new FiatError(
        'INVALID_DEFINITION',
        `fields '${other}' and '${name}'${where} differ only by case: Athena folds names to lowercase, so they would collide`,
      );
    }
    seen.set(folded, name);
  }
}

function stripNull(schema: JsonSchema, where = 'a field'): { schema: JsonSchema; nullable: boolean } {
  const type = schema.type;
  if (Array.isArray(type) && type.includes('null')) {
    const rest = type.filter((t) => t !== 'null');
    return { schema: { ...schema, type: rest.length === 1 ? rest[0] : rest }, nullable: true };
  }
  for (const key of ['anyOf', 'oneOf'] as const) {
    const options = schema[key];
    if (Array.isArray(options) && options.some((o: JsonSchema | null) => o?.type === 'null')) {
      const rest = (options as JsonSchema[]).map((o) => asSchema(o, `an option of '${where}'`)).filter((o) => o.type !== 'null');
      const { [key]: _omit, ...others } = schema;
      const inner = rest.length === 1 ? { ...others, ...rest[0] } : { ...others, [key]: rest };
      return { schema: inner, nullable: true };
    }
  }
  if (type === 'null') {
    throw new FiatError('INVALID_DEFINITION', 'a field that can only be null has no Athena type');
  }
  return { schema, nullable: false };
}

function planValue(schema: JsonSchema, where: string, depth: number): ValuePlan {
  // A guard for the stack; the exact limit (containers only) is checked when the definition is made.
  if (depth > MAX_JSON_DEPTH + 1) {
    throw new FiatError('INVALID_DEFINITION', `field '${where}' nests deeper than ${MAX_JSON_DEPTH} levels of arrays, maps, objects and unions`);
  }
  const options = (schema.anyOf ?? schema.oneOf) as JsonSchema[] | undefined;
  if (options !== undefined && (!Array.isArray(options) || options.length === 0)) {
    throw new FiatError('INVALID_DEFINITION', `field '${where}': anyOf / oneOf must be a non-empty array of schemas`);
  }
  if (Array.isArray(options)) {
    // A union: one plan when every option stores the same way (e.g. literals), else JSON text.
    const plans = options.map((option) => planValue(stripNull(asSchema(option, `an option of field '${where}'`), where).schema, where, depth + 1));
    const first = athenaType(plans[0] as ValuePlan);
    const sameKind = plans.every((plan) => plan.kind !== 'struct' && athenaType(plan) === first);
    return sameKind && plans[0] !== undefined ? (plans[0] as ValuePlan) : { kind: 'json' };
  }
  if (schema.contentMediaType === 'application/json') return { kind: 'json' };
  const type = schema.type;
  if (Array.isArray(type)) return { kind: 'json' };
  switch (type) {
    case undefined:
      return schema.const !== undefined && typeof schema.const === 'string' ? { kind: 'string' } : { kind: 'json' };
    case 'string':
      if (schema.format === 'date-time' || schema.pattern === STORED_TIMESTAMP_PATTERN) return { kind: 'timestamp' };
      if (schema.format === 'date') return { kind: 'date' };
      return { kind: 'string' };
    case 'integer':
      return schema.format === 'int64' ? { kind: 'int64' } : { kind: 'bigint' };
    case 'number':
      return { kind: 'double' };
    case 'boolean':
      return { kind: 'boolean' };
    case 'array': {
      const items = schema.items;
      if (items === undefined || Array.isArray(items) || schema.prefixItems !== undefined) return { kind: 'json' };
      const { schema: inner } = stripNull(asSchema(items, `the items of field '${where}'`), `${where}[]`);
      return { kind: 'array', items: planValue(inner, `${where}[]`, depth + 1) };
    }
    case 'object': {
      const properties = schema.properties === undefined ? undefined : asSchema(schema.properties, `the properties of field '${where}'`);
      if (properties !== undefined && Object.keys(properties).length > 0) {
        return { kind: 'struct', fields: planFields(schema, where, depth + 1) };
      }
      const values = schema.additionalProperties;
      if (typeof values === 'object' && values !== null && Object.keys(values).length > 0) {
        const { schema: inner } = stripNull(asSchema(values, `the values of field '${where}'`), `${where}{}`);
        return { kind: 'map', values: planValue(inner, `${where}{}`, depth + 1) };
      }
      return { kind: 'json' };
    }
    default:
      throw new FiatError('INVALID_DEFINITION', `field '${where}' has JSON Schema type ${JSON.stringify(type) ?? String(type)} that Athena cannot store`);
  }
}

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

/**
 * Parses an Athena/Hive type as written in DDL (`array<struct<a:bigint>>`) into a plan. `string`
 * columns parse as `string`; whether one holds JSON text is told by the stored JSON Schema.
 * Throws `INVALID_DEFINITION` for types Fiat does not write.
 *
 * @example
 * ```ts
 * parseAthenaType('map<string,array<double>>');
 * // { kind: 'map', values: { kind: 'array', items: { kind: 'double' } } }
 * ```
 */
export function parseAthenaType(type: string): ValuePlan {
  let position = 0;
  const text = type.replace(/\s+/g, '').toLowerCase();
  const fail = (why: string): never => {
    throw new FiatError('INVALID_DEFINITION', `Athena type '${type}' ${why}`);
  };
  const expect = (token: string): void => {
    if (!text.startsWith(token, position)) fail(`is malformed: expected '${token}' at ${position}`);
    position += token.length;
  };
  const name = (): string => {
    const match = /^[a-z_][a-z0-9_]*/.exec(text.slice(position));
    if (!match) return fail(`is malformed at ${position}`);
    position += match[0].length;
    return match[0];
  };
  const parse = (): ValuePlan => {
    const head = name();
    switch (head) {
      case 'string':
      case 'bigint':
      case 'double':
      case 'boolean':
      case 'date':
      case 'timestamp':
        return { kind: head };
      case 'array': {
        expect('<');
        const items = parse();
        expect('>');
        return { kind: 'array', items };
      }
      case 'map': {
        expect('<');
        if (name() !== 'string') fail('has a map key that is not string');
        expect(',');
        const values = parse();
        expect('>');
        return { kind: 'map', values };
      }
      case 'struct': {
        expect('<');
        const fields: FieldPlan[] = [];
        for (;;) {
          const field = name();
          expect(':');
          fields.push({ name: field, plan: parse(), required: false, nullable: true });
          if (text[position] === ',') position += 1;
          else break;
        }
        expect('>');
        return { kind: 'struct', fields };
      }
      default:
        return fail(`uses '${head}', which Fiat does not write (string, bigint, double, boolean, date, timestamp, array, map, struct)`);
    }
  };
  const plan = parse();
  if (position !== text.length) fail(`has trailing text at ${position}`);
  return plan;
}
