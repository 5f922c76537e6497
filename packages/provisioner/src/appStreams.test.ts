import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { StreamDefinition, ValidatedLog as ValidatedLogClass } from '@fiat/core';
import { builtInStreams } from '@fiat/schemas';
import { runFiat, tempProject, type FiatRun } from './test-helpers.js';

// "Adding a stream" in an application, exactly as packages/schemas/README.md documents it:
// a definitions module named in fiat.config.json → fiat schemas build → the app imports the generated
// module and logs by name → fiat query answers → fiat schemas check catches drift.

const STREAMS_TS = `import { z } from 'zod';
import { defineStream } from '@fiat/core';

export const PageView = defineStream({
  name: 'PageView',
  description: 'One page view.',
  schema: z.object({ url: z.string(), at: z.iso.datetime(), referrer: z.string().optional(), props: z.unknown() }),
});
`;

const CONFIG = `{ "streamModules": ["src/streams.ts"] }\n`;

const projects: string[] = [];
afterEach(async () => {
  for (const dir of projects.splice(0)) await rm(dir, { recursive: true, force: true });
});

async function project(files: Record<string, string>): Promise<{ dir: string; fiat: (...argv: string[]) => Promise<FiatRun> }> {
  const dir = await tempProject(files);
  projects.push(dir);
  return { dir, fiat: (...argv) => runFiat(argv, { cwd: dir, env: {} }) };
}

async function importFrom<T>(path: string): Promise<T> {
  return (await import(pathToFileURL(path).href)) as T;
}

