import type { FiatIssue } from '../errors.js';
import { toWellFormed } from '../unicode.js';
import type { RecordValidator } from '../validator.js';

// The check of a checkpoint's fields, written by hand: nine flat fields, where ajv's standalone code for the same
// schema is about 15 kB of every logger's bundle. checkpointValidator.test.ts holds it to ajv's verdicts and
// messages for that schema (FiatCheckpoint.inputSchema).

/** One field's check: the message of its first problem (ajv's, as Fiat words them), or `undefined`. */
type FieldCheck = (value: unknown) => string[];

const MAX_SAFE = Number.MAX_SAFE_INTEGER;
const SAFE_INTEGER_MESSAGE = 'must be a safe integer, between -(2^53-1) and 2^53-1 (declare the field z.int64() for wider integers)';
/** ajv-formats' `uuid`. */
const UUID = /^(?:urn:uuid:)?[0-9a-f]{8}-(?:[0-9a-f]{4}-){3}[0-9a-f]{12}$/i;
const HASH = /^[0-9a-f]{64}$/;
const KEY_ID = /^([0-9a-f]{16})?$/;
const ALGS = ['none', 'hmac-sha256', 'ed25519'];

const text =
  (check: (value: string) => string | undefined = () => undefined): FieldCheck =>
  (value) => {
    if (typeof value !== 'string') return ['must be string'];
    const problem = check(value);
    return problem === undefined ? [] : [problem];
  };

const positiveInteger: FieldCheck = (value) => {
  if (typeof value !== 'number' || !Number.isFinite(value)) return ['must be integer'];
  const problems = Number.isInteger(value) ? [] : ['must be integer'];
  if (value < 1) problems.push('must be >= 1');
  if (value > MAX_SAFE) problems.push(SAFE_INTEGER_MESSAGE);
  return problems;
};

const FIELDS: Readonly<Record<string, FieldCheck>> = {
  chain_id: text((v) => (UUID.test(v) ? undefined : 'must match format "uuid"')),
  stream: text((v) => (v.length > 0 ? undefined : 'must NOT have fewer than 1 characters')),
  table: text((v) => (v.length > 0 ? undefined : 'must NOT have fewer than 1 characters')),
  last_seq: positiveInteger,
  last_hash: text((v) => (HASH.test(v) ? undefined : 'must match pattern "^[0-9a-f]{64}$"')),
  record_count: positiveInteger,
  signature_alg: (value) => {
    if (ALGS.includes(value as string)) return [];
    const other = `must be one of ${ALGS.join(', ')}`;
    return typeof value === 'string' ? [other] : ['must be string', other];
  },
  key_id: text((v) => (KEY_ID.test(v) ? undefined : 'must match pattern "^([0-9a-f]{16})?$"')),
  signature: text(),
};

function checkpointIssues(value: unknown): FiatIssue[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [{ path: '', message: 'fields must be an object' }];
  const record = value as Record<string, unknown>;
  const issues: FiatIssue[] = [];
  for (const key of Object.keys(record)) {
    if (!Object.hasOwn(FIELDS, key)) issues.push({ path: toWellFormed(key), message: 'is not a field of FiatCheckpoint' });
  }
  for (const [name, check] of Object.entries(FIELDS)) {
    const field = Object.hasOwn(record, name) ? record[name] : undefined;
    if (field === undefined) issues.push({ path: name, message: 'is required' });
    else for (const message of check(field)) issues.push({ path: name, message });
  }
  return issues;
}

/**
 * The validator of `FiatCheckpoint`'s fields: the checks of its input schema (types, `uuid`, patterns, bounds,
 * the enum, no other field), with the issues ajv would report for them.
 *
 * @example
 * ```ts
 * checkpointValidator.issues({ ...fields, last_hash: 'x' }); // [{ path: 'last_hash', message: 'must match pattern "^[0-9a-f]{64}$"' }]
 * ```
 */
export const checkpointValidator: RecordValidator = {
  check: (value) => checkpointIssues(value).length === 0,
  issues: checkpointIssues,
};
