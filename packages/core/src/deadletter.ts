import type { FieldPlan } from './columnPlan.js';
import { isFiatError } from './errors.js';
import { MAX_JSON_DEPTH } from './limits.js';
import { describeThrown, walkJson, type JsonRedactor } from './jsonWalk.js';
import type { Redaction } from './redact/Redaction.js';
import { omittedValue } from './omitted.js';
import { createStreamDefinition, type StreamDefinition } from './stream.js';
import { shortenText, toWellFormed } from './unicode.js';
import { validatorFromChecks } from './validator.js';
import { validate, validateAll } from './generated/FiatDeadletter.validator.js';

/** Fields of a dead-letter record. */
export interface DeadLetterFields {
  /** The stream the record was logged to. */
  readonly stream: string;
  /** Why it was refused: `VALIDATION_FAILED` or `RECORD_TOO_LARGE`. */
  readonly error_code: string;
  /** The one-line error message. */
  readonly error_message: string;
  /** The issues, as JSON text (`[{ "path": …, "message": … }]`). */
  readonly issues: unknown;
  /**
   * The raw input, as JSON text; values JSON cannot carry are replaced by a description, and input
   * whose text is over 256 KiB by the JSON of an omitted marker.
   */
  readonly raw: string;
}

const fields: FieldPlan[] = [
  { name: 'stream', plan: { kind: 'string' }, required: true, nullable: false },
  { name: 'error_code', plan: { kind: 'string' }, required: true, nullable: false },
  { name: 'error_message', plan: { kind: 'string' }, required: true, nullable: false },
  { name: 'issues', plan: { kind: 'json' }, required: true, nullable: false },
  { name: 'raw', plan: { kind: 'string' }, required: true, nullable: false },
];

/**
 * The built-in dead-letter stream: table `_fiat_deadletter`, where `onInvalid: 'deadletter'`
 * writes refused input and its issues so that nothing is lost. It is chained (`integrity: 'chain'`):
 * refused input is evidence too, so removing a dead letter shows in `fiat verify` like removing a record.
 *
 * @example
 * ```sql
 * SELECT stream, error_message, raw FROM _fiat_deadletter ORDER BY event_time DESC LIMIT 10
 * ```
 */
export const DeadLetter: StreamDefinition<DeadLetterFields> = createStreamDefinition<DeadLetterFields>({
  name: 'FiatDeadletter',
  description: 'Records refused by validation, kept with their issues so that nothing is lost.',
  fields,
  sources: { issues: { type: 'array' }, raw: { type: 'string' } },
  names: { table: '_fiat_deadletter', prefix: '_fiat_deadletter/', deliveryStream: 'fiat-deadletter' },
  integrity: 'chain',
  // Precompiled (src/generated/, kept in step by deadletter.test.ts), so dead-lettering never loads ajv's compiler.
  validator: validatorFromChecks(validate, () => validateAll, 'FiatDeadletter'),
});

/** Default budget of {@link describeAsJson}: 256 KiB of JSON text. */
export const DESCRIBE_MAX_BYTES = 256 * 1024;

/** Options of {@link describeAsJson}. */
export interface DescribeOptions {
  /** Longest JSON text returned; a longer value becomes an omitted marker. Default: 256 KiB. */
  readonly maxBytes?: number;
  /** Containers nested deeper are written as `"[nested deeper than N levels]"`. Default: `MAX_JSON_DEPTH` (64). */
  readonly maxDepth?: number;
  /** Redaction applied as the text is written (a stream's, see `Redaction.jsonRedactor`). Default: none. */
  readonly redactor?: JsonRedactor;
}

/**
 * JSON text of any value, never throwing and with bounded work: values JSON cannot carry are
 * replaced by a string that says what they were (BigInt, NaN, Infinity, functions, symbols,
 * cycles, Map, Set, getters, proxies or `toJSON` that throw, nesting past `maxDepth`; lone
 * surrogates in strings and keys become U+FFFD, so the text is readable by DuckDB). Text that
 * would be longer than `maxBytes` is replaced by the JSON of an omitted marker
 * (`{"fiat_omitted":true,"reason":"too_large",…}`, see `omittedValue`).
 *
 * @example
 * ```ts
 * describeAsJson({ n: 1n, f() {} }); // '{"n":"[BigInt 1]","f":"[function f]"}'
 * ```
 */
export function describeAsJson(value: unknown, options: DescribeOptions = {}): string {
  const chunks: string[] = [];
  const walk = walkJson(value, (chunk) => void chunks.push(chunk), {
    maxBytes: options.maxBytes ?? DESCRIBE_MAX_BYTES,
    maxDepth: options.maxDepth ?? MAX_JSON_DEPTH,
    wellFormed: true,
    ...(options.redactor === undefined ? {} : { redactor: options.redactor }),
  });
  if (walk.complete) return chunks.join('');
  return JSON.stringify(omittedValue(value, 'too_large', options.redactor));
}

/** Issues kept in a dead-letter record; the rest are counted in one last issue. */
const MAX_DEAD_LETTER_ISSUES = 100;

/**
 * The fields of a dead-letter record for refused input, bounded so that the record always fits:
 * at most 100 issues (paths cut to 256 and messages to 512 characters), the message cut to 8,192
 * characters, `raw` from {@link describeAsJson}. With `compact`, 10 issues, a 1,024-character
 * message and `raw` as an omitted marker: the fallback when even the bounded record is too large.
 * With the stream's `redaction`, `raw` is redacted as a stored record would be (declared actions,
 * path rules, detectors; the marker is of the redacted text) and detectors apply to the message and issues.
 *
 * @example
 * ```ts
 * deadLetterFields('Orders', error, input).raw; // '{"order_id":"o-1","qty":"two"}'
 * ```
 */
export function deadLetterFields(stream: string, error: unknown, input: unknown, compact = false, redaction?: Redaction): DeadLetterFields {
  const fiat = isFiatError(error);
  const scrub = (text: string): string => (redaction === undefined ? text : redaction.scrubText(text));
  const message = scrub(fiat ? error.message : `reading the input threw ${describeThrown(error)}`);
  const all = fiat && error.issues.length > 0 ? error.issues : [{ path: '', message }];
  const keep = compact ? 10 : MAX_DEAD_LETTER_ISSUES;
  const issues = all.slice(0, keep).map((issue) => ({ path: shortenText(scrub(String(issue.path)), 256), message: shortenText(scrub(String(issue.message)), 512) }));
  const redactor = redaction?.active === true ? redaction.jsonRedactor() : undefined;
  if (all.length > keep) issues.push({ path: '', message: `… and ${all.length - keep} more issues` });
  return {
    stream: toWellFormed(stream),
    error_code: fiat ? error.code : 'VALIDATION_FAILED',
    error_message: shortenText(message, compact ? 1024 : 8192),
    issues,
    raw: compact ? JSON.stringify(omittedValue(input, 'too_large', redactor)) : describeAsJson(input, redactor === undefined ? {} : { redactor }),
  };
}
