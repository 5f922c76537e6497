import { stat } from 'node:fs/promises';
import { basename, dirname, extname, join, relative, resolve, sep } from 'node:path';
import { DeadLetter, defineStream, FiatCheckpoint, type StreamDefinition } from '@fiat/core';
import { checkStreamFolder, writeStreamFolder } from '@fiat/schemas';
import {
  builtInDefinitions,
  checkGeneratedStreams,
  writeGeneratedStreams,
  type GeneratableStream,
  type GeneratedStreamOptions,
} from '@fiat/schemas/definitions';
import { EXIT, UsageError, type CliContext, type Command } from '../command.js';
import { formatTable } from '../format.js';
import { redactionRows } from '../redaction.js';
import type { ModuleStream } from '../streamModules.js';
import { applicationStreams } from '../streams.js';

/** Where Fiat's own repository keeps the precompiled built-in streams, relative to its root. */
const GENERATED_IN_REPO = join('packages', 'schemas', 'src', 'generated');

/** A folder of precompiled stream modules and the streams written into it. */
interface GeneratedTarget {
  readonly dir: string;
  readonly streams: readonly GeneratableStream[];
  readonly options: GeneratedStreamOptions;
}

const RUNTIME_EXTENSION: Record<string, string> = { '.ts': '.js', '.mts': '.mjs', '.cts': '.cjs' };

/**
 * Where an application stream's precompiled module goes: `generated/` next to the module that
 * defines it, in TypeScript when that module is TypeScript (typed from its export), else as `.mjs`.
 */
function applicationTarget(stream: ModuleStream, cwd: string): GeneratedTarget {
  const ext = extname(stream.module);
  const runtimeExt = RUNTIME_EXTENSION[ext];
  return {
    dir: join(dirname(stream.module), 'generated'),
    streams: [stream.definition],
    options: {
      language: runtimeExt === undefined ? 'js' : 'ts',
      source: {
        specifier: `../${basename(stream.module, ext)}${runtimeExt ?? ext}`,
        exportName: stream.exportName,
        exportKind: 'stream',
        label: relative(cwd, stream.module).split(sep).join('/'),
      },
    },
  };
}

async function isDirectory(path: string): Promise<boolean> {
  return stat(path).then(
    (s) => s.isDirectory(),
    () => false,
  );
}

/** `fiat schemas build|check`: the seed-format folders and the precompiled stream modules. */
export const schemasCommand: Command = {
  name: 'schemas',
  summary: 'Write (build) or verify (check) the schemas/<Stream>/ folders and precompiled modules from the Zod stream definitions; list every column and its redaction',
  usage: 'fiat schemas build|check|list [--schemas-dir DIR] [--streams MODULE] [--generated-dir DIR] [--json]',
  examples: [
    'fiat schemas build   # schemas/<Stream>/ for every stream; <module dir>/generated/<Stream>.ts for your streamModules',
    'fiat schemas check   # exits 1 when a committed folder or precompiled module drifted from its Zod source',
    'fiat schemas list    # every stream: its columns, their types and what is stored instead of redacted input',
  ],
  options: { 'generated-dir': { type: 'string' }, json: { type: 'boolean' } },
  async run(positionals, values, context, config) {
    const action = positionals[0];
    if (action !== 'build' && action !== 'check' && action !== 'list') throw new UsageError(`schemas needs 'build', 'check' or 'list', got '${action ?? ''}'`);
    const resolved = await config();
    const application = await applicationStreams(resolved);
    // Folders follow the Zod source, not the precompiled modules that may be stale.
    const streams: StreamDefinition<any>[] = [...builtInDefinitions.map((d) => defineStream(d)), DeadLetter, FiatCheckpoint, ...application.map((s) => s.definition)];
    const targets = application.map((s) => applicationTarget(s, context.cwd));
    const flag = values['generated-dir'] as string | undefined;
    const builtInDir = resolve(context.cwd, flag ?? GENERATED_IN_REPO);
    if (flag !== undefined || (await isDirectory(builtInDir))) targets.unshift({ dir: builtInDir, streams: builtInDefinitions, options: {} });
    if (action === 'list') return listStreams(streams, values.json === true, context);
    if (action === 'build') {
      for (const stream of streams) {
        context.stdout(`wrote ${await writeStreamFolder(resolved.schemasDir, stream)}\n`);
        for (const row of redactionRows(stream).filter((r) => r.redaction !== '-')) context.stdout(`  ${row.column}: ${row.redaction}\n`);
      }
      for (const target of targets) {
        for (const file of await writeGeneratedStreams(target.dir, target.streams, target.options)) context.stdout(`wrote ${file}\n`);
      }
      return EXIT.OK;
    }
    const drift: string[] = [];
    for (const stream of streams) drift.push(...(await checkStreamFolder(resolved.schemasDir, stream)));
    for (const target of targets) drift.push(...(await checkGeneratedStreams(target.dir, target.streams, target.options)));
    if (drift.length > 0) {
      context.stderr(`fiat schemas: drifted from the Zod stream definitions: ${drift.join(', ')} (run: fiat schemas build)\n`);
      return EXIT.FAILED;
    }
    context.stdout(`schema folders${targets.length > 0 ? ' and precompiled streams' : ''} match the stream definitions (${streams.length} streams)\n`);
    return EXIT.OK;
  },
};

/** `fiat schemas list`: each stream's columns, types and redaction, as tables (or JSON with --json). */
function listStreams(streams: readonly StreamDefinition<any>[], json: boolean, context: CliContext): number {
  if (json) {
    context.stdout(`${JSON.stringify(streams.map((s) => ({ stream: s.name, table: s.names.table, columns: redactionRows(s) })), null, 2)}\n`);
    return EXIT.OK;
  }
  for (const stream of streams) {
    context.stdout(`${stream.name} (table ${stream.names.table})\n`);
    context.stdout(formatTable({ columns: ['column', 'type', 'redaction'], rows: redactionRows(stream) }));
  }
  return EXIT.OK;
}
