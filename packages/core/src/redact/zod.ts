import type { z } from 'zod';
import { FiatError } from '../errors.js';
import type { RedactAction } from './actions.js';
import { parseFieldRedaction, redactKeyword, type RedactRule } from './rules.js';
import { REDACT_KEYWORD } from './schema.js';

/** What {@link redact} takes: an action on the whole value, or rules inside a free-form value. */
export type RedactDeclaration = RedactAction | Omit<RedactRule, 'fields'> | readonly Omit<RedactRule, 'fields'>[];

function isRules(value: RedactDeclaration): value is Omit<RedactRule, 'fields'> | readonly Omit<RedactRule, 'fields'>[] {
  if (Array.isArray(value)) return true;
  return typeof value === 'object' && value !== null && ('paths' in value || 'secretKeys' in value || 'detect' in value);
}

/**
 * Declares how a field of a Zod stream is stored: an action on its whole value (`'drop'`, `'mask'`,
 * `'hash'`, `{ action: 'mask', showLength: true }`, `{ action: 'truncate', length: n }`) or rules
 * inside a free-form value (`{ paths: ['password'] }`). It sets the `x-fiat-redact` metadata
 * (Zod 4's `.meta()`, kept with the field's other metadata), which `defineStream` reads and
 * `json_schema.json` carries. The same can be written by hand:
 * `z.string().meta({ 'x-fiat-redact': 'hash' })`. Throws `INVALID_DEFINITION` for an action Fiat
 * does not know; whether it fits the field's type is checked by `defineStream`.
 *
 * @example
 * ```ts
 * import { z } from 'zod';
 * import { defineStream, redact } from '@fiat/core';
 *
 * const Signup = defineStream({
 *   name: 'Signup',
 *   schema: z.object({
 *     email: redact(z.email(), 'hash'),                                // joinable, not readable
 *     password: redact(z.string(), 'drop'),                            // never stored
 *     name: redact(z.string(), { action: 'truncate', length: 1 }),     // initial only
 *     card_last4: z.string(),
 *     request: redact(z.unknown(), { paths: ['headers.authorization', '**.cvv'] }),
 *   }),
 * });
 * ```
 */
export function redact<T extends z.ZodType>(schema: T, declaration: RedactDeclaration): T {
  const target = schema as unknown as { meta?: (data?: Record<string, unknown>) => unknown };
  if (typeof target?.meta !== 'function') throw new FiatError('INVALID_DEFINITION', 'redact() needs a Zod 4 schema (one with .meta())');
  const value = isRules(declaration) ? { rules: Array.isArray(declaration) ? declaration : [declaration] } : declaration;
  const parsed = parseFieldRedaction(value, 'redact()');
  const existing = (target.meta() ?? {}) as Record<string, unknown>;
  return target.meta({ ...existing, [REDACT_KEYWORD]: redactKeyword(parsed) }) as T;
}
