/**
 * Firehose's limit for one record, and so Fiat's limit for one serialized record: 1,000 KiB.
 *
 * @example
 * ```ts
 * import { MAX_RECORD_BYTES } from '@fiat/core';
 * MAX_RECORD_BYTES; // 1024000
 * ```
 */
export const MAX_RECORD_BYTES = 1_024_000;

/**
 * How deeply a value may nest: 64 levels of arrays and objects, counted from a field's value
 * (`{ a: [1] }` is 2 levels). Deeper values are refused with `VALIDATION_FAILED`; struct, array and
 * map types nested deeper are refused with `INVALID_DEFINITION`.
 *
 * @example
 * ```ts
 * import { MAX_JSON_DEPTH } from '@fiat/core';
 * MAX_JSON_DEPTH; // 64
 * ```
 */
export const MAX_JSON_DEPTH = 64;
