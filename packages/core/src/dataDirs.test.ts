import { describe, expect, it, vi } from 'vitest';
import { isAwsLambda, resolveDataDir } from './dataDirs.js';
import { resolveSpoolDir } from './firehose/Spool.js';
import { resolveLakeDir } from './transports/local.js';
import { resolveWalOptions } from './wal/options.js';

const lambda = { AWS_LAMBDA_FUNCTION_NAME: 'orders-api' };

describe('resolveDataDir', () => {
  it('uses .fiat/<name> under the working directory when nothing names a folder', () => {
    expect(resolveDataDir('spool', undefined, { env: {}, cwd: '/srv/app' })).toBe('/srv/app/.fiat/spool');
    expect(resolveDataDir('lake', undefined, { env: {}, cwd: '/srv/app' })).toBe('/srv/app/.fiat/lake');
  });

  it('uses /tmp/fiat-<name> in AWS Lambda, where only /tmp is writable', () => {
    expect(resolveDataDir('spool', undefined, { env: lambda, cwd: '/var/task' })).toBe('/tmp/fiat-spool');
    expect(resolveDataDir('lake', undefined, { env: lambda, cwd: '/var/task' })).toBe('/tmp/fiat-lake');
  });

  it('prefers the option, then the environment variable, in Lambda too', () => {
    expect(resolveDataDir('spool', 'spool', { env: { ...lambda, FIAT_SPOOL_DIR: '/mnt/efs/spool' }, cwd: '/var/task' })).toBe('/var/task/spool');
    expect(resolveDataDir('spool', undefined, { env: { ...lambda, FIAT_SPOOL_DIR: '/mnt/efs/spool' }, cwd: '/var/task' })).toBe('/mnt/efs/spool');
    expect(resolveDataDir('lake', undefined, { env: { ...lambda, FIAT_LAKE_DIR: 'lake' }, cwd: '/tmp' })).toBe('/tmp/lake');
  });

  it('treats an empty variable as unset', () => {
    expect(resolveDataDir('spool', undefined, { env: { FIAT_SPOOL_DIR: '', AWS_LAMBDA_FUNCTION_NAME: '' }, cwd: '/srv/app' })).toBe('/srv/app/.fiat/spool');
    expect(isAwsLambda({ AWS_LAMBDA_FUNCTION_NAME: '' })).toBe(false);
  });

  it('is the rule of resolveSpoolDir and resolveLakeDir', () => {
    expect(resolveSpoolDir(undefined, { env: lambda })).toBe('/tmp/fiat-spool');
    expect(resolveLakeDir(undefined, { env: lambda })).toBe('/tmp/fiat-lake');
    expect(resolveSpoolDir('/x/spool', { env: lambda })).toBe('/x/spool');
  });

  it('is the rule of the write-ahead folder: /tmp/fiat-wal/<app> in AWS Lambda, .fiat/wal/<app> elsewhere', () => {
    vi.stubEnv('AWS_LAMBDA_FUNCTION_NAME', 'orders-api');
    vi.stubEnv('FIAT_WAL_DIR', '');
    try {
      expect(resolveWalOptions({ durability: 'disk' }, 'orders')?.dir).toBe('/tmp/fiat-wal/orders');
      vi.stubEnv('AWS_LAMBDA_FUNCTION_NAME', '');
      expect(resolveWalOptions({ durability: 'disk' }, 'orders')?.dir).toBe(`${process.cwd()}/.fiat/wal/orders`);
    } finally {
      vi.unstubAllEnvs();
    }
  });
});
