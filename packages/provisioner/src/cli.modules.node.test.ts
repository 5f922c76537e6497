import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from './test-helpers.js';

// The built CLI (`npm run build` makes it), run as a user runs it, with a loader hook that lists every
// module it loads: each command loads only what it needs.

const run = promisify(execFile);
const FIAT = join(repoRoot, 'packages', 'provisioner', 'bin', 'fiat.js');

const HOOKS = `import { writeSync } from 'node:fs';
export async function load(url, context, next) {
  writeSync(2, 'module:' + url + '\\n');
  return next(url, context);
}
`;
const REGISTER = (hooks: string) => `import { writeSync } from 'node:fs';
import { createRequire, register } from 'node:module';
register(${JSON.stringify(pathToFileURL(hooks).href)});
const require = createRequire(import.meta.url);
process.on('exit', () => { for (const path of Object.keys(require.cache)) writeSync(2, 'module:' + path + '\\n'); });
`;

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fiat-cli-modules-'));
  await writeFile(join(dir, 'hooks.mjs'), HOOKS);
  await writeFile(join(dir, 'register.mjs'), REGISTER(join(dir, 'hooks.mjs')));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The modules `fiat …args` loads (ES modules as they load, CommonJS ones at exit). */
async function modulesLoaded(args: string[]): Promise<string[]> {
  const { stderr } = await run(process.execPath, ['--import', pathToFileURL(join(dir, 'register.mjs')).href, FIAT, ...args], { cwd: dir });
  return stderr.split('\n').filter((line) => line.startsWith('module:'));
}

const HEAVY = ['/zod/', '/ajv/', '/ajv-formats/', '/@aws-sdk/', '/@duckdb/'];
const heavyIn = (modules: string[], allowed: string[] = []): string[] =>
  HEAVY.filter((heavy) => !allowed.includes(heavy) && modules.some((m) => m.includes(heavy)));

describe('what the built CLI loads', () => {
  it('fiat --help loads no command, no @fiat package and none of Zod, ajv, the AWS SDK or DuckDB', async () => {
    const modules = await modulesLoaded(['--help']);
    // The hook reports what loads: the CLI itself at least (otherwise the absences below would prove nothing).
    expect(modules.some((m) => m.includes('/packages/provisioner/'))).toBe(true);
    expect(heavyIn(modules)).toEqual([]);
    expect(modules.filter((m) => m.includes('/packages/core/') || m.includes('/packages/schemas/'))).toEqual([]);
  });

  it('fiat query loads DuckDB, and neither Zod nor ajv nor the AWS SDK', async () => {
    const modules = await modulesLoaded(['query', 'SELECT 1 AS one', '--json', '--lake-dir', join(dir, 'lake')]);
    expect(heavyIn(modules, ['/@duckdb/'])).toEqual([]);
    // The build's one-file copy of @duckdb/node-api (dist/duckdb-node-api.cjs), not the package's ~180 files.
    expect(modules.some((m) => m.endsWith('/dist/duckdb-node-api.cjs'))).toBe(true);
    expect(modules.some((m) => m.includes('/@duckdb/node-bindings/'))).toBe(true);
    expect(modules.filter((m) => m.includes('/@duckdb/node-api/'))).toEqual([]);
  });

  it('the bundled @duckdb/node-api needs the @duckdb/node-bindings version this package depends on', async () => {
    const own = JSON.parse(await readFile(join(repoRoot, 'packages', 'provisioner', 'package.json'), 'utf8'));
    const api = JSON.parse(await readFile(join(repoRoot, 'node_modules', '@duckdb', 'node-api', 'package.json'), 'utf8'));
    expect(own.dependencies['@duckdb/node-api']).toBe(api.version);
    expect(own.dependencies['@duckdb/node-bindings']).toBe(api.dependencies['@duckdb/node-bindings']);
  });
});
