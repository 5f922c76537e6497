import type { z } from 'zod';
import { compileValidator } from './compileValidator.js';
import { FiatError } from './errors.js';
import { MAX_JSON_DEPTH } from './limits.js';
import { planFields } from './columnPlan.js';
import type { Integrity } from './envelope.js';
import type { JsonSchema } from './jsonSchema.js';
import { assertStreamName, type StreamNameOverrides } from './names.js';
import { createStreamDefinition, type StreamDefinition } from './stream.js';
import { parseRules, withRules, type RedactRule } from './redact/rules.js';

/** What {@link defineStream} takes. */
export interface DefineStreamOptions<S extends z.ZodObject, TName extends string = string> {
  /** The stream's name: letters, digits, underscore, starting with a letter (e.g. `Audit`, `PageView`). */
  readonly name: TName;
  /** A Zod 4 object schema of the stream's own fields (the envelope is added by Fiat). */
  readonly schema: S;
  /** One line on what the stream records; written into `json_schema.json`. */
  readonly description?: string;
  /** Overrides for the table, prefix and delivery stream names. Default: derived from `name`. */
  readonly names?: StreamNameOverrides;
  /**
   * Redaction rules inside the stream's free-form fields (paths, secret keys, detectors), applied
   * before anything is stored: one rule or a list. Fields themselves declare theirs with `redact()`.
   * Default: none.
   */
  readonly redact?: RedactRule | readonly RedactRule[];
  /**
   * `'chain'` makes the stream's records a tamper-evident hash chain per logger: the envelope gains the columns
   * `chain_id`, `chain_seq` and `chain_hash`, loggers seal every record and write signed checkpoints, and
   * `fiat verify` checks them (see docs/integrity.md). Default: `'none'`.
   */
  readonly integrity?: Integrity;
}

const UNSUPPORTED: Record<string, string> = {
  bigint: 'a BigInt without bounds, which an Athena bigint cannot hold (use z.int64(), z.int() or a string)',
  map: 'a Map, which JSON cannot carry (use z.record(z.string(), …))',
  set: 'a Set, which JSON cannot carry (use z.array(…))',
  function: 'a function, which JSON cannot carry',
  symbol: 'a symbol, which JSON cannot carry',
  undefined: 'undefined, which JSON cannot carry',
  void: 'void, which JSON cannot carry',
  never: 'never, which no record can satisfy',
  nan: 'NaN, which JSON cannot carry',
  promise: 'a promise, which JSON cannot carry',
  file: 'a File, which JSON cannot carry',
  transform: 'a transform, which JSON Schema cannot express',
  pipe: 'a pipe or transform, which JSON Schema cannot express',
  custom: 'a custom check, which JSON Schema cannot express',
  lazy: 'a lazy (recursive) schema, which an Athena column cannot hold',
  tuple: 'a tuple, which an Athena column cannot hold (use an array or an object)',
  intersection: 'an intersection, which an Athena column cannot hold (merge the objects with .extend())',
  null: 'only null, which has no Athena type',
};

type ZodDef = { type: string; [key: string]: unknown };

// Fiat never imports Zod at run time (~80 ms): the schema converts itself with its own
// `toJSONSchema` method (Zod 4 classic), so the caller's copy of Zod does the work, its metadata
// registry included, and a bundle needs nothing Fiat would have to find on disk.

function defOf(schema: unknown): ZodDef {
  return (schema as { _zod: { def: ZodDef } })._zod.def;
}

/** True for `z.int64()` with no further checks: the one BigInt type Fiat stores (Athena bigint). */
function isInt64(def: ZodDef): boolean {
  return def.type === 'bigint' && def.format === 'int64' && ((def.checks ?? []) as unknown[]).length === 0;
}

