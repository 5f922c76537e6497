import type { ErrorObject } from 'ajv/dist/2020.js';
import type { FiatIssue } from './errors.js';
import { INT64_STRING_PATTERN } from './jsonSchema.js';
import { TIMESTAMP_INPUT_PATTERN, TIMESTAMP_MESSAGE } from './storedTimestamp.js';
import { INT64_MESSAGE } from './encode.js';
import { toWellFormed } from './unicode.js';

// No ajv here: this file turns validate functions (precompiled, or compiled by compileValidator.ts)
// into Fiat's issues, so that a stream built ahead of time loads neither Zod nor ajv's compiler.

/** A compiled check of one record's fields. */
export interface RecordValidator {
  /** True when `value` is valid; fast, stops at the first problem. */
  readonly check: (value: unknown) => boolean;
  /** Every problem with `value`, as `path: message` issues (slower; used on failure). */
  readonly issues: (value: unknown) => FiatIssue[];
}

/** An ajv validate function: returns validity and leaves its errors on `.errors`. */
export type CompiledCheck = ((value: unknown) => boolean) & { errors?: ErrorObject[] | null };

/**
 * Builds a {@link RecordValidator} from validate functions compiled ahead of time: `check` stops at
 * the first error, `thorough` (compiled with `allErrors`) reports them all.
 *
 * @example
 * ```ts
 * import { validate, validateAll } from './Audit.validator.js'; // written by fiat schemas build
 * const validator = validatorFromChecks(validate, () => validateAll, 'Audit');
 * ```
 */
export function validatorFromChecks(check: CompiledCheck, thorough: () => CompiledCheck, streamName = 'the stream'): RecordValidator {
  return {
    check: (value) => check(value),
    issues: (value) => {
      const all = thorough();
      if (all(value)) return [];
      return toIssues(all.errors ?? [], streamName);
    },
  };
}

/** The message of an integer beyond ±(2^53-1): a number there has already lost digits. */
const SAFE_INTEGER_MESSAGE = 'must be a safe integer, between -(2^53-1) and 2^53-1 (declare the field z.int64() for wider integers)';

function toIssues(errors: readonly ErrorObject[], streamName: string): FiatIssue[] {
  const issues: FiatIssue[] = [];
  const seen = new Set<string>();
  for (const error of errors) {
    if (error.keyword === 'if' || error.keyword === 'then') continue;
    // Paths name the caller's keys: lone surrogates in them become U+FFFD, so messages stay storable.
    const base = toWellFormed(error.instancePath.split('/').slice(1).map(unescapePointer).join('.'));
    const join = (name: string): string => toWellFormed(base === '' ? name : `${base}.${name}`);
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
      case 'minimum':
      case 'maximum':
        issue = {
          path: base,
          message: Math.abs(Number(error.params.limit)) === Number.MAX_SAFE_INTEGER ? SAFE_INTEGER_MESSAGE : (error.message ?? 'is invalid'),
        };
        break;
      case 'pattern':
        issue = {
          path: base,
          message:
            error.params.pattern === TIMESTAMP_INPUT_PATTERN
              ? TIMESTAMP_MESSAGE
              : error.params.pattern === INT64_STRING_PATTERN
                ? INT64_MESSAGE
                : (error.message ?? 'is invalid'),
        };
        break;
      case 'type': {
        const type = String(error.params.type);
        const message =
          base === '' ? 'fields must be an object' : type === 'string,object' ? TIMESTAMP_MESSAGE : `must be ${type.replace(/,/g, ' or ')}`;
        issue = { path: base, message };
        break;
      }
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
