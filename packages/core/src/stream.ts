import { athenaType, type Column } from './athenaType.js';
import type { FieldPlan } from './columnPlan.js';
import { objectSchema, type JsonSchema } from './jsonSchema.js';
import { brandDefinition, deepFreeze } from './brand.js';
import { assertWellFormedSchema, checkStreamParts } from './definitionParts.js';
import { CHAIN_MEMBERS_MAX_BYTES } from './chain/hash.js';
import { CHAIN_SOURCES, ENVELOPE_SOURCES, envelopeFields, type Envelope, type Integrity } from './envelope.js';
import type { FiatIssue } from './errors.js';
import { MAX_RECORD_BYTES } from './limits.js';
import type { StreamNameOverrides, StreamNames } from './names.js';
import { createRecordCodec } from './recordCodec.js';
import type { RecordValidator } from './validator.js';
import type { Redaction } from './redact/Redaction.js';
import { columnComment } from './redact/schema.js';

export { ENVELOPE_FIELDS, RESERVED_FIELD_NAMES, envelopeJson, type Envelope, type Integrity } from './envelope.js';
export { MAX_RECORD_BYTES } from './limits.js';

/**
 * A stream: its name, the names it resolves to, its columns and JSON Schemas, and the compiled
 * validator and encoder that `log()` uses. Made by `defineStream` (from Zod) or
 * `loadStreamFolder` (from `schemas/<Stream>/`); deep-frozen, and recognised by `ValidatedLog`
 * only when made by Fiat (see `isStreamDefinition`).
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
  /**
   * `'chain'` when the stream's records form tamper-evident hash chains: its envelope has the columns
   * `chain_id`, `chain_seq`, `chain_hash`, and loggers seal its records and write checkpoints. Else `'none'`.
   */
  readonly integrity: Integrity;
  /**
   * Every Athena column in order: the envelope (with the chain columns when chained), then the fields. The
   * partition `dt` is not among them.
   */
  readonly columns: readonly Column[];
  /** JSON Schema (2020-12) of the stored record, envelope included: `schemas/<Stream>/json_schema.json`. */
  readonly jsonSchema: JsonSchema;
  /** JSON Schema of what `log()` accepts for this stream's fields. */
  readonly inputSchema: JsonSchema;
  /**
   * Checks fields; returns every issue found, or an empty list. `redaction`: the one a logger
   * compiled for this stream (default: the stream's own, keyed by `FIAT_REDACTION_KEY`).
   */
  validate(fields: unknown, redaction?: Redaction): FiatIssue[];
  /**
   * Validates, redacts and encodes one record as a newline-terminated JSON line. Throws
   * `VALIDATION_FAILED` or `RECORD_TOO_LARGE`; `CONFIG_INVALID` when the stream hashes a field and
   * neither `redaction` nor `FIAT_REDACTION_KEY` gives a key. `redaction`: the one a logger
   * compiled for this stream (default: the stream's own).
   */
  encode(fields: unknown, envelope: Envelope, redaction?: Redaction): string;
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
   * `'chain'` makes the stream's records tamper-evident hash chains (envelope columns `chain_id`, `chain_seq`,
   * `chain_hash`; loggers seal records and write checkpoints). Default: `'none'`.
   */
  readonly integrity?: Integrity;
  /**
   * The check of the stream's `inputSchema`: a validator compiled ahead of time (ajv standalone
   * code written by `fiat schemas build`), or a function that compiles one from the input schema on
   * first use (`compileValidator`, which loads ajv's compiler). Required, so that a definition built
   * ahead of time never reaches ajv's compiler, not even in a bundle.
   */
  readonly validator: RecordValidator | ((inputSchema: JsonSchema, streamName: string) => RecordValidator);
}

/**
 * Builds a {@link StreamDefinition} from field plans: checks names (reserved ones refused), field
 * names, nesting and defaults, derives columns and both JSON Schemas, and takes the validator
 * (compiled on first use when given as a function). The definition is deep-frozen and registered as
 * made by Fiat, so `ValidatedLog` accepts it. Used by `defineStream`, `loadStreamFolder` and the
 * modules `fiat schemas build` writes. Throws `INVALID_DEFINITION`.
 *
 * @example
 * ```ts
 * const Pings = createStreamDefinition({
 *   name: 'Pings',
 *   fields: [{ name: 'host', plan: { kind: 'string' }, required: true, nullable: false }],
 *   sources: { host: { type: 'string', minLength: 1 } },
 *   validator: compileValidator,
 * });
 * ```
 */
export function createStreamDefinition<TFields = Record<string, unknown>, TName extends string = string>(
  parts: StreamParts<TName>,
): StreamDefinition<TFields, TName> {
  const checked = checkStreamParts(parts);
  const { fields, sources, integrity } = checked;
  const allFields = [...envelopeFields(integrity), ...fields];
  const columns = allFields.map((field) => {
    const comment = columnComment(field);
    return comment === undefined ? { name: field.name, type: athenaType(field.plan) } : { name: field.name, type: athenaType(field.plan), comment };
  });
  const jsonSchema: JsonSchema = {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    title: parts.name,
    ...(checked.description !== undefined ? { description: checked.description } : {}),
    ...objectSchema(allFields, { ...ENVELOPE_SOURCES, ...(integrity === 'chain' ? CHAIN_SOURCES : {}), ...sources }, 'stored'),
  };
  const inputSchema = objectSchema(fields, sources, 'input');
  assertWellFormedSchema(parts.name, 'JSON Schema', jsonSchema);
  assertWellFormedSchema(parts.name, 'input schema', inputSchema);
  // Compiled on first use, so defining a stream (or importing one) costs no ajv compile.
  const given = parts.validator;
  let compiled: RecordValidator | undefined;
  const compiledValidator = (): RecordValidator => (compiled ??= typeof given === 'function' ? given(inputSchema, parts.name) : given);
  const validator: RecordValidator = {
    check: (value) => compiledValidator().check(value),
    issues: (value) => compiledValidator().issues(value),
  };
  // A chained line grows by the chain members when sealed: the encoder keeps room for them.
  const maxBytes = integrity === 'chain' ? MAX_RECORD_BYTES - CHAIN_MEMBERS_MAX_BYTES : MAX_RECORD_BYTES;
  const codec = createRecordCodec(parts.name, fields, validator, maxBytes);
  const definition: StreamDefinition<TFields, TName> = {
    name: parts.name,
    ...(checked.description !== undefined ? { description: checked.description } : {}),
    names: checked.names,
    nameOverrides: checked.nameOverrides,
    fields,
    integrity,
    columns,
    jsonSchema,
    inputSchema,
    validate: codec.validate,
    encode: codec.encode,
  };
  return brandDefinition(deepFreeze(definition));
}
