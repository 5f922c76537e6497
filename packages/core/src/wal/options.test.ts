import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_WAL_SEGMENT_BYTES, DEFAULT_WAL_SEGMENT_MS, DEFAULT_WAL_SYNC_MS, resolveWalOptions, walFolderName } from './options.js';

afterEach(() => vi.unstubAllEnvs());

describe('durability options', () => {
  it('are memory mode by default: nothing to resolve', () => {
    expect(resolveWalOptions({}, 'shop')).toBeUndefined();
  });

  it('default to .fiat/wal/<app> in disk mode, with a 5 ms group commit, 8 MiB and 60 s segments', () => {
    vi.stubEnv('FIAT_WAL_DIR', '');
    expect(resolveWalOptions({ durability: 'disk' }, 'shop')).toEqual({
      dir: resolve('.fiat/wal', 'shop'),
      syncMs: DEFAULT_WAL_SYNC_MS,
      segmentBytes: DEFAULT_WAL_SEGMENT_BYTES,
      segmentMs: DEFAULT_WAL_SEGMENT_MS,
    });
    expect([DEFAULT_WAL_SYNC_MS, DEFAULT_WAL_SEGMENT_BYTES, DEFAULT_WAL_SEGMENT_MS]).toEqual([5, 8 * 1024 * 1024, 60_000]);
  });

  it('take walDir over FIAT_WAL_DIR', () => {
    vi.stubEnv('FIAT_WAL_DIR', '/var/env-wal');
    expect(resolveWalOptions({ durability: 'disk' }, 'a')?.dir).toBe(join('/var/env-wal', 'a'));
    expect(resolveWalOptions({ durability: 'disk', walDir: '/srv/wal' }, 'a')?.dir).toBe(join('/srv/wal', 'a'));
  });

  it('make a folder name from any app that cannot leave the folder', () => {
    expect(walFolderName('billing')).toBe('billing');
    expect(walFolderName('../etc/passwd')).toBe('_._etc_passwd');
    expect(walFolderName('..')).toBe('_.');
    expect(walFolderName('.hidden')).toBe('_hidden');
    expect(walFolderName('a b/c\\d:é')).toBe('a_b_c_d__');
    expect(walFolderName('x'.repeat(300))).toHaveLength(100);
  });
});