function checkZod(schema: unknown, path: string, depth = 1): void {
  const def = defOf(schema);
  if (depth > 4 * MAX_JSON_DEPTH) {
    throw new FiatError('INVALID_DEFINITION', `field '${path}' nests deeper than ${MAX_JSON_DEPTH} levels of arrays, maps and objects`);
  }
  if (isInt64(def)) return;
  if (def.type === 'bigint' && def.format === 'int64') {
    throw new FiatError('INVALID_DEFINITION', `field '${path}' is a z.int64() with checks (min, max…), which Fiat does not carry over: use z.int64() alone`);
  }
  const problem = UNSUPPORTED[def.type];
  if (problem !== undefined) {
    throw new FiatError('INVALID_DEFINITION', `field '${path}' is ${problem}`);
  }
  const checks = (def.checks ?? []) as unknown[];
  for (const check of checks) {
    if (defOf(check).check === 'custom') {
      throw new FiatError(
        'INVALID_DEFINITION',
        `field '${path}' uses .refine() or .superRefine(), which JSON Schema cannot express: Fiat validates with the compiled JSON Schema only`,
      );
    }
  }
  switch (def.type) {
    case 'object':
      for (const [key, child] of Object.entries(def.shape as Record<string, unknown>)) {
        checkZod(child, path === '' ? key : `${path}.${key}`, depth + 1);
      }
      if (def.catchall !== undefined && defOf(def.catchall).type !== 'never' && defOf(def.catchall).type !== 'unknown') {
        checkZod(def.catchall, `${path}.*`, depth + 1);
      }
      break;
    case 'array':
      checkZod(def.element, `${path}[]`, depth + 1);
      break;
    case 'record':
      checkZod(def.valueType, `${path}{}`, depth + 1);
      break;
    case 'union':
      for (const option of def.options as unknown[]) checkZod(option, path, depth + 1);
      break;
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'readonly':
    case 'nonoptional':
    case 'catch':
      checkZod(def.innerType, path, depth + 1);
      break;
    default:
      break;
  }
}

/**
 * Defines a stream once, as a Zod 4 object schema. From it come the JSON Schema that validates
 * records, the ordered Athena columns, and a compiled ajv validator. Fails fast with
 * `INVALID_DEFINITION` naming the field when the schema cannot become a table.
 *
 * @example
 * ```ts
 * import { z } from 'zod';
 * import { defineStream } from '@fiat/core';
 *
 * export const PageView = defineStream({
 *   name: 'PageView',
 *   schema: z.object({ url: z.string(), at: z.iso.datetime(), props: z.unknown().optional() }),
 * });
 * PageView.columns.at(-1); // { name: 'props', type: 'string' } — free-form values are JSON text
 * PageView.name;            // typed as the literal 'PageView', so log('PageView', …) is typed too
 * ```
 */
export function defineStream<S extends z.ZodObject, const TName extends string = string>(
  options: DefineStreamOptions<S, TName>,
): StreamDefinition<z.input<S>, TName> {
  assertStreamName(options.name);
  const schema: unknown = options.schema;
  if (typeof schema !== 'object' || schema === null || !('_zod' in schema) || defOf(schema).type !== 'object') {
    throw new FiatError('INVALID_DEFINITION', `stream ${options.name}: schema must be a Zod 4 object (z.object({…}))`);
  }
  checkZod(schema, '');
  if (typeof (schema as Partial<z.ZodObject>).toJSONSchema !== 'function') {
    throw new FiatError('INVALID_DEFINITION', `stream ${options.name}: schema must be a Zod 4 object from 'zod' (zod/mini schemas cannot describe themselves as JSON Schema)`);
  }
  let json: JsonSchema;
  try {
    json = options.schema.toJSONSchema({
      io: 'input',
      unrepresentable: 'any',
      override: (ctx) => {
        const target = ctx.jsonSchema as Record<string, unknown>;
        if (defOf(ctx.zodSchema).type === 'date') {
          target.type = 'string';
          target.format = 'date-time';
        } else if (isInt64(defOf(ctx.zodSchema))) {
          target.type = 'integer';
          target.format = 'int64';
        }
      },
    }) as JsonSchema;
  } catch (error) {
    throw new FiatError(
      'INVALID_DEFINITION',
      `stream ${options.name}: the schema cannot be expressed as JSON Schema (${(error as Error).message})`,
      { cause: error },
    );
  }
  const planned = planFields(json);
  const fields = options.redact === undefined ? planned : withRules(planned, parseRules(options.redact, `stream ${options.name}: redact`, 'INVALID_DEFINITION'), `stream ${options.name}`, 'INVALID_DEFINITION');
  return createStreamDefinition<z.input<S>, TName>({
    name: options.name,
    ...(options.description !== undefined ? { description: options.description } : {}),
    fields,
    sources: (json.properties ?? {}) as Record<string, JsonSchema>,
    validator: compileValidator,
    ...(options.names !== undefined ? { names: options.names } : {}),
    ...(options.integrity !== undefined ? { integrity: options.integrity } : {}),
  });
}
