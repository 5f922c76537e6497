import { execFile } from 'node:child_process';
import { readdir, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, runFiat, tempProject } from './test-helpers.js';

// The documented steps with the built packages on the Node running this suite (CI runs it on
// Node 20, 22 and 24), as a user runs them: the `fiat` CLI with no vitest module loader between it
// and the application's modules, and tsc against the built declarations. Needs the build
// (`npm ci` and `npm run build` make it).

const run = promisify(execFile);
const FIAT = join(repoRoot, 'packages', 'provisioner', 'bin', 'fiat.js');
const nodeHasTypeScript = Boolean((process as { features?: { typescript?: unknown } }).features?.typescript);

const STREAMS = `import { z } from 'zod';
import { defineStream } from '@fiat/core';

export const PageView = defineStream({
  name: 'PageView',
  schema: z.object({ url: z.string(), at: z.iso.datetime(), props: z.unknown() }),
});
`;

// The application: logs through the generated module, then lists what it loaded. Zod or ajv's
// compiler in that list would mean the precompiled path was not taken.
const APP = `import { createRequire } from 'node:module';
import { ValidatedLog } from '@fiat/core';
import { PageView } from './generated/PageView.mjs';

const logger = ValidatedLog.configure('local', { app: 'web', email: 'web@example.com', streams: [PageView] });
logger.log('PageView', { url: '/', at: '2026-11-26T10:00:00.000Z', props: { ab: 'B' } });
logger.log('PageView', { url: '/about', at: '2026-11-26T10:00:01.000Z', props: null });
await logger.close();
process.stdout.write(JSON.stringify(Object.keys(createRequire(import.meta.url).cache)));
`;

// A strict TypeScript application: the @ts-expect-error lines must be errors, and nothing else.
const APP_TS = `import { ValidatedLog } from '@fiat/core';
import { PageView } from './generated/PageView.js';

const logger = ValidatedLog.configure('local', { app: 'web', email: 'web@example.com', streams: [PageView] });
logger.log('PageView', { url: '/', at: new Date().toISOString(), props: { ab: 'B' } });
// @ts-expect-error — misspelt field
logger.log('PageView', { urll: '/', at: new Date().toISOString(), props: {} });
// @ts-expect-error — unknown stream name
logger.log('PageVeiw', { url: '/', at: new Date().toISOString(), props: {} });
await logger.close();
`;

const TSCONFIG = JSON.stringify({
  compilerOptions: { module: 'nodenext', strict: true, noEmit: true, noUnusedLocals: true, skipLibCheck: true, types: [] },
  include: ['src'],
});

// Records every module the ES loader resolves, so ESM imports of zod would show as well.
const HOOKS = `export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  process.stderr.write('resolved ' + result.url + '\\n');
  return result;
}
`;

let dir: string;

async function fiat(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [FIAT, ...argv], { cwd: dir });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

beforeAll(async () => {
  await stat(join(repoRoot, 'packages', 'provisioner', 'dist', 'cli.mjs')).catch(() => {
    throw new Error('the fiat CLI is not built: run npm run build first');
  });
  dir = await tempProject({
    'fiat.config.json': '{ "streamModules": ["src/streams.mjs"] }\n',
    'src/streams.mjs': STREAMS,
    'src/app.mjs': APP,
    'hooks.mjs': HOOKS,
    'register.mjs': "import { register } from 'node:module';\nregister('./hooks.mjs', import.meta.url);\n",
    'package.json': '{ "type": "module" }\n',
  });
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe(`the documented steps with the built CLI on Node ${process.version}`, () => {
  it('builds, logs without loading Zod or the ajv compiler, queries and checks', { timeout: 120_000 }, async () => {
    // Act 1: fiat schemas build
    const build = await fiat('schemas', 'build');
    expect(build.code).toBe(0);
    expect((await readdir(join(dir, 'src', 'generated'))).sort()).toEqual(['PageView.mjs', 'PageView.validator.mjs']);

    // Act 2: the application, with every loaded module recorded
    const app = await run(process.execPath, ['--import', './register.mjs', 'src/app.mjs'], { cwd: dir });
    const loaded = [...(JSON.parse(app.stdout) as string[]), ...app.stderr.split('\n').filter((l) => l.startsWith('resolved '))];
    expect(loaded.some((m) => m.includes('PageView.validator.mjs'))).toBe(true);
    expect(loaded.filter((m) => /[/\\]zod[/\\]|ajv[/\\]dist[/\\](2020|core|compile)/.test(m))).toEqual([]);

    // Act 3: fiat query and fiat schemas check
    const query = await fiat('query', 'SELECT url, props FROM page_view ORDER BY url', '--json');
    expect(JSON.parse(query.stdout)).toEqual([
      { url: '/', props: '{"ab":"B"}' },
      { url: '/about', props: null },
    ]);
    expect(await fiat('schemas', 'check')).toMatchObject({ code: 0 });
  });

  it('gives a TypeScript application a typed module: it type-checks, a misspelt field or stream name does not', { timeout: 120_000 }, async () => {
    // Prepare: a TypeScript definitions module, built in-process (this Node may not import .ts itself)
    const ts = await tempProject({ 'src/streams.ts': STREAMS, 'src/app.ts': APP_TS, 'tsconfig.json': TSCONFIG, 'package.json': '{ "type": "module" }\n' });
    expect((await runFiat(['schemas', 'build', '--streams', 'src/streams.ts'], { cwd: ts, env: {} })).code).toBe(0);
    // Act
    const tsc = await run(process.execPath, [join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', ts]).then(
      () => ({ code: 0, stdout: '' }),
      (error: { code: number; stdout: string }) => error,
    );
    await rm(ts, { recursive: true, force: true });
    // Assess
    expect(tsc.stdout).toBe('');
    expect(tsc.code).toBe(0);
  });

  it(
    nodeHasTypeScript ? 'imports a TypeScript definitions module (Node strips the types)' : 'explains in one line that this Node cannot import a TypeScript definitions module',
    { timeout: 60_000 },
    async () => {
      // Prepare
      await writeFile(join(dir, 'src', 'streams.ts'), STREAMS);
      // Act
      const build = await fiat('schemas', 'build', '--streams', 'src/streams.ts');
      // Assess
      if (nodeHasTypeScript) {
        expect(build.code).toBe(0);
        expect((await readdir(join(dir, 'src', 'generated'))).sort()).toContain('PageView.ts');
      } else {
        expect(build.code).toBe(2);
        expect(build.stderr.split('\n').filter((l) => !l.includes('is deprecated'))[0]).toMatch(/cannot import the TypeScript stream module .*streams\.ts with Node v\d+.* use Node 22\.18 or later/);
      }
    },
  );
});
