// Owns the CLI's version: the version field of the installed @fiat/provisioner package.
import { createRequire } from 'node:module';

/**
 * The `@fiat/provisioner` package version, read from its own package.json (so it is always the
 * installed one).
 *
 * @example
 * ```ts
 * cliVersion(); // '0.1.0'
 * ```
 */
export function cliVersion(): string {
  const require = createRequire(import.meta.url);
  return (require('@fiat/provisioner/package.json') as { version: string }).version;
}
