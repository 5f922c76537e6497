// The column plan: how each field of a record is stored (its Athena type, presence and encoding),
// derived once from the JSON Schema of a stream's input.
import { FiatError } from './errors.js';
import { MAX_JSON_DEPTH } from './limits.js';
import { assertAthenaIdentifier } from './names.js';
import { athenaType } from './athenaType.js';
import type { JsonSchema } from './jsonSchema.js';
import type { FieldRedaction } from './redact/rules.js';
import { readRedactKeyword, REDACT_KEYWORD } from './redact/schema.js';
import { STORED_TIMESTAMP_PATTERN } from './storedTimestamp.js';

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

/** `schema` without its null option, and whether it had one (`type: [..., "null"]` or an `anyOf`/`oneOf` option). */
export function stripNull(schema: JsonSchema, where = 'a field'): { schema: JsonSchema; nullable: boolean } {
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
