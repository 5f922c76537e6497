import { parseArgs, type ParseArgsConfig } from 'node:util';
import { isFiatError } from '@fiat/core';
import { builtInStreams, checkStreamFolder, writeStreamFolder } from '@fiat/schemas';
import { loadConfig, type FiatConfig } from './config.js';
import { formatTable } from './format.js';
import { openLocalLake } from './localLake.js';
import { collectStreams } from './streams.js';

/** Where the CLI writes and what it runs in; injectable for tests. */
export interface CliContext {
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

/** Exit codes of the `fiat` CLI. */
export const EXIT = {
  /** Success. */
  OK: 0,
  /** The command ran and failed: bad SQL, drift found, an AWS call failed. */
  FAILED: 1,
  /** Bad usage or configuration: unknown command or flag, missing argument, invalid config. */
  USAGE: 2,
} as const;

class UsageError extends Error {}

interface Command {
  readonly name: string;
  readonly summary: string;
  readonly usage: string;
  readonly examples: readonly string[];
  readonly options: NonNullable<ParseArgsConfig['options']>;
  run(positionals: string[], values: Record<string, unknown>, context: CliContext, config: () => Promise<FiatConfig>): Promise<number>;
}

const COMMON: NonNullable<ParseArgsConfig['options']> = {
  help: { type: 'boolean', short: 'h' },
  verbose: { type: 'boolean' },
  config: { type: 'string' },
  'lake-dir': { type: 'string' },
  'schemas-dir': { type: 'string' },
};

const commands: Command[] = [
  {
    name: 'query',
    summary: 'Run SQL over the local lake (DuckDB, one view per stream)',
    usage: 'fiat query "<sql>" [--json] [--lake-dir DIR]',
    examples: [
      `fiat query "SELECT task, phase, count(*) AS n FROM audit GROUP BY task, phase ORDER BY task, phase"`,
      `fiat query "SELECT json_extract_scalar(task_args, '$.x') AS x FROM audit LIMIT 5" --json`,
    ],
    options: { json: { type: 'boolean' }, target: { type: 'string' } },
    async run(positionals, values, context, config) {
      const sql = positionals.join(' ').trim();
      if (sql === '') throw new UsageError('query needs SQL, e.g. fiat query "SELECT count(*) FROM audit"');
      const target = (values.target as string | undefined) ?? 'local';
      if (target !== 'local') throw new UsageError(`--target must be local, got '${target}'`);
      const resolved = await config();
      const lake = await openLocalLake(resolved.lakeDir, await collectStreams(resolved));
      try {
        const result = await lake.query(sql);
        context.stdout(values.json ? `${JSON.stringify(result.rows, null, 2)}\n` : formatTable(result));
      } finally {
        lake.close();
      }
      return EXIT.OK;
    },
  },
  {
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
  },
];

function helpText(command?: Command): string {
  if (command !== undefined) {
    return [
      `${command.summary}.`,
      '',
      `Usage: ${command.usage}`,
      '',
      'Examples:',
      ...command.examples.map((e) => `  ${e}`),
      '',
      'Common options: --config FILE, --lake-dir DIR, --schemas-dir DIR, --verbose (stack traces), -h/--help',
      'Exit codes: 0 success, 1 the command failed, 2 bad usage or configuration.',
      '',
    ].join('\n');
  }
  return [
    'fiat — Firehose to Athena: streams, tables and SQL over the lake.',
    '',
    'Usage: fiat <command> [options]',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(10)} ${c.summary}`),
    '',
    'Run fiat <command> --help for its options and examples.',
    'Configuration: fiat.config.json in the working directory; FIAT_* environment variables and flags override it.',
    'Exit codes: 0 success, 1 the command failed, 2 bad usage or configuration.',
    '',
  ].join('\n');
}

/**
 * Runs the `fiat` CLI with `argv` (without `node` and the script) and returns the exit code.
 * Errors are one line on stderr; `--verbose` adds the stack.
 *
 * @example
 * ```ts
 * const code = await main(['query', 'SELECT 1 AS one', '--json']);
 * ```
 */
export async function main(argv: readonly string[], context: CliContext = processContext()): Promise<number> {
  const verbose = argv.includes('--verbose');
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    context.stdout(helpText(commands.find((c) => c.name === rest[0])));
    return name === undefined ? EXIT.USAGE : EXIT.OK;
  }
  const command = commands.find((c) => c.name === name);
  if (command === undefined) {
    context.stderr(`fiat: unknown command '${name}' (commands: ${commands.map((c) => c.name).join(', ')})\n`);
    return EXIT.USAGE;
  }
  try {
    let parsed;
    try {
      parsed = parseArgs({ args: [...rest], options: { ...COMMON, ...command.options }, allowPositionals: true, strict: true });
    } catch (error) {
      throw new UsageError((error as Error).message.split('\n')[0]);
    }
    const { values, positionals } = parsed;
    if (values.help) {
      context.stdout(helpText(command));
      return EXIT.OK;
    }
    const config = () =>
      loadConfig({
        cwd: context.cwd,
        env: context.env,
        ...(values.config !== undefined ? { configPath: values.config as string } : {}),
        flags: {
          ...(values['lake-dir'] !== undefined ? { lakeDir: values['lake-dir'] as string } : {}),
          ...(values['schemas-dir'] !== undefined ? { schemasDir: values['schemas-dir'] as string } : {}),
        },
      });
    return await command.run(positionals, values, context, config);
  } catch (error) {
    const usage = error instanceof UsageError || (isFiatError(error) && error.code === 'CONFIG_INVALID');
    const message = (error as Error).message.split('\n')[0];
    context.stderr(`fiat ${name}: ${message}\n`);
    if (verbose && error instanceof Error && error.stack) context.stderr(`${error.stack}\n`);
    if (usage) context.stderr(`Run fiat ${name} --help for usage.\n`);
    return usage ? EXIT.USAGE : EXIT.FAILED;
  }
}

function processContext(): CliContext {
  return {
    cwd: process.cwd(),
    env: process.env,
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
  };
}
