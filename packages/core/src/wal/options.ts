// Owns the durability options of a logger: their documented defaults, their checks and where a logger's
// write-ahead folder is.
import { join } from 'node:path';
import { FiatError } from '../errors.js';
import { resolveDataDir } from '../dataDirs.js';

/**
 * Default group-commit window: 5 ms. Measured (bench/wal, docs/durability.md): one `fdatasync` takes 0.2–1 ms on SSD
 * and network block storage, so 5 ms bounds the rate at 200 fsyncs per second whatever the load (a small share of one
 * libuv thread and of the disk's IOPS), costs `log()` nothing, and keeps the power-loss window at a few milliseconds.
 */
export const DEFAULT_WAL_SYNC_MS = 5;
/** Default size at which a write-ahead segment is closed (and the transport flushed, then the segment deleted): 8 MiB. */
export const DEFAULT_WAL_SEGMENT_BYTES = 8 * 1024 * 1024;
/** Default age at which a non-empty write-ahead segment is closed: 60 s, as the local lake's buffer interval. */
export const DEFAULT_WAL_SEGMENT_MS = 60_000;
/** Default root of write-ahead folders when neither `walDir` nor `FIAT_WAL_DIR` is set (`/tmp/fiat-wal` in AWS Lambda). */
export const DEFAULT_WAL_DIR = '.fiat/wal';

/** Options of a logger's durability, taken by `ValidatedLog.configure` and `Audit.configure` with every transport. */
export interface DurabilityOptions {
  /**
   * `'memory'`: records wait in memory until the transport delivers them (a crash loses what is buffered).
   * `'disk'`: `log()` appends the stored line to a write-ahead file before it returns, and what a crash leaves
   * behind is delivered at the next `configure` with the same folder (duplicates at worst, never loss).
   * Default: `'memory'`.
   */
  readonly durability?: 'memory' | 'disk';
  /**
   * Root of write-ahead folders; the logger's own is `<walDir>/<app>` (characters outside `A-Z a-z 0-9 . _ -`
   * replaced by `_`). Only used with `durability: 'disk'`. Default: `FIAT_WAL_DIR`, else
   * `/tmp/fiat-wal` in AWS Lambda, else `.fiat/wal`.
   */
  readonly walDir?: string;
  /**
   * Group commit: one `fdatasync` covers every record appended within this many milliseconds. `0` syncs inside
   * every `log()` (each returned record survives power loss; far slower). Only used with `durability: 'disk'`.
   * Default: 5.
   */
  readonly walSyncMs?: number;
  /** Bytes of a write-ahead segment before it is closed. Only used with `durability: 'disk'`. Default: 8 MiB. */
  readonly walSegmentBytes?: number;
  /** Milliseconds before a non-empty segment is closed. Only used with `durability: 'disk'`. Default: 60,000. */
  readonly walSegmentMs?: number;
}

/** The option keys of {@link DurabilityOptions}, for option routing. */
export const DURABILITY_OPTION_KEYS: readonly string[] = ['durability', 'walDir', 'walSyncMs', 'walSegmentBytes', 'walSegmentMs'];

/** Durability options with every default applied (disk mode only). */
export interface ResolvedWalOptions {
  /** The logger's own write-ahead folder, absolute. */
  readonly dir: string;
  readonly syncMs: number;
  readonly segmentBytes: number;
  readonly segmentMs: number;
}

function nonNegative(value: unknown, option: string, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min) {
    throw new FiatError('CONFIG_INVALID', `option ${option} must be a number >= ${min}, got ${JSON.stringify(value)}`);
  }
  return value;
}

/**
 * The folder name a logger's `app` gives its write-ahead log: characters outside `A-Z a-z 0-9 . _ -` become `_`,
 * a leading `.` becomes `_`, at most 100 characters.
 *
 * @example
 * ```ts
 * walFolderName('billing');     // 'billing'
 * walFolderName('../etc/x y');  // '_._etc_x_y'
 * ```
 */
export function walFolderName(app: string): string {
  const safe = app.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 100);
  return safe.startsWith('.') ? `_${safe.slice(1)}` : safe;
}

/**
 * Checks the durability options and resolves them: `undefined` in memory mode (the other options are then checked
 * and ignored, so that one configuration can switch modes), the write-ahead settings in disk mode. Throws
 * `CONFIG_INVALID` naming the option.
 *
 * @example
 * ```ts
 * resolveWalOptions({ durability: 'disk' }, 'billing'); // { dir: '/srv/app/.fiat/wal/billing', syncMs: 5, … }
 * ```
 */
export function resolveWalOptions(options: DurabilityOptions, app: string): ResolvedWalOptions | undefined {
  const durability = options.durability ?? 'memory';
  if (durability !== 'memory' && durability !== 'disk') {
    throw new FiatError('CONFIG_INVALID', `option durability must be 'memory' or 'disk', got ${JSON.stringify(options.durability)}`);
  }
  if (options.walDir !== undefined && (typeof options.walDir !== 'string' || options.walDir.length === 0)) {
    throw new FiatError('CONFIG_INVALID', `option walDir must be a non-empty string, got ${JSON.stringify(options.walDir)}`);
  }
  const syncMs = nonNegative(options.walSyncMs, 'walSyncMs', DEFAULT_WAL_SYNC_MS, 0);
  const segmentBytes = nonNegative(options.walSegmentBytes, 'walSegmentBytes', DEFAULT_WAL_SEGMENT_BYTES, 1);
  const segmentMs = nonNegative(options.walSegmentMs, 'walSegmentMs', DEFAULT_WAL_SEGMENT_MS, 1);
  if (durability === 'memory') return undefined;
  // FIAT_WAL_DIR, else .fiat/wal here, or /tmp/fiat-wal in AWS Lambda (the only writable folder there).
  const root = resolveDataDir('wal', options.walDir);
  return { dir: join(root, walFolderName(app)), syncMs, segmentBytes, segmentMs };
}
