import type { FieldPlan } from '../columnPlan.js';
import type { JsonSchema } from '../jsonSchema.js';
import { describeRedaction, isWholeAction, parseFieldRedaction, redactKeyword, type FieldRedaction } from './rules.js';

/** The JSON Schema keyword that declares a field's redaction, in Zod metadata and in `json_schema.json`. */
export const REDACT_KEYWORD = 'x-fiat-redact';

/**
 * The redaction an `x-fiat-redact` keyword declares, or `undefined` when it is absent. Throws
 * `INVALID_DEFINITION` naming the field when it is malformed.
 *
 * @example
 * ```ts
 * readRedactKeyword('hash', 'email'); // { action: 'hash' }
 * ```
 */
export function readRedactKeyword(value: unknown, field: string): FieldRedaction | undefined {
  if (value === undefined) return undefined;
  return parseFieldRedaction(value, `field '${field}'`);
}

/**
 * The stored JSON Schema of a redacted field, given its unredacted stored schema; the caller's
 * `nullable` wraps a schema to admit `null`. A whole-value action stores what the action writes —
 * `null` for `drop` (the type and constraints are kept, for the column), a string for `mask`, `hash`
 * and `truncate` (JSON text for a free-form field), with none of the input's constraints but its
 * description — and every redacted
 * field carries the `x-fiat-redact` keyword, so that `loadStreamFolder` reads the redaction back.
 */
export function redactedStoredSchema(field: FieldPlan, schema: JsonSchema): (nullable: (schema: JsonSchema) => JsonSchema) => JsonSchema {
  const redact = field.redact as FieldRedaction;
  const keyword = { [REDACT_KEYWORD]: redactKeyword(redact) };
  return (nullable) => {
    if (!isWholeAction(redact)) return { ...(field.nullable ? nullable(schema) : schema), ...keyword };
    if (redact.action === 'drop') return { ...nullable(schema), ...keyword };
    const described = typeof schema.description === 'string' ? { description: schema.description } : {};
    const text: JsonSchema = field.plan.kind === 'json' ? { type: 'string', contentMediaType: 'application/json', ...described } : { type: 'string', ...described };
    return { ...(field.nullable ? nullable(text) : text), ...keyword };
  };
}

/**
 * The column comment of a field: how it is redacted, or `undefined` when it is not.
 *
 * @example
 * ```ts
 * columnComment({ name: 'email', plan: { kind: 'string' }, required: true, nullable: false, redact: { action: 'hash' } });
 * // 'redacted: hash (HMAC-SHA-256, hmac:<key id>:<hex>)'
 * ```
 */
export function columnComment(field: FieldPlan): string | undefined {
  if (field.redact !== undefined) return describeRedaction(field.redact);
  const nested = nestedRedactions(field.plan);
  return nested.length === 0 ? undefined : describeNested(nested);
}

function nestedRedactions(plan: FieldPlan['plan'], path = ''): string[] {
  switch (plan.kind) {
    case 'struct':
      return plan.fields.flatMap((f) => {
        const where = path === '' ? f.name : `${path}.${f.name}`;
        return f.redact !== undefined ? [`${where} ${describeRedaction(f.redact)}`] : nestedRedactions(f.plan, where);
      });
    case 'array':
      return nestedRedactions(plan.items, `${path}[*]`);
    case 'map':
      return nestedRedactions(plan.values, `${path}.*`);
    default:
      return [];
  }
}

function describeNested(parts: readonly string[]): string {
  const text = `inside: ${parts.join('; ')}`;
  return text.length > 255 ? `${text.slice(0, 252)}...` : text;
}
