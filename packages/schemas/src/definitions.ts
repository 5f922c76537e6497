import type { DefineStreamOptions } from '@fiat/core';
import type { z } from 'zod';
import { auditDefinition } from './definitions/Audit.js';

// One file per stream in src/definitions/; each is re-exported and listed here (`npx nx g @fiat/schemas:stream` does both).
export { auditSchema } from './definitions/Audit.js';

/**
 * The Zod definitions of Fiat's built-in streams (import from `@fiat/schemas/definitions`; loading
 * them loads Zod). Add a stream with `npx nx g @fiat/schemas:stream <Name>`, or by hand: a file in
 * `src/definitions/`, re-exported and listed here, then `npm run schemas:build`.
 *
 * @example
 * ```ts
 * import { builtInDefinitions } from '@fiat/schemas/definitions';
 * builtInDefinitions.map((d) => d.name); // ['Audit']
 * ```
 */
export const builtInDefinitions: readonly DefineStreamOptions<z.ZodObject>[] = [auditDefinition];
