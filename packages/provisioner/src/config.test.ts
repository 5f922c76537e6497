import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from './config.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fiat-config-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('loadConfig: the AWS keys', () => {
  it('has defaults for serde, projection range and buffering', async () => {
    const config = await loadConfig({ cwd: dir, env: {} });
    expect(config).toMatchObject({ serde: 'hive', projectionRange: 'NOW-5YEARS,NOW', bufferSizeMB: 1, bufferIntervalSeconds: 60 });
    expect(config.endpoint).toBeUndefined();
  });

  it('reads them from fiat.config.json, then env, then flags', async () => {
    await writeFile(
      join(dir, 'fiat.config.json'),
      JSON.stringify({ serde: 'openx', projectionRange: '2024-01-01,NOW', bufferSizeMB: 64, bufferIntervalSeconds: 300, endpoint: 'http://127.0.0.1:4566' }),
    );
    const config = await loadConfig({ cwd: dir, env: { FIAT_BUFFER_INTERVAL_SECONDS: '0', FIAT_ATHENA_ENDPOINT: 'http://127.0.0.1:9000' }, flags: { serde: 'hive' } });
    expect(config).toMatchObject({
      serde: 'hive',
      projectionRange: '2024-01-01,NOW',
      bufferSizeMB: 64,
      bufferIntervalSeconds: 0,
      endpoint: 'http://127.0.0.1:4566',
      athenaEndpoint: 'http://127.0.0.1:9000',
    });
  });

  it.each([
    [{ FIAT_SERDE: 'xml' }, /config key serde must be hive or openx/],
    [{ FIAT_PROJECTION_RANGE: 'yesterday' }, /config key projectionRange must be/],
    [{ FIAT_BUFFER_SIZE_MB: '0' }, /config key bufferSizeMB must be an integer from 1 to 128, got "0"/],
    [{ FIAT_BUFFER_SIZE_MB: '1.5' }, /config key bufferSizeMB must be an integer/],
    [{ FIAT_BUFFER_INTERVAL_SECONDS: '901' }, /config key bufferIntervalSeconds must be an integer from 0 to 900/],
    [{ FIAT_ENDPOINT: 'ftp://x' }, /config key endpoint must be an http\(s\) URL/],
    [{ FIAT_FIREHOSE_ENDPOINT: "http://a'b" }, /config key firehoseEndpoint must be an http\(s\) URL/],
  ])('refuses %j with a one-line CONFIG_INVALID naming the key', async (env, message) => {
    await expect(loadConfig({ cwd: dir, env })).rejects.toMatchObject({ code: 'CONFIG_INVALID', message: expect.stringMatching(message) });
  });

  it('refuses a number key given as a string in the file', async () => {
    await writeFile(join(dir, 'fiat.config.json'), JSON.stringify({ bufferSizeMB: '5' }));
    await expect(loadConfig({ cwd: dir, env: {} })).rejects.toThrow('config key bufferSizeMB must be a number, got "5"');
  });
});

describe('loadConfig: streamModules', () => {
  it('resolves the modules of the file from the working directory; FIAT_STREAMS, then --streams, replace them', async () => {
    await writeFile(join(dir, 'fiat.config.json'), JSON.stringify({ streamModules: ['src/streams.ts', '/abs/more.mjs'] }));
    expect((await loadConfig({ cwd: dir, env: {} })).streamModules).toEqual([join(dir, 'src/streams.ts'), '/abs/more.mjs']);
    expect((await loadConfig({ cwd: dir, env: { FIAT_STREAMS: 'a.js, b.cjs' } })).streamModules).toEqual([join(dir, 'a.js'), join(dir, 'b.cjs')]);
    expect((await loadConfig({ cwd: dir, env: { FIAT_STREAMS: 'a.js' }, flags: { streamModules: 'c.mts' } })).streamModules).toEqual([join(dir, 'c.mts')]);
  });

  it('defaults to none', async () => {
    expect((await loadConfig({ cwd: dir, env: {} })).streamModules).toEqual([]);
  });

  it.each([
    [{ streamModules: 'src/streams.ts' }, /config key streamModules must be an array of module paths, got "src\/streams.ts"/],
    [{ streamModules: [''] }, /config key streamModules must be an array of module paths/],
    [{ streamModules: ['schemas/PageView/json_schema.json'] }, /streamModules: "schemas\/PageView\/json_schema.json" must end with .js, .mjs, .cjs, .ts, .mts, .cts/],
  ])('refuses %j', async (file, message) => {
    await writeFile(join(dir, 'fiat.config.json'), JSON.stringify(file));
    await expect(loadConfig({ cwd: dir, env: {} })).rejects.toMatchObject({ code: 'CONFIG_INVALID', message: expect.stringMatching(message) });
  });
});
