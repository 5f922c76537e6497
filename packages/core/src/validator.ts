import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { FiatIssue } from './errors.js';
import type { JsonSchema } from './columns.js';
import { isTimestampInput } from './encode.js';

// ajv-formats is CommonJS; its default export arrives under `.default` in some loaders.
type AddFormats = (ajv: Ajv2020) => Ajv2020;
const addFormats: AddFormats =
  (addFormatsModule as unknown as { default?: AddFormats }).default ?? (addFormatsModule as unknown as AddFormats);

let fast: Ajv2020 | undefined;
let thorough: Ajv2020 | undefined;

function createAjv(allErrors: boolean): Ajv2020 {
  const ajv = new Ajv2020({ allErrors, strict: false, strictNumbers: true, logger: false, validateFormats: true });
  addFormats(ajv);
  ajv.addKeyword({
    keyword: 'fiatTimestamp',
    schemaType: 'boolean',
    errors: true,
    validate: function fiatTimestamp(this: unknown, _schema: boolean, data: unknown): boolean {
      const ok = isTimestampInput(data);
      if (!ok) {
        (fiatTimestamp as unknown as { errors: Partial<ErrorObject>[] }).errors = [
          {
            keyword: 'fiatTimestamp',
            message: 'must be a Date or an ISO 8601 date-time string with Z or an offset',
            params: {},
          },
        ];
      }
      return ok;
    },
  });
  return ajv;
}

/** A compiled check of one record's fields. */
export interface RecordValidator {
  /** True when `value` is valid; fast, stops at the first problem. */
  readonly check: (value: unknown) => boolean;
  /** Every problem with `value`, as `path: message` issues (slower; used on failure). */
  readonly issues: (value: unknown) => FiatIssue[];
}

/**
 * Compiles a JSON Schema (draft 2020-12, with Fiat's `fiatTimestamp` keyword) into a
 * {@link RecordValidator} with ajv. The all-errors variant is compiled only when first needed.
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
  return {
    check: (value) => check(value) as boolean,
    issues: (value) => {
      thorough ??= createAjv(true);
      all ??= thorough.compile(schema);
      if (all(value)) return [];
      return toIssues(all.errors ?? [], streamName);
    },
  };
}

function toIssues(errors: readonly ErrorObject[], streamName: string): FiatIssue[] {
  const issues: FiatIssue[] = [];
  const seen = new Set<string>();
  for (const error of errors) {
    // anyOf/oneOf repeat their branches' errors; report the union once.
    if (error.keyword === 'if' || error.keyword === 'then') continue;
    const base = error.instancePath.split('/').slice(1).map(unescapePointer).join('.');
    const join = (name: string): string => (base === '' ? name : `${base}.${name}`);
    let issue: FiatIssue;
    switch (error.keyword) {
      case 'required':
        issue = { path: join(String(error.params.missingProperty)), message: 'is required' };
        break;
      case 'additionalProperties':
        issue = {
          path: join(String(error.params.additionalProperty)),
          message: base === '' ? `is not a field of ${streamName}` : 'is not a field of this struct',
        };
        break;
      case 'enum':
        issue = { path: base, message: `must be one of ${(error.params.allowedValues as unknown[]).map(String).join(', ')}` };
        break;
      case 'const':
        issue = { path: base, message: `must be ${JSON.stringify(error.params.allowedValue)}` };
        break;
      case 'type':
        issue = { path: base, message: base === '' ? `fields must be an object` : `must be ${String(error.params.type).replace(',', ' or ')}` };
        break;
      default:
        issue = { path: base, message: error.message ?? 'is invalid' };
    }
    const key = `${issue.path}\u0000${issue.message}`;
    if (!seen.has(key)) {
      seen.add(key);
      issues.push(issue);
    }
  }
  return issues;
}

function unescapePointer(segment: string): string {
  return segment.replace(/~1/g, '/').replace(/~0/g, '~');
}
