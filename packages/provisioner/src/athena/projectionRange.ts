// The partition projection range of `dt`, written once: its default, its shape and its check.
// Configuration loading and the DDL builder both use these.
import { FiatError } from '@fiat/core';

/**
 * Default partition projection range of `dt`: the last five years up to today.
 *
 * @example
 * ```ts
 * createTableDdl(stream, { database: 'fiat', bucket: 'b' }).includes(`'${DEFAULT_PROJECTION_RANGE}'`); // true
 * ```
 */
export const DEFAULT_PROJECTION_RANGE = 'NOW-5YEARS,NOW';

const BOUND = '(\\d{4}-\\d{2}-\\d{2}|NOW([+-]\\d{1,4}(YEARS|MONTHS|WEEKS|DAYS))?)';

/**
 * A projection range `min,max`, each bound a date `yyyy-MM-dd` or `NOW` with an optional `±N UNIT`
 * (YEARS, MONTHS, WEEKS, DAYS). Nothing else can reach the DDL.
 *
 * @example
 * ```ts
 * PROJECTION_RANGE.test('2024-01-01,NOW'); // true
 * ```
 */
export const PROJECTION_RANGE = new RegExp(`^${BOUND},${BOUND}$`);

/** What a projection range must be, as error messages say it. */
export const PROJECTION_RANGE_RULE = "a projection range 'min,max' of yyyy-MM-dd or NOW[±N UNIT], e.g. NOW-5YEARS,NOW";

/**
 * The projection range to use (`range`, or {@link DEFAULT_PROJECTION_RANGE} when absent), after
 * checking it: `CONFIG_INVALID` naming the key and the value when it has another shape.
 *
 * @example
 * ```ts
 * projectionRange(undefined); // 'NOW-5YEARS,NOW'
 * projectionRange("NOW') --"); // throws FiatError CONFIG_INVALID
 * ```
 */
export function projectionRange(range: string | undefined): string {
  const value = range ?? DEFAULT_PROJECTION_RANGE;
  if (!PROJECTION_RANGE.test(value)) {
    throw new FiatError('CONFIG_INVALID', `config key projectionRange must be ${PROJECTION_RANGE_RULE}, got ${JSON.stringify(value)}`);
  }
  return value;
}
