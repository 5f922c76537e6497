import { builtInStreams, checkStreamFolder, writeStreamFolder } from '@fiat/schemas';
import { EXIT, UsageError, type Command } from '../command.js';

/** `fiat schemas build|check`: the seed-format folders from the stream definitions. */
export const schemasCommand: Command = {
  name: 'schemas',
  summary: 'Write (build) or verify (check) the schemas/<Stream>/ folders from the stream definitions',
  usage: 'fiat schemas build|check [--schemas-dir DIR]',
  examples: ['fiat schemas build', 'fiat schemas check   # exits 1 when a committed folder drifted from its Zod source'],
  options: {},
  async run(positionals, _values, context, config) {
    const action = positionals[0];
    if (action !== 'build' && action !== 'check') throw new UsageError(`schemas needs 'build' or 'check', got '${action ?? ''}'`);
    const resolved = await config();
    if (action === 'build') {
      for (const stream of builtInStreams) context.stdout(`wrote ${await writeStreamFolder(resolved.schemasDir, stream)}\n`);
      return EXIT.OK;
    }
    const drift: string[] = [];
    for (const stream of builtInStreams) drift.push(...(await checkStreamFolder(resolved.schemasDir, stream)));
    if (drift.length > 0) {
      context.stderr(`fiat: schema folders drifted from the stream definitions: ${drift.join(', ')} (run: fiat schemas build)\n`);
      return EXIT.FAILED;
    }
    context.stdout(`schema folders match the stream definitions (${builtInStreams.length} streams)\n`);
    return EXIT.OK;
  },
};
