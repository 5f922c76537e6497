import { FiatError } from './errors.js';
import type { FieldPlan, ValuePlan } from './columnPlan.js';
import type { JsonSchema } from './jsonSchema.js';
import { CHAIN_FIELDS, RESERVED_FIELD_NAMES, type Integrity } from './envelope.js';
import { MAX_JSON_DEPTH } from './limits.js';
import { assertAthenaIdentifier, PARTITION_COLUMN, resolveStreamNames, type StreamNameOverrides, type StreamNames } from './names.js';
import { snapshotJson } from './snapshot.js';
import { findIllFormed } from './unicode.js';
import { checkFieldRedaction, parseFieldRedaction } from './redact/rules.js';

/** A stream's parts after checking: fresh copies owned by the definition, ready to freeze. */
export interface CheckedParts {
  readonly names: StreamNames;
  readonly nameOverrides: StreamNameOverrides;
  readonly description?: string;
  readonly fields: readonly FieldPlan[];
  readonly sources: Record<string, JsonSchema>;
  readonly integrity: Integrity;
}

const SCALAR_KINDS = new Set(['string', 'bigint', 'int64', 'double', 'boolean', 'date', 'timestamp', 'json']);

function invalid(message: string): never {
  throw new FiatError('INVALID_DEFINITION', message);
}

function copyOverrides(stream: string, overrides: unknown): StreamNameOverrides {
  if (overrides === undefined) return {};
  if (typeof overrides !== 'object' || overrides === null) invalid(`names of stream ${stream} must be an object`);
  const source = overrides as Record<string, unknown>;
  const out: Record<string, string> = {};
  for (const key of ['table', 'prefix', 'deliveryStream'] as const) {
    const value = source[key];
    if (value === undefined) continue;
    if (typeof value !== 'string') invalid(`names.${key} of stream ${stream} must be a string`);
    out[key] = value;
  }
  return out;
}

function checkPlan(plan: unknown, where: string, depth: number): ValuePlan {
  const kind = typeof plan === 'object' && plan !== null ? (plan as { kind?: unknown }).kind : undefined;
  if (typeof kind === 'string' && SCALAR_KINDS.has(kind)) return { kind } as ValuePlan;
  if (depth > MAX_JSON_DEPTH) invalid(`field '${where}' nests deeper than ${MAX_JSON_DEPTH} levels of arrays, maps and structs`);
  const source = plan as Record<string, unknown>;
  switch (kind) {
    case 'array':
      return { kind, items: checkPlan(source.items, `${where}[]`, depth + 1) };
    case 'map':
      return { kind, values: checkPlan(source.values, `${where}{}`, depth + 1) };
    case 'struct':
      if (!Array.isArray(source.fields)) return invalid(`field '${where}' is a struct without a fields array`);
      return { kind, fields: checkFields(source.fields, where, depth + 1) };
    default:
      return invalid(`field '${where}' has no storage plan Fiat knows (got ${JSON.stringify(kind) ?? 'none'})`);
  }
}

function checkField(field: unknown, path: string, depth: number): FieldPlan {
  if (typeof field !== 'object' || field === null) invalid(`a field of ${path === '' ? 'the stream' : `'${path}'`} is not an object`);
  const source = field as Record<string, unknown>;
  const name = source.name as string;
  assertAthenaIdentifier(name, 'field');
  const where = path === '' ? name : `${path}.${name}`;
  const plan = checkPlan(source.plan, where, depth);
  const checked: FieldPlan = { name, plan, required: source.required === true, nullable: source.nullable === true, ...checkedRedaction(source.redact, plan, where, path === '') };
  if (source.default === undefined) return checked;
  // A default is stored as it is whenever the field is absent: it must be plain, storable JSON too.
  const snapshot = snapshotJson(source.default, { path: where, plan, label: `the default of field '${where}'` });
  const issue = snapshot.issues[0];
  if (issue !== undefined) invalid(`the default of field '${where}' cannot be stored: ${issue.path}: ${issue.message}`);
  return { ...checked, default: snapshot.value };
}

