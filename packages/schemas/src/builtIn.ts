import { DeadLetter, FiatCheckpoint, type StreamDefinition } from '@fiat/core';
import { Audit } from './streams/Audit.js';

/**
 * Every stream Fiat ships: `Audit`, the `_fiat_deadletter` stream and the `_fiat_checkpoint` stream of
 * hash chains. `fiat schemas build` writes
 * a folder for each. An application's own streams go in a module named in `fiat.config.json`
 * (`streamModules`), or in a hand-written `schemas/<Stream>/` folder.
 *
 * @example
 * ```ts
 * builtInStreams.map((s) => s.name); // ['Audit', 'FiatDeadletter', 'FiatCheckpoint']
 * ```
 */
export const builtInStreams: readonly StreamDefinition<any>[] = [Audit, DeadLetter, FiatCheckpoint];
