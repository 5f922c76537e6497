// The '@fiat/core/durable' subpath: importing it makes `durability: 'disk'` available to ValidatedLog.configure and
// Audit.configure (it registers the write-ahead log). Loggers in memory mode, the default, never load this code:
//
//   import '@fiat/core/durable';
//   const logger = ValidatedLog.configure('local', { app: 'billing', email: 'team@example.com', durability: 'disk' });
import { registerWriteAheadLog } from '../wal/registry.js';
import { WriteAheadLog } from '../wal/WriteAheadLog.js';

registerWriteAheadLog((options) => WriteAheadLog.open(options));

export {
  DEFAULT_WAL_SYNC_MS,
  DEFAULT_WAL_SEGMENT_BYTES,
  DEFAULT_WAL_SEGMENT_MS,
  DEFAULT_WAL_DIR,
} from '../wal/options.js';
export type { DurabilityOptions } from '../wal/options.js';
export type { WalStats } from '../wal/WriteAheadLog.js';