describe('an application stream, by the documented steps', () => {
  it('is built, logged by name, queried with fiat query and checked for drift', async () => {
    // Prepare: the definitions module and fiat.config.json
    const { dir, fiat } = await project({ 'src/streams.ts': STREAMS_TS, 'fiat.config.json': CONFIG });

    // Act 1: fiat schemas build
    const build = await fiat('schemas', 'build');
    expect(build.stderr).toBe('');
    expect(build.code).toBe(0);
    expect(build.stdout).toContain(`wrote ${join(dir, 'schemas', 'PageView')}`);
    expect((await readdir(join(dir, 'src', 'generated'))).sort()).toEqual(['PageView.ts', 'PageView.validator.ts']);
    const generated = await readFile(join(dir, 'src', 'generated', 'PageView.ts'), 'utf8');
    expect(generated).toContain("import type { PageView as PageViewSource } from '../streams.js';");
    expect(generated).not.toMatch(/from 'zod'/);
    const athena = JSON.parse(await readFile(join(dir, 'schemas', 'PageView', 'athena.json'), 'utf8'));
    expect(athena.table).toBe('page_view');

    // Act 2: the application imports the generated module and logs by name
    const { ValidatedLog } = await importFrom<{ ValidatedLog: typeof ValidatedLogClass }>(join(dir, 'node_modules', '@fiat', 'core', 'src', 'index.ts'));
    const { PageView } = await importFrom<{ PageView: StreamDefinition }>(join(dir, 'src', 'generated', 'PageView.ts'));
    const logger = ValidatedLog.configure('local', { app: 'web', email: 'web@example.com', streams: [PageView], lakeDir: join(dir, '.fiat', 'lake') });
    logger.log('PageView', { url: '/', at: '2026-11-26T10:00:00.000Z', props: { ab: 'B' } });
    logger.log('PageView', { url: '/pricing', at: '2026-11-26T10:00:01.000Z', referrer: '/', props: { ab: 'A' } });
    expect(() => logger.log('PageView', { urll: '/', at: '2026-11-26T10:00:00.000Z', props: {} })).toThrow(/url/);
    await logger.close();

    // Act 3: fiat query sees the stream like a built-in one
    const query = await fiat('query', "SELECT url, referrer, json_extract_scalar(props, '$.ab') AS ab FROM page_view ORDER BY url", '--json');
    expect(query.stderr).toBe('');
    expect(JSON.parse(query.stdout)).toEqual([
      { url: '/', referrer: null, ab: 'B' },
      { url: '/pricing', referrer: '/', ab: 'A' },
    ]);

    // Assess: check passes, then catches a definition that changed without a build
    expect(await fiat('schemas', 'check')).toMatchObject({ code: 0, stdout: expect.stringContaining('match the stream definitions') });
    await writeFile(join(dir, 'src', 'streams.ts'), STREAMS_TS.replace('url: z.string()', 'url: z.string(), title: z.string().optional()'));
    const drift = await fiat('schemas', 'check');
    expect(drift.code).toBe(1);
    for (const file of ['schemas/PageView/json_schema.json', 'schemas/PageView/athena.json', 'src/generated/PageView.ts', 'src/generated/PageView.validator.ts']) {
      expect(drift.stderr).toContain(join(dir, file));
    }
    expect(drift.stderr).not.toContain('Audit');
  });

  it('is seen by create-table, create-stream, iam and smoke', async () => {
    // Prepare
    const { dir, fiat } = await project({ 'src/streams.ts': STREAMS_TS, 'fiat.config.json': CONFIG });
    const aws = ['--config', join(dir, 'aws.json')];
    await writeFile(
      join(dir, 'aws.json'),
      JSON.stringify({ streamModules: ['src/streams.ts'], region: 'eu-west-1', bucket: 'acme-lake', roleArn: 'arn:aws:iam::123456789012:role/fiat-firehose' }),
    );
    // Act
    const ddl = await fiat('create-table', 'PageView', '--dry-run', ...aws);
    const stream = await fiat('create-stream', 'PageView', '--dry-run', '--json', ...aws);
    const iam = await fiat('iam', 'PageView', '--json', ...aws);
    const smoke = await fiat('smoke', 'PageView', '--wait');
    // Assess
    expect(ddl.stdout).toMatch(/CREATE EXTERNAL TABLE IF NOT EXISTS `fiat`\.`page_view`/);
    expect(ddl.stdout).toMatch(/`referrer`\s+string,/);
    expect(JSON.parse(stream.stdout).request.DeliveryStreamName).toBe('fiat-page_view');
    expect(iam.stdout).toContain('arn:aws:firehose:eu-west-1:123456789012:deliverystream/fiat-page_view');
    expect(smoke.code).toBe(0);
    expect(smoke.stderr).toMatch(/sent PageView record .* via local/);
    const rows = JSON.parse((await fiat('query', 'SELECT count(*) AS n FROM page_view', '--json')).stdout);
    expect(rows).toEqual([{ n: 1 }]);
  });

  it('accepts a JavaScript definitions module and writes .mjs modules for it', async () => {
    // Prepare
    const { dir, fiat } = await project({ 'lib/streams.mjs': STREAMS_TS, 'fiat.config.json': '{ "streamModules": ["lib/streams.mjs"] }' });
    // Act
    const build = await fiat('schemas', 'build');
    // Assess
    expect(build.code).toBe(0);
    expect((await readdir(join(dir, 'lib', 'generated'))).sort()).toEqual(['PageView.mjs', 'PageView.validator.mjs']);
    const { PageView } = await importFrom<{ PageView: StreamDefinition }>(join(dir, 'lib', 'generated', 'PageView.mjs'));
    expect(PageView.validate({ url: 7, at: 'yesterday' }).map((i) => i.path).sort()).toEqual(['at', 'props', 'url']);
    expect((await fiat('schemas', 'check')).code).toBe(0);
  });

  it('takes the modules from --streams or FIAT_STREAMS instead of the file', async () => {
    const { dir } = await project({ 'src/streams.ts': STREAMS_TS });
    const sql = 'SELECT count(*) AS n FROM page_view';
    const flag = await runFiat(['query', sql, '--streams', 'src/streams.ts'], { cwd: dir, env: {} });
    const env = await runFiat(['query', sql], { cwd: dir, env: { FIAT_STREAMS: join(dir, 'src', 'streams.ts') } });
    const none = await runFiat(['smoke', 'PageView'], { cwd: dir, env: {} });
    expect(flag).toMatchObject({ code: 0, stderr: '' });
    expect(env).toMatchObject({ code: 0, stderr: '' });
    expect(none).toMatchObject({ code: 2, stderr: expect.stringContaining(`unknown stream 'PageView' (known: ${builtInStreams.map((s) => s.name).join(', ')})`) });
  });
});
