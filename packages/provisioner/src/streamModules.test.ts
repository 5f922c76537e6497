import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { builtInStreams } from '@fiat/schemas';
import { loadConfig } from './config.js';
import { isStreamDefinition, loadStreamModules } from './streamModules.js';
import { collectStreams } from './streams.js';
import { tempProject } from './test-helpers.js';

const define = (name: string, field = 'url') =>
  `export const ${name} = defineStream({ name: '${name}', schema: z.object({ ${field}: z.string() }) });\n`;
const HEADER = `import { z } from 'zod';\nimport { defineStream } from '@fiat/core';\n`;

const projects: string[] = [];
afterEach(async () => {
  for (const dir of projects.splice(0)) await rm(dir, { recursive: true, force: true });
});

async function project(files: Record<string, string>): Promise<string> {
  const dir = await tempProject(files);
  projects.push(dir);
  return dir;
}

describe('loadStreamModules', () => {
  it('collects every exported definition once, under its own name or else its first export name', async () => {
    // Prepare: a schema export (ignored), an alias of the same definition, and a second module
    const dir = await project({
      'a.mjs': `${HEADER}export const pageViewSchema = z.object({ url: z.string() });\n${define('PageView')}export { PageView as Alias };\n`,
      'b.mjs': `${HEADER}const Signup = defineStream({ name: 'Signup', schema: z.object({ user_id: z.string() }) });\nexport { Signup as signupStream, Signup as zz };\n`,
    });
    // Act
    const streams = await loadStreamModules([join(dir, 'a.mjs'), join(dir, 'b.mjs')]);
    // Assess
    expect(streams.map((s) => `${s.definition.name} ${s.exportName} ${s.module}`)).toEqual([
      `PageView PageView ${join(dir, 'a.mjs')}`,
      `Signup signupStream ${join(dir, 'b.mjs')}`,
    ]);
  });

  it.each([
    ['a missing module', {}, 'missing.mjs', /stream module .*missing\.mjs does not exist/],
    ['a module without definitions', { 'empty.mjs': 'export const x = 1;\n' }, 'empty.mjs', /exports no stream definition \(export what defineStream returns\)/],
    ['a module that fails to load', { 'broken.mjs': "import './nowhere.mjs';\n" }, 'broken.mjs', /cannot import stream module .*broken\.mjs: .*nowhere/],
  ])('refuses %s with CONFIG_INVALID', async (_label, files: Record<string, string>, file, message) => {
    const dir = await project(files);
    await expect(loadStreamModules([join(dir, file)])).rejects.toMatchObject({ code: 'CONFIG_INVALID', message: expect.stringMatching(message) });
  });

  it('keeps the code of a definition that is itself invalid, naming the module', async () => {
    const dir = await project({ 'bad.mjs': `${HEADER}export const Bad = defineStream({ name: 'Bad', schema: z.object({ n: z.bigint() }) });\n` });
    await expect(loadStreamModules([join(dir, 'bad.mjs')])).rejects.toMatchObject({
      code: 'INVALID_DEFINITION',
      message: expect.stringMatching(/^stream module .*bad\.mjs: field 'n' is a BigInt/),
    });
  });

  it('refuses two different streams with the same name', async () => {
    const dir = await project({ 'a.mjs': `${HEADER}${define('PageView')}`, 'b.mjs': `${HEADER}${define('PageView', 'path')}` });
    await expect(loadStreamModules([join(dir, 'a.mjs'), join(dir, 'b.mjs')])).rejects.toThrow(/stream PageView is defined twice: .*a\.mjs \(PageView\) and .*b\.mjs \(PageView\)/);
  });

  it('tells a definition from other values', () => {
    expect(isStreamDefinition({ name: 'X', encode: () => '' })).toBe(false);
    expect(isStreamDefinition(null)).toBe(false);
  });
});

describe('collectStreams with streamModules', () => {
  it('lists application streams after the built-in ones and before schema folders', async () => {
    const dir = await project({ 'streams.mjs': `${HEADER}${define('PageView')}` });
    const config = await loadConfig({ cwd: dir, env: { FIAT_STREAMS: 'streams.mjs' } });
    expect((await collectStreams(config)).map((s) => s.names.table)).toEqual([...builtInStreams.map((s) => s.names.table), 'page_view']);
  });

  it('refuses an application stream named like a built-in one', async () => {
    const dir = await project({ 'streams.mjs': `${HEADER}${define('Audit')}` });
    const config = await loadConfig({ cwd: dir, env: { FIAT_STREAMS: 'streams.mjs' } });
    await expect(collectStreams(config)).rejects.toThrow(/defines Audit, the name of a built-in stream: rename it/);
  });
});
