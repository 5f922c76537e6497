// The entry point `@fiat/core/validator-runtime`: the few helpers that ajv's standalone validator code
// calls, as static ES imports so that a bundler sees them. Validators written by `fiat schemas build`
// import from here only what they use (most need nothing: `ucs2length` is written inline).
import fastDeepEqual from 'fast-deep-equal';
import { fullFormats as ajvFullFormats } from 'ajv-formats/dist/formats.js';

/**
 * Deep equality for `enum`/`const` checks of objects and arrays (ajv's `runtime/equal`).
 *
 * @example
 * ```ts
 * equal({ a: [1] }, { a: [1] }); // true
 * ```
 */
export const equal: (a: unknown, b: unknown) => boolean = fastDeepEqual;

/**
 * ajv-formats' full format checks (`email`, `uuid`, `date-time`, …), as standalone validator code
 * reads them (`fullFormats["email"]`).
 *
 * @example
 * ```ts
 * (fullFormats.uuid as RegExp).test('0190f2a4-6c1d-7a3e-9f10-2b3c4d5e6f70'); // true
 * ```
 */
export const fullFormats: typeof ajvFullFormats = ajvFullFormats;
