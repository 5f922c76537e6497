import { stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { DeadLetter, defineStream, FiatCheckpoint, type StreamDefinition } from '@fiat/core';
import { checkStreamFolder, writeStreamFolder } from '@fiat/schemas';
import { builtInDefinitions, checkGeneratedStreams, writeGeneratedStreams } from '@fiat/schemas/definitions';
import { EXIT, UsageError, type Command } from '../command.js';

/** Where Fiat's own repository keeps the precompiled built-in streams, relative to its root. */
const GENERATED_IN_REPO = join('packages', 'schemas', 'src', 'generated');

/** `fiat schemas build|check`: the seed-format folders (and, in Fiat's repository, the precompiled streams). */
export const schemasCommand: Command = {
  name: 'schemas',
  summary: 'Write (build) or verify (check) the schemas/<Stream>/ folders from the Zod stream definitions',
  usage: 'fiat schemas build|check [--schemas-dir DIR] [--generated-dir DIR]',
  examples: [
    'fiat schemas build',
    'fiat schemas check   # exits 1 when a committed folder or precompiled stream drifted from its Zod source',
  ],
  options: { 'generated-dir': { type: 'string' } },
  async run(positionals, values, context, config) {
    const action = positionals[0];
    if (action !== 'build' && action !== 'check') throw new UsageError(`schemas needs 'build' or 'check', got '${action ?? ''}'`);
    const resolved = await config();
    // Folders follow the Zod source, not the precompiled modules that may be stale.
    const streams: StreamDefinition<any>[] = [...builtInDefinitions.map((d) => defineStream(d)), DeadLetter, FiatCheckpoint];
    const flag = values['generated-dir'] as string | undefined;
    const candidate = resolve(context.cwd, flag ?? GENERATED_IN_REPO);
    const generatedDir = flag !== undefined || (await isDirectory(candidate)) ? candidate : undefined;
    if (action === 'build') {
      for (const stream of streams) context.stdout(`wrote ${await writeStreamFolder(resolved.schemasDir, stream)}\n`);
      if (generatedDir !== undefined) {
        for (const file of await writeGeneratedStreams(generatedDir, builtInDefinitions)) context.stdout(`wrote ${file}\n`);
      }
      return EXIT.OK;
    }
    const drift: string[] = [];
    for (const stream of streams) drift.push(...(await checkStreamFolder(resolved.schemasDir, stream)));
    if (generatedDir !== undefined) drift.push(...(await checkGeneratedStreams(generatedDir, builtInDefinitions)));
    if (drift.length > 0) {
      context.stderr(`fiat schemas: drifted from the Zod stream definitions: ${drift.join(', ')} (run: fiat schemas build)\n`);
      return EXIT.FAILED;
    }
    context.stdout(`schema folders${generatedDir !== undefined ? ' and precompiled streams' : ''} match the stream definitions (${streams.length} streams)\n`);
    return EXIT.OK;
  },
};

async function isDirectory(path: string): Promise<boolean> {
  return stat(path).then(
    (s) => s.isDirectory(),
    () => false,
  );
}