/** A field's redaction, checked against its type (`INVALID_DEFINITION` naming the field), as a part to spread. */
function checkedRedaction(redact: unknown, plan: ValuePlan, where: string, topLevel: boolean): Pick<FieldPlan, 'redact'> {
  if (redact === undefined) return {};
  const parsed = parseFieldRedaction(redact, `field '${where}'`);
  checkFieldRedaction(parsed, plan, where, topLevel);
  return { redact: parsed };
}

function checkFields(fields: readonly unknown[], path: string, depth: number): FieldPlan[] {
  const out = fields.map((field) => checkField(field, path, depth));
  const seen = new Set<string>();
  for (const field of out) {
    const folded = field.name.toLowerCase();
    if (seen.has(folded)) invalid(`field '${path === '' ? field.name : `${path}.${field.name}`}' is defined twice (Athena folds names to lowercase)`);
    seen.add(folded);
  }
  return out;
}

/**
 * Checks what `createStreamDefinition` is given and returns fresh copies of it: names resolved and
 * checked (reserved names refused), the description well-formed, every field name an Athena
 * identifier, no field colliding with the envelope, types nested at most {@link MAX_JSON_DEPTH}
 * levels, defaults storable. Throws `INVALID_DEFINITION` naming the problem.
 *
 * @example
 * ```ts
 * checkStreamParts({ name: 'Orders', fields: [{ name: 'id', plan: { kind: 'string' }, required: true, nullable: false }], sources: {} });
 * ```
 */
export function checkStreamParts(parts: {
  readonly name: string;
  readonly description?: string;
  readonly fields: readonly FieldPlan[];
  readonly sources: Record<string, JsonSchema>;
  readonly names?: StreamNameOverrides;
  readonly integrity?: Integrity;
}): CheckedParts {
  if (typeof parts !== 'object' || parts === null) invalid('a stream definition needs { name, fields, sources }');
  const name = parts.name;
  const nameOverrides = copyOverrides(name, parts.names);
  const names = resolveStreamNames(name, nameOverrides);
  const description = parts.description;
  if (description !== undefined && (typeof description !== 'string' || !description.isWellFormed())) {
    invalid(`the description of stream ${name} must be a string of well-formed Unicode (no lone UTF-16 surrogate)`);
  }
  if (!Array.isArray(parts.fields)) invalid(`stream ${name} needs a fields array`);
  const integrity = parts.integrity ?? 'none';
  if (integrity !== 'chain' && integrity !== 'none') invalid(`integrity of stream ${name} must be 'chain' or 'none', got ${JSON.stringify(integrity)}`);
  const fields = checkFields(parts.fields, '', 1);
  const reserved = integrity === 'chain' ? [...RESERVED_FIELD_NAMES, ...CHAIN_FIELDS.map((f) => f.name)] : RESERVED_FIELD_NAMES;
  for (const field of fields) {
    if (reserved.includes(field.name)) {
      const what = field.name === PARTITION_COLUMN ? 'partition column' : 'envelope column';
      invalid(`field '${field.name}' of stream ${name} collides with the ${what} '${field.name}'`);
    }
  }
  let sources: Record<string, JsonSchema>;
  try {
    sources = structuredClone(parts.sources ?? {});
  } catch (cause) {
    throw new FiatError('INVALID_DEFINITION', `the source schemas of stream ${name} are not plain JSON: ${(cause as Error).message}`, { cause });
  }
  return { names, nameOverrides, ...(description !== undefined ? { description } : {}), fields, sources, integrity };
}

/**
 * Refuses a schema holding a string or key that is not well-formed Unicode: `INVALID_DEFINITION`
 * naming the stream, which schema and the path inside it.
 *
 * @example
 * ```ts
 * assertWellFormedSchema('Orders', 'json_schema', { enum: ['\ud800'] }); // throws: json_schema at enum.0 …
 * ```
 */
export function assertWellFormedSchema(stream: string, which: string, schema: JsonSchema): void {
  const path = findIllFormed(schema);
  if (path !== undefined) {
    invalid(`stream ${stream}: the ${which} at '${path}' is not well-formed Unicode (a lone UTF-16 surrogate)`);
  }
}
