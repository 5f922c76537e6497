import type { FieldPlan } from './columns.js';
import { createStreamDefinition, type StreamDefinition } from './stream.js';
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
  /** The raw input, as JSON text; values JSON cannot carry are replaced by a description. */
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
 * writes refused input and its issues so that nothing is lost.
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
  // Precompiled (src/generated/, kept in step by deadletter.test.ts), so dead-lettering never loads ajv's compiler.
  validator: validatorFromChecks(validate, () => validateAll, 'FiatDeadletter'),
});

/**
 * JSON text of any value, never throwing: cycles, BigInt, NaN, Infinity, functions, symbols, Map
 * and Set are replaced by a string that says what they were.
 *
 * @example
 * ```ts
 * describeAsJson({ n: 1n, f() {} }); // '{"n":"[BigInt 1]","f":"[function f]"}'
 * ```
 */
export function describeAsJson(value: unknown): string {
  const seen = new WeakSet<object>();
  const text = JSON.stringify(value, function replacer(this: unknown, _key: string, item: unknown) {
    switch (typeof item) {
      case 'bigint':
        return `[BigInt ${item.toString()}]`;
      case 'function':
        return `[function ${item.name || 'anonymous'}]`;
      case 'symbol':
        return `[${item.toString()}]`;
      case 'number':
        return Number.isFinite(item) ? item : `[${String(item)}]`;
      case 'object':
        if (item === null) return item;
        if (seen.has(item)) return '[Circular]';
        seen.add(item);
        if (item instanceof Map) return { '[Map]': Object.fromEntries(item) };
        if (item instanceof Set) return { '[Set]': [...item] };
        return item;
      default:
        return item;
    }
  });
  return text ?? 'null';
}
