import { randomUUID } from 'node:crypto';
import { FiatError, formatIssues, type FieldPlan, type JsonSchema, type StreamDefinition, type ValuePlan } from '@fiat/core';

/** Options of {@link sampleRecord}. */
export interface SampleOptions {
  /** The time used for timestamp and date fields. Default: now. */
  readonly now?: Date;
}

function unwrap(schema: JsonSchema | undefined): JsonSchema {
  if (schema === undefined) return {};
  const options = (schema.anyOf ?? schema.oneOf) as JsonSchema[] | undefined;
  if (Array.isArray(options)) {
    const rest = options.filter((o) => o.type !== 'null');
    if (rest.length >= 1) return unwrap(rest[0]);
  }
  return schema;
}

function sampleString(schema: JsonSchema): string {
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return String(schema.enum[0]);
  if (typeof schema.const === 'string') return schema.const;
  let value: string;
  switch (schema.format) {
    case 'email':
      value = 'fiat-smoke@example.com';
      break;
    case 'uuid':
      value = randomUUID();
      break;
    case 'uri':
    case 'url':
      value = 'https://example.com/fiat-smoke';
      break;
    case 'ipv4':
      value = '192.0.2.1';
      break;
    case 'ipv6':
      value = '2001:db8::1';
      break;
    case 'hostname':
      value = 'fiat-smoke.example.com';
      break;
    default:
      value = 'fiat-smoke';
  }
  const min = typeof schema.minLength === 'number' ? schema.minLength : 0;
  const max = typeof schema.maxLength === 'number' ? schema.maxLength : Infinity;
  if (value.length < min) value = value.padEnd(min, 'x');
  if (value.length > max) value = value.slice(0, max);
  return value;
}

function sampleNumber(schema: JsonSchema, integer: boolean): number {
  const min = typeof schema.minimum === 'number' ? schema.minimum : typeof schema.exclusiveMinimum === 'number' ? schema.exclusiveMinimum + (integer ? 1 : 0.5) : undefined;
  const max = typeof schema.maximum === 'number' ? schema.maximum : typeof schema.exclusiveMaximum === 'number' ? schema.exclusiveMaximum - (integer ? 1 : 0.5) : undefined;
  let value = integer ? 42 : 4.25;
  if (min !== undefined && value < min) value = integer ? Math.ceil(min) : min;
  if (max !== undefined && value > max) value = integer ? Math.floor(max) : max;
  if (typeof schema.multipleOf === 'number' && schema.multipleOf > 0) value = Math.ceil(value / schema.multipleOf) * schema.multipleOf;
  return value;
}

function sampleValue(plan: ValuePlan, schema: JsonSchema, now: Date): unknown {
  switch (plan.kind) {
    case 'string':
      return sampleString(schema);
    case 'bigint':
    case 'int64':
      return sampleNumber(schema, true);
    case 'double':
      return sampleNumber(schema, false);
    case 'boolean':
      return typeof schema.const === 'boolean' ? schema.const : true;
    case 'date':
      return now.toISOString().slice(0, 10);
    case 'timestamp':
      return now.toISOString();
    case 'json':
      return Array.isArray(schema.enum) && schema.enum.length > 0 ? schema.enum[0] : { smoke: true, at: now.toISOString() };
    case 'array': {
      const items = unwrap(schema.items as JsonSchema | undefined);
      const count = Math.max(1, typeof schema.minItems === 'number' ? schema.minItems : 1);
      return Array.from({ length: count }, () => sampleValue(plan.items, items, now));
    }
    case 'map': {
      const values = unwrap(typeof schema.additionalProperties === 'object' ? (schema.additionalProperties as JsonSchema) : undefined);
      return { smoke: sampleValue(plan.values, values, now) };
    }
    case 'struct':
      return sampleFields(plan.fields, (schema.properties ?? {}) as Record<string, JsonSchema>, now);
  }
}

function sampleFields(fields: readonly FieldPlan[], properties: Record<string, JsonSchema>, now: Date): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of fields) out[field.name] = sampleValue(field.plan, unwrap(properties[field.name]), now);
  return out;
}

/**
 * A valid sample record for a stream, built from its column plan and the constraints of its input
 * JSON Schema (enums, formats, lengths, bounds). Every field is filled, optional and nullable ones
 * included, so every column gets a value. Throws `INVALID_DEFINITION` if the sample does not
 * validate (e.g. a `pattern` it cannot satisfy).
 *
 * @example
 * ```ts
 * const fields = sampleRecord(Audit);
 * logger.log(Audit, fields);
 * ```
 */
export function sampleRecord(definition: StreamDefinition<any>, options: SampleOptions = {}): Record<string, unknown> {
  const now = options.now ?? new Date();
  const properties = (definition.inputSchema.properties ?? {}) as Record<string, JsonSchema>;
  const record = sampleFields(definition.fields, properties, now);
  const issues = definition.validate(record);
  if (issues.length > 0) {
    throw new FiatError('INVALID_DEFINITION', `cannot build a valid sample ${definition.name} record: ${formatIssues(issues)}`, { issues });
  }
  return record;
}
