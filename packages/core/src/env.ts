import { FiatError } from './errors.js';

/**
 * Reads a string from the environment, or returns `fallback`.
 *
 * @example
 * ```ts
 * const lakeDir = getStringFromEnv('FIAT_LAKE_DIR', '.fiat/lake');
 * ```
 */
export function getStringFromEnv(key: string, fallback: string): string {
  const value = process.env[key];
  return value === undefined || value === '' ? fallback : value;
}

/** Checks that `value` is a positive finite number; throws `CONFIG_INVALID` naming `option` otherwise. */
export function positiveNumber(value: unknown, option: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new FiatError('CONFIG_INVALID', `option ${option} must be a positive number, got ${JSON.stringify(value)}`);
  }
  return value;
}
