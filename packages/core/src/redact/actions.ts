import { FiatError } from '../errors.js';

/**
 * How a redacted value is stored, as a declaration accepts it:
 * - `'drop'` — not stored: the column (or a free-form member) is left out, read back as `NULL`;
 * - `'mask'` — the fixed marker `"[redacted]"`; `{ action: 'mask', showLength: true }` stores
 *   `"[redacted:<n>]"` with the value's length in code points (of its JSON text for a non-string);
 * - `'hash'` — `hmac:<key id>:<hex>`, HMAC-SHA-256 of the value (its UTF-8 bytes; its JSON text for a
 *   non-string) under the logger's redaction key (see `redactionToken`);
 * - `{ action: 'truncate', length: n }` — the first `n` code points (a surrogate pair is never split).
 *
 * @example
 * ```ts
 * const actions: RedactAction[] = ['drop', 'hash', { action: 'mask', showLength: true }, { action: 'truncate', length: 4 }];
 * ```
 */
export type RedactAction =
  | 'drop'
  | 'mask'
  | 'hash'
  | { readonly action: 'drop' | 'hash' }
  | { readonly action: 'mask'; readonly showLength?: boolean }
  | { readonly action: 'truncate'; readonly length: number };

/** A {@link RedactAction} in its one normalized form, as field plans and `x-fiat-redact` keywords hold it. */
export type RedactSpec =
  | { readonly action: 'drop' }
  | { readonly action: 'hash' }
  | { readonly action: 'mask'; readonly showLength?: true }
  | { readonly action: 'truncate'; readonly length: number };

/** The marker a masked value is stored as. */
export const REDACTED_MARKER = '[redacted]';

/** The longest `truncate` length accepted: 1,000,000 code points. */
const MAX_TRUNCATE_LENGTH = 1_000_000;

/**
 * How much an action reveals, lowest first: when two rules match one value, the one that reveals
 * least wins (drop, then mask, then hash, then truncate).
 */
export function actionRank(spec: RedactSpec): number {
  switch (spec.action) {
    case 'drop':
      return 0;
    case 'mask':
      return spec.showLength === true ? 2 : 1;
    case 'hash':
      return 3;
    default:
      return 4;
  }
}

/** The action of two that reveals least (see {@link actionRank}). */
export function strongerAction(a: RedactSpec | undefined, b: RedactSpec): RedactSpec {
  if (a === undefined) return b;
  const ra = actionRank(a);
  const rb = actionRank(b);
  if (ra !== rb) return ra < rb ? a : b;
  // Two truncations: the shorter reveals less.
  return a.action === 'truncate' && b.action === 'truncate' && b.length < a.length ? b : a;
}

/**
 * Checks a declared action and returns its normalized form. Throws `code` (default
 * `INVALID_DEFINITION`) naming `where` when it is not one Fiat knows.
 *
 * @example
 * ```ts
 * parseRedactAction('hash', "field 'email'"); // { action: 'hash' }
 * parseRedactAction({ action: 'truncate', length: 0 }, "field 'name'"); // throws: length must be …
 * ```
 */
export function parseRedactAction(value: unknown, where: string, code: 'INVALID_DEFINITION' | 'CONFIG_INVALID' = 'INVALID_DEFINITION'): RedactSpec {
  const fail = (why: string): never => {
    throw new FiatError(code, `${where}: redaction ${why}`);
  };
  if (value === 'drop' || value === 'mask' || value === 'hash') return { action: value };
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return fail(`must be 'drop', 'mask', 'hash', { action: 'mask', showLength: true } or { action: 'truncate', length: n }, got ${describeGiven(value)}`);
  }
  const spec = value as Record<string, unknown>;
  const extra = Object.keys(spec).filter((key) => !['action', 'showLength', 'length'].includes(key));
  if (extra.length > 0) fail(`has unknown keys ${extra.join(', ')}`);
  switch (spec.action) {
    case 'drop':
    case 'hash':
      if (spec.showLength !== undefined || spec.length !== undefined) fail(`'${spec.action}' takes no showLength or length`);
      return { action: spec.action };
    case 'mask':
      if (spec.length !== undefined) fail("'mask' takes no length (did you mean showLength: true?)");
      if (spec.showLength !== undefined && typeof spec.showLength !== 'boolean') fail('showLength must be true or false');
      return spec.showLength === true ? { action: 'mask', showLength: true } : { action: 'mask' };
    case 'truncate': {
      const length = spec.length;
      if (typeof length !== 'number' || !Number.isSafeInteger(length) || length < 1 || length > MAX_TRUNCATE_LENGTH) {
        fail(`'truncate' length must be an integer from 1 to ${MAX_TRUNCATE_LENGTH}, got ${describeGiven(length)}`);
      }
      if (spec.showLength !== undefined) fail("'truncate' takes no showLength");
      return { action: 'truncate', length: length as number };
    }
    default:
      return fail(`action must be 'drop', 'mask', 'hash' or 'truncate', got ${describeGiven(spec.action)}`);
  }
}

/** A short description of a declaration value, for messages (declarations are not secrets). */
export function describeGiven(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (value === null || typeof value !== 'object') return String(value);
  return Array.isArray(value) ? 'an array' : 'an object';
}

/**
 * The action as the `x-fiat-redact` keyword writes it: the bare name when it has no options.
 *
 * @example
 * ```ts
 * actionKeyword({ action: 'hash' });                    // 'hash'
 * actionKeyword({ action: 'truncate', length: 4 });     // { action: 'truncate', length: 4 }
 * ```
 */
export function actionKeyword(spec: RedactSpec): RedactAction {
  if (spec.action === 'drop' || spec.action === 'hash') return spec.action;
  if (spec.action === 'mask') return spec.showLength === true ? { action: 'mask', showLength: true } : 'mask';
  return { action: 'truncate', length: spec.length };
}

/**
 * One line saying what an action stores, for `athena.json` comments, DDL and `fiat schemas`.
 *
 * @example
 * ```ts
 * describeAction({ action: 'hash' }); // 'hash (HMAC-SHA-256, hmac:<key id>:<hex>)'
 * ```
 */
export function describeAction(spec: RedactSpec): string {
  switch (spec.action) {
    case 'drop':
      return 'drop (not stored)';
    case 'mask':
      return spec.showLength === true ? 'mask ([redacted:<length>])' : 'mask ([redacted])';
    case 'hash':
      return 'hash (HMAC-SHA-256, hmac:<key id>:<hex>)';
    default:
      return `truncate to ${spec.length} characters`;
  }
}
