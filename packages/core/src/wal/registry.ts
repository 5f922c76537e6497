// Owns how ValidatedLog finds the write-ahead log without importing it: `durability: 'disk'` is an opt-in, like the
// Firehose transport. Importing '@fiat/core/durable' registers WriteAheadLog.open here; a logger asked for disk
// durability without it is refused with CONFIG_INVALID naming that import, so memory-mode bundles carry no WAL code.
import { FiatError } from '../errors.js';
import type { WriteAheadLog, WriteAheadLogOptions } from './WriteAheadLog.js';

/**
 * Opens a write-ahead log: what `@fiat/core/durable` registers (`WriteAheadLog.open`).
 *
 * @example
 * ```ts
 * const open: WriteAheadLogOpener = (options) => WriteAheadLog.open(options);
 * ```
 */
export type WriteAheadLogOpener = (options: WriteAheadLogOptions) => WriteAheadLog;

let opener: WriteAheadLogOpener | undefined;

/**
 * Makes `durability: 'disk'` available to every logger of this process; `@fiat/core/durable` calls it when imported.
 * A later registration replaces the earlier one.
 *
 * @example
 * ```ts
 * registerWriteAheadLog((options) => WriteAheadLog.open(options));
 * ```
 */
export function registerWriteAheadLog(open: WriteAheadLogOpener): void {
  opener = open;
}

/**
 * The message of the `CONFIG_INVALID` thrown when `durability: 'disk'` is asked and `@fiat/core/durable` was not
 * imported.
 *
 * @example
 * ```ts
 * expect(() => configure({ durability: 'disk' })).toThrow(DURABLE_NOT_LOADED);
 * ```
 */
export const DURABLE_NOT_LOADED =
  "option durability 'disk' needs the write-ahead log, which is not loaded: import '@fiat/core/durable' (once, e.g. next to the logger's configure) before configure(…, { durability: 'disk' })";

/**
 * Opens the write-ahead log registered by `@fiat/core/durable`. Throws `CONFIG_INVALID` ({@link DURABLE_NOT_LOADED})
 * when none is registered.
 *
 * @example
 * ```ts
 * const wal = openWriteAheadLog({ ...resolveWalOptions({ durability: 'disk' }, 'billing')!, transport });
 * ```
 */
export function openWriteAheadLog(options: WriteAheadLogOptions): WriteAheadLog {
  if (opener === undefined) throw new FiatError('CONFIG_INVALID', DURABLE_NOT_LOADED);
  return opener(options);
}
