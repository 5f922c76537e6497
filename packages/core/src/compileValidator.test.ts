import { describe, expect, it } from 'vitest';
import { compileValidator, validatorModuleSource } from './compileValidator.js';
import type { JsonSchema } from './jsonSchema.js';
import { validatorFromChecks, type CompiledCheck } from './validator.js';
import { equal, fullFormats } from '../cjs/validatorRuntime.cjs';

const schema: JsonSchema = {
  type: 'object',
  properties: {
    email: { type: 'string', format: 'email' },
    at: { type: 'string', format: 'date-time' },
    name: { type: 'string', minLength: 2 },
    shape: { enum: [{ kind: 'circle' }, { kind: 'square' }] },
  },
  required: ['email', 'name'],
  additionalProperties: false,
};

/** Evaluates the generated module with its one import bound to the real helpers. */
function evaluate(source: string): { validate: CompiledCheck; validateAll: CompiledCheck } {
  const body = source
    .replace(/^import \{[^}]*\} from '@fiat\/core\/validator-runtime';$/m, '')
    .replace(/export const (validate|validateAll) = /g, 'const $1 = ');
  return new Function('equal', 'fullFormats', `${body}\nreturn { validate, validateAll };`)(equal, fullFormats);
}

describe('validatorModuleSource', () => {
  it('imports ajv helpers statically and calls require() nowhere, so a bundler sees everything', () => {
    // Act
    const source = validatorModuleSource(schema);

    // Assess
    expect(source).not.toMatch(/\brequire\s*\(/);
    expect(source).toContain("import { equal, fullFormats } from '@fiat/core/validator-runtime';");
    expect(source).toContain('function ucs2length(str)');
  });

  it('writes code that checks formats, lengths in code points and object enums like the compiled validator', () => {
    // Prepare
    const { validate, validateAll } = evaluate(validatorModuleSource(schema));
    const generated = validatorFromChecks(validate, () => validateAll, 'Shape');
    const compiled = compileValidator(schema, 'Shape');
    const inputs = [
      { email: 'a@example.com', name: 'Al', shape: { kind: 'circle' }, at: '2026-11-26T10:00:00Z' },
      { email: 'not an email', name: 'Al' },
      { email: 'a@example.com', name: 'Al', at: '2026-13-26T10:00:00Z' },
      { email: 'a@example.com', name: '😀' },
      { email: 'a@example.com', name: 'Al', shape: { kind: 'triangle' } },
      { name: 'A', extra: 1 },
    ];

    // Act
    const results = inputs.map((input) => [generated.check(input), generated.issues(input)]);

    // Assess
    expect(results.map(([ok]) => ok)).toEqual([true, false, false, false, false, false]);
    expect(results).toEqual(inputs.map((input) => [compiled.check(input), compiled.issues(input)]));
    expect(results[5]?.[1]).toEqual([
      { path: 'email', message: 'is required' },
      { path: 'extra', message: 'is not a field of Shape' },
      { path: 'name', message: 'must NOT have fewer than 2 characters' },
    ]);
  });

  it('writes one validator (every error) under both names, without the annotations, and keeps properties named like them', () => {
    // Prepare: annotations at several levels, and a property called `description`.
    const annotated: JsonSchema = {
      type: 'object',
      title: 'Annotated',
      description: 'SCHEMA-LEVEL NOTE',
      properties: {
        description: { type: 'string', description: 'PROPERTY NOTE', minLength: 1 },
        items: { type: 'array', items: { type: 'integer', $comment: 'ITEM NOTE' } },
      },
      required: ['description'],
      additionalProperties: false,
    };
    // Act
    const source = validatorModuleSource(annotated);
    const { validate, validateAll } = evaluate(source);
    // Assess
    expect(validateAll).toBe(validate);
    expect(source.match(/function validate\d+\(/g)).toHaveLength(1);
    expect(source).not.toMatch(/NOTE|Annotated/);
    expect([validate({ description: 'x', items: [1] }), validate({ description: '' }), validate({ items: [1.5] })]).toEqual([true, false, false]);
    expect(validate({ items: [1.5], extra: true })).toBe(false);
    expect(validate.errors?.map((e) => e.keyword).sort()).toEqual(['additionalProperties', 'required', 'type']);
  });
});
