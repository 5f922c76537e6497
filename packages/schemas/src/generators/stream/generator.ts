import { createRequire } from 'node:module';
import { runInThisContext } from 'node:vm';
import { joinPathFragments, names, type Tree } from '@nx/devkit';
import ts from 'typescript';
import { assertStreamName, defineStream, resolveStreamNames, type DefineStreamOptions } from '@fiat/core';
import type { z } from 'zod';
import { streamFolderFiles } from '../../folder.js';
import { generatedStreamFiles } from '../../generate.js';
import { addModuleLines, appendToArray } from './register.js';
import { definitionTemplate, streamTemplate, testTemplate, type StreamTemplateNames } from './templates.js';

/** Options of `npx nx g @fiat/schemas:stream <name>`. */
export interface StreamGeneratorOptions {
  /** The stream's name; any casing becomes PascalCase (`page-view` → `PageView`). Required. */
  readonly name: string;
  /** One line on what the stream records, written into `json_schema.json`. Default: `<Name> events.` */
  readonly description?: string;
}

/** Where this repository keeps the schemas package and the schema folders, from the workspace root. */
const PACKAGE = 'packages/schemas';
const SCHEMAS_DIR = 'schemas';

const requireHere = createRequire(import.meta.url);

function templateNames(options: StreamGeneratorOptions): StreamTemplateNames {
  const name = names(options.name).className;
  assertStreamName(name);
  return {
    name,
    property: names(name).propertyName,
    table: resolveStreamNames(name).table,
    description: options.description ?? `${name} events.`,
  };
}

/**
 * Runs the definition module just written to the tree: it exists nowhere else until the generator
 * returns. It imports only `zod` (and types), so transpiling it and evaluating it here is enough.
 */
function evaluateDefinition(tree: Tree, path: string, exportName: string): DefineStreamOptions<z.ZodObject> {
  const source = tree.read(path, 'utf-8') ?? '';
  const { outputText } = ts.transpileModule(source, {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
  });
  const module = { exports: {} as Record<string, unknown> };
  const run = runInThisContext(`(function (exports, require, module) {${outputText}\n})`, { filename: path }) as (
    exports: unknown,
    require: NodeJS.Require,
    module: unknown,
  ) => void;
  run(module.exports, requireHere, module);
  return module.exports[exportName] as DefineStreamOptions<z.ZodObject>;
}

/** `fiat schemas build` for the new stream: its precompiled module and its schema folder. */
function buildStream(tree: Tree, n: StreamTemplateNames): void {
  const definition = evaluateDefinition(tree, joinPathFragments(PACKAGE, 'src', 'definitions', `${n.name}.ts`), `${n.property}Definition`);
  for (const [file, text] of Object.entries(generatedStreamFiles(definition))) {
    tree.write(joinPathFragments(PACKAGE, 'src', 'generated', file), text);
  }
  for (const [file, text] of Object.entries(streamFolderFiles(defineStream(definition)))) {
    tree.write(joinPathFragments(SCHEMAS_DIR, n.name, file), text);
  }
}

/** Lists the stream in `builtInDefinitions`, `builtInStreams` and the package's exports. */
function registerStream(tree: Tree, n: StreamTemplateNames): void {
  const src = joinPathFragments(PACKAGE, 'src');
  addModuleLines(tree, joinPathFragments(src, 'definitions.ts'), 'import', [`import { ${n.property}Definition } from './definitions/${n.name}.js';`]);
  addModuleLines(tree, joinPathFragments(src, 'definitions.ts'), 'export', [`export { ${n.property}Schema } from './definitions/${n.name}.js';`]);
  appendToArray(tree, joinPathFragments(src, 'definitions.ts'), 'builtInDefinitions', `${n.property}Definition`);
  addModuleLines(tree, joinPathFragments(src, 'builtIn.ts'), 'import', [`import { ${n.name} } from './streams/${n.name}.js';`]);
  appendToArray(tree, joinPathFragments(src, 'builtIn.ts'), 'builtInStreams', n.name);
  addModuleLines(tree, joinPathFragments(src, 'index.ts'), 'export', [
    `export { ${n.name} } from './streams/${n.name}.js';`,
    `export type { ${n.name}Fields } from './streams/${n.name}.js';`,
  ]);
  addModuleLines(tree, joinPathFragments(src, 'definitionsEntry.ts'), 'export', [`export { ${n.property}Schema } from './definitions.js';`]);
}

/**
 * `npx nx g @fiat/schemas:stream <Name>`: adds a built-in stream to this repository — its Zod
 * definition (`src/definitions/<Name>.ts`, a starter schema to change), its registration, its
 * exported precompiled stream and a test — then builds it (`src/generated/<Name>*.ts`,
 * `schemas/<Name>/`), so `fiat schemas check` covers it at once.
 *
 * @example
 * ```ts
 * await streamGenerator(tree, { name: 'PageView', description: 'One page view of the web app.' });
 * ```
 */
export async function streamGenerator(tree: Tree, options: StreamGeneratorOptions): Promise<void> {
  const n = templateNames(options);
  const src = joinPathFragments(PACKAGE, 'src');
  if (!tree.exists(joinPathFragments(src, 'definitions.ts'))) {
    throw new Error(`${src}/definitions.ts not found: run this generator at the root of Fiat's repository`);
  }
  for (const taken of [joinPathFragments(src, 'definitions', `${n.name}.ts`), joinPathFragments(SCHEMAS_DIR, n.name)]) {
    if (tree.exists(taken)) throw new Error(`stream ${n.name} exists already (${taken})`);
  }
  tree.write(joinPathFragments(src, 'definitions', `${n.name}.ts`), definitionTemplate(n));
  tree.write(joinPathFragments(src, 'streams', `${n.name}.ts`), streamTemplate(n));
  tree.write(joinPathFragments(src, 'streams', `${n.name}.test.ts`), testTemplate(n));
  registerStream(tree, n);
  buildStream(tree, n);
}
