import type { ValidateFunction } from 'ajv/dist/2020.js';
import { FiatError } from './errors.js';
import type { JsonSchema } from './jsonSchema.js';
import { loadAjvCompiler, loadAjvStandalone, type Ajv } from '../cjs/ajvCompiler.cjs';
import { validatorFromChecks, type CompiledCheck, type RecordValidator } from './validator.js';

let fast: Ajv | undefined;
let thorough: Ajv | undefined;

function createAjv(allErrors: boolean, source = false): Ajv {
  const { Ajv2020, code, addFormats } = loadAjvCompiler();
  // Standalone code reads formats from this expression. It is set here, with this ajv's own template
  // tag: ajv-formats would build it with the tag of whichever ajv copy it resolves, which may differ.
  const formats = code`require("ajv-formats/dist/formats").fullFormats`;
  const ajv = new Ajv2020({
    allErrors,
    strict: false,
    strictNumbers: true,
    logger: false,
    validateFormats: true,
    ...(source ? { code: { source: true, esm: true, formats } } : {}),
  });
  addFormats(ajv);
  return ajv;
}

/**
 * Compiles a JSON Schema (draft 2020-12) into a {@link RecordValidator} with ajv, which is loaded
 * on the first call. The all-errors variant is compiled only when first needed.
 *
 * @example
 * ```ts
 * const v = compileValidator({ type: 'object', properties: { n: { type: 'integer' } }, required: ['n'] });
 * v.check({ n: 1 });   // true
 * v.issues({});        // [{ path: 'n', message: 'is required' }]
 * ```
 */
export function compileValidator(schema: JsonSchema, streamName = 'the stream'): RecordValidator {
  fast ??= createAjv(false);
  const check: ValidateFunction = fast.compile(schema);
  let all: ValidateFunction | undefined;
  return validatorFromChecks(check as CompiledCheck, () => {
    thorough ??= createAjv(true);
    all ??= thorough.compile(schema);
    return all as CompiledCheck;
  }, streamName);
}

/** ajv's `ucs2length` (MIT, ajv-validator/ajv `lib/runtime/ucs2length.ts`), written into each validator. */
const UCS2LENGTH_SOURCE = `function ucs2length(str) {
  const len = str.length;
  let length = 0;
  let pos = 0;
  let value;
  while (pos < len) {
    length++;
    value = str.charCodeAt(pos++);
    if (value >= 0xd800 && value <= 0xdbff && pos < len) {
      value = str.charCodeAt(pos);
      if ((value & 0xfc00) === 0xdc00) pos++;
    }
  }
  return length;
}`;

/** The `require(…)` expressions ajv's standalone code uses, and what replaces each. */
const RUNTIME_HELPERS: Readonly<Record<string, string>> = {
  'require("ajv/dist/runtime/ucs2length").default': 'ucs2length',
  'require("ajv/dist/runtime/equal").default': 'equal',
  'require("ajv-formats/dist/formats").fullFormats': 'fullFormats',
};

/** Replaces ajv's run-time `require()` calls with names bound by static imports (or inlined): the import lines and the code. */
function withStaticImports(code: string): [string[], string] {
  const used = new Set<string>();
  const rewritten = code.replace(/require\("[^"]+"\)\.\w+/g, (expression) => {
    const name = RUNTIME_HELPERS[expression];
    if (name === undefined) {
      throw new FiatError('INVALID_DEFINITION', `the schema needs ajv's ${expression}, which precompiled validators do not support`);
    }
    used.add(name);
    return name;
  });
  const imports = ['equal', 'fullFormats'].filter((name) => used.has(name));
  return [
    imports.length > 0 ? [`import { ${imports.join(', ')} } from '@fiat/core/validator-runtime';`] : [],
    [...(used.has('ucs2length') ? [UCS2LENGTH_SOURCE] : []), rewritten].join('\n'),
  ];
}

/** Keywords that only annotate a schema: they change no check, and need not be in generated code. */
const ANNOTATIONS = new Set(['title', 'description', '$comment', 'examples', 'deprecated', 'readOnly', 'writeOnly']);
/** Keywords whose value is one subschema, a list of them, or a map of names to them. */
const SUBSCHEMA = new Set(['not', 'if', 'then', 'else', 'items', 'additionalItems', 'additionalProperties', 'unevaluatedItems', 'unevaluatedProperties', 'contains', 'propertyNames']);
const SUBSCHEMA_LISTS = new Set(['allOf', 'anyOf', 'oneOf', 'prefixItems']);
const SUBSCHEMA_MAPS = new Set(['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas']);

/** `schema` without its annotations, at every level (property names are kept, whatever they are). */
function withoutAnnotations(schema: unknown): unknown {
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) return schema;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) {
    if (ANNOTATIONS.has(key)) continue;
    if (SUBSCHEMA.has(key)) out[key] = Array.isArray(value) ? value.map(withoutAnnotations) : withoutAnnotations(value);
    else if (SUBSCHEMA_LISTS.has(key) && Array.isArray(value)) out[key] = value.map(withoutAnnotations);
    else if (SUBSCHEMA_MAPS.has(key) && typeof value === 'object' && value !== null) {
      out[key] = Object.fromEntries(Object.entries(value).map(([name, sub]) => [name, withoutAnnotations(sub)]));
    } else out[key] = value;
  }
  return out;
}

/**
 * ajv standalone code (an ES module) for `schema`: `validate`, which checks every rule and leaves
 * every error on `.errors` (ajv's allErrors; on valid data it does the same work as a check that
 * stops at the first error, measured), and `validateAll`, the same function under the name stream
 * modules import for issues. One function, not two: a bundle carries each validator once.
 * Annotations (`description`, `title`, …) are left out of the code. `fiat schemas build` writes it
 * next to each built-in stream so that neither Zod nor ajv's compiler is loaded at run time. The few
 * ajv helpers it calls are imported statically from `@fiat/core/validator-runtime` (or written
 * inline), so a bundler sees them.
 *
 * @example
 * ```ts
 * await writeFile('Audit.validator.js', validatorModuleSource(Audit.inputSchema));
 * ```
 */
export function validatorModuleSource(schema: JsonSchema): string {
  const standaloneCode = loadAjvStandalone();
  const ajv = createAjv(true, true);
  ajv.addSchema(withoutAnnotations(schema) as JsonSchema, 'validate');
  const code = standaloneCode(ajv, { validate: 'validate' })
    .replace(/^"use strict";/, '')
    .replace(/export default [^;]+;/, '');
  const name = /export const validate = (\w+);/.exec(code)?.[1];
  if (name === undefined) throw new FiatError('INVALID_DEFINITION', 'ajv standalone code did not export validate');
  const [imports, body] = withStaticImports(code.replace(/export const validate = \w+;/, ''));
  // One pure expression: a bundle that never calls the validator drops all of it (ajv's code sets
  // properties on its functions, which would otherwise keep them).
  return [
    '// Generated by `fiat schemas build` from the stream definition (ajv standalone code). Do not edit.',
    ...imports,
    'export const validate = /* @__PURE__ */ (() => {',
    body,
    `return ${name};`,
    '})();',
    'export const validateAll = validate;',
    '',
  ].join('\n');
}
