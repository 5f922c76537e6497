import type { fullFormats as ajvFullFormats } from 'ajv-formats/dist/formats.js';

/**
 * Deep equality for `enum`/`const` checks of objects and arrays (ajv's `runtime/equal`).
 *
 * @example
 * ```ts
 * equal({ a: [1] }, { a: [1] }); // true
 * ```
 */
export declare const equal: (a: unknown, b: unknown) => boolean;

/**
 * ajv-formats' full format checks (`date-time`, `uri`, …), as standalone validator code reads them
 * (`fullFormats["date-time"]`).
 *
 * @example
 * ```ts
 * (fullFormats.uuid as RegExp).test('0190f2a4-6c1d-7a3e-9f10-2b3c4d5e6f70'); // true
 * ```
 */
export declare const fullFormats: typeof ajvFullFormats;
