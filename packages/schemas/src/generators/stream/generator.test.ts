import { mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Tree } from '@nx/devkit';
import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { defineStream, type DefineStreamOptions, type StreamDefinition } from '@fiat/core';
import type { z } from 'zod';
import { checkStreamFolder } from '../../folder.js';
import { checkGeneratedStreams } from '../../generate.js';
import { streamGenerator } from './generator.js';

const repoRoot = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../../../..');

/** The files of this repository the generator reads or must not overwrite, copied into the tree. */
async function seededTree(): Promise<Tree> {
  const tree = createTreeWithEmptyWorkspace();
  const roots = ['packages/schemas/src', 'schemas'];
  for (const root of roots) {
    for (const entry of await readdir(join(repoRoot, root), { recursive: true, withFileTypes: true })) {
      if (!entry.isFile() || entry.parentPath.includes('generators')) continue;
      const path = relative(repoRoot, join(entry.parentPath, entry.name));
      tree.write(path, await readFile(join(repoRoot, path), 'utf8'));
    }
  }
  return tree;
}

const temps: string[] = [];
afterEach(async () => {
  for (const dir of temps.splice(0)) await rm(dir, { recursive: true, force: true });
});

/** Writes the tree's files into a folder that resolves @fiat/core and zod, as the repository does. */
async function materialise(tree: Tree): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'fiat-generator-'));
  temps.push(dir);
  await mkdir(join(dir, 'node_modules', '@fiat'), { recursive: true });
  await symlink(join(repoRoot, 'packages', 'core'), join(dir, 'node_modules', '@fiat', 'core'), 'dir');
  await symlink(join(repoRoot, 'node_modules', 'zod'), join(dir, 'node_modules', 'zod'), 'dir');
  for (const change of tree.listChanges()) {
    if (change.type === 'DELETE' || change.content === null) continue;
    await mkdir(dirname(join(dir, change.path)), { recursive: true });
    await writeFile(join(dir, change.path), change.content);
  }
  return dir;
}

async function importFrom<T>(path: string): Promise<T> {
  return (await import(pathToFileURL(path).href)) as T;
}

describe('npx nx g @fiat/schemas:stream', () => {
  it('creates, registers and tests the stream, and builds it so that the drift check passes', async () => {
    // Prepare: the repository as it is (whatever streams it has), and a stream it has not
    const tree = await seededTree();
    const before = tree.listChanges().map((c) => c.path);
    // Act
    await streamGenerator(tree, { name: 'generator-probe', description: 'Written by the generator test.' });
    // Assess: the files
    const created = tree.listChanges().map((c) => c.path).filter((path) => !before.includes(path));
    expect(created.sort()).toEqual([
      'packages/schemas/src/definitions/GeneratorProbe.ts',
      'packages/schemas/src/generated/GeneratorProbe.ts',
      'packages/schemas/src/generated/GeneratorProbe.validator.ts',
      'packages/schemas/src/streams/GeneratorProbe.test.ts',
      'packages/schemas/src/streams/GeneratorProbe.ts',
      'schemas/GeneratorProbe/athena.json',
      'schemas/GeneratorProbe/json_schema.json',
    ]);
    const definitions = tree.read('packages/schemas/src/definitions.ts', 'utf-8') ?? '';
    expect(definitions).toMatch(/, generatorProbeDefinition\];/);
    expect(definitions.indexOf("import { generatorProbeDefinition }")).toBeLessThan(definitions.indexOf('export {'));
    expect(tree.read('packages/schemas/src/builtIn.ts', 'utf-8')).toMatch(/, GeneratorProbe\];/);

    // Assess: the registered package, loaded from the tree's files, is in sync with its Zod source
    const dir = await materialise(tree);
    const src = join(dir, 'packages', 'schemas', 'src');
    const { builtInDefinitions } = await importFrom<{ builtInDefinitions: DefineStreamOptions<z.ZodObject>[] }>(join(src, 'definitions.ts'));
    expect(builtInDefinitions.at(-1)?.name).toBe('GeneratorProbe');
    expect(await checkGeneratedStreams(join(src, 'generated'), builtInDefinitions)).toEqual([]);
    const fromZod = defineStream(builtInDefinitions.at(-1)!);
    expect(fromZod.description).toBe('Written by the generator test.');
    expect(await checkStreamFolder(join(dir, 'schemas'), fromZod)).toEqual([]);
    const index = await importFrom<{ GeneratorProbe: StreamDefinition; builtInStreams: StreamDefinition[] }>(join(src, 'index.ts'));
    expect(index.builtInStreams.at(-1)?.names.table).toBe('generator_probe');
    expect(index.GeneratorProbe.validate({ id: 'p-1', at: '2026-11-26T10:00:00.000Z' })).toEqual([]);
    expect(index.GeneratorProbe.validate({ id: '', at: 'yesterday' }).map((i) => i.path)).toEqual(['id', 'at']);
  });

  it('refuses a name that is taken or that cannot be a stream name', async () => {
    const tree = await seededTree();
    await expect(streamGenerator(tree, { name: 'Audit' })).rejects.toThrow(/stream Audit exists already \(packages\/schemas\/src\/definitions\/Audit.ts\)/);
    await expect(streamGenerator(tree, { name: 'FiatDeadletter' })).rejects.toThrow(/stream FiatDeadletter exists already \(schemas\/FiatDeadletter\)/);
    await expect(streamGenerator(tree, { name: '9lives' })).rejects.toMatchObject({ code: 'INVALID_DEFINITION' });
    expect(tree.exists('packages/schemas/src/streams/FiatDeadletter.ts')).toBe(false);
  });

  it('says where to run it when the workspace is not Fiat\'s', async () => {
    await expect(streamGenerator(createTreeWithEmptyWorkspace(), { name: 'PageView' })).rejects.toThrow(/run this generator at the root of Fiat's repository/);
  });
});
