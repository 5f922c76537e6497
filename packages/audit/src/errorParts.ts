import { toWellFormed } from '@fiat/core';

function text(read: () => unknown, fallback: string): string {
  try {
    const value = read();
    return (typeof value === 'string' ? value : String(value)) as string;
  } catch {
    return fallback;
  }
}

/**
 * The `error_name` and `error_message` Fiat stores for anything thrown, without ever throwing
 * (getters, proxies and `toString` that throw are survived) and as well-formed text: a lone
 * surrogate becomes U+FFFD. Errors give their `name` and `message`; anything else its type and
 * `String(value)`.
 *
 * @example
 * ```ts
 * errorParts(new TypeError('card declined')); // { name: 'TypeError', message: 'card declined' }
 * errorParts('plain string');                 // { name: 'string', message: 'plain string' }
 * ```
 */
export function errorParts(error: unknown): { name: string; message: string } {
  let isError = false;
  try {
    isError = error instanceof Error;
  } catch {
    // A revoked proxy: described by its type below.
  }
  const name = isError ? text(() => (error as Error).name, 'Error') : typeof error;
  const message = isError ? text(() => (error as Error).message, '[unreadable message]') : text(() => String(error), '[unreadable value]');
  return { name: toWellFormed(name), message: toWellFormed(message) };
}
