// The `fiat` entry point: parses the command line, prints help from the command list (COMMANDS) and
// loads only the module of the command that runs, so that `fiat query` never loads Zod, ajv's
// compiler or the AWS SDK, and `fiat --help` loads none of them (nor @fiat/core).
import { parseArgs } from 'node:util';
import type { ConfigFlags } from './config.js';
import { COMMON, EXIT, isUsageError, UsageError, type CliContext, type Command } from './command.js';
import { COMMANDS } from './commandList.js';
import { installCliWarnings } from './processWarnings.js';
import { cliVersion } from './version.js';

export { EXIT } from './command.js';
export type { CliContext } from './command.js';

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
      'Common options: --config FILE, --lake-dir DIR, --schemas-dir DIR, --streams MODULE[,MODULE] (your stream definitions),',
      '  --endpoint URL (AWS endpoint, e.g. a fake), --verbose (stack traces), -h/--help',
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
    ...COMMANDS.map((c) => `  ${c.name.padEnd(14)} ${c.summary}`),
    '',
    'Run fiat <command> --help for its options and examples; fiat --version prints the version.',
    'Configuration: fiat.config.json in the working directory; FIAT_* environment variables and flags override it.',
    'Exit codes: 0 success, 1 the command failed, 2 bad usage or configuration.',
    '',
  ].join('\n');
}

/** The configuration keys the common flags set: `--endpoint` sets every service's endpoint. */
function configFlags(values: Record<string, unknown>): ConfigFlags {
  const endpoint = values.endpoint as string | undefined;
  return {
    ...(values['lake-dir'] !== undefined ? { lakeDir: values['lake-dir'] as string } : {}),
    ...(values['schemas-dir'] !== undefined ? { schemasDir: values['schemas-dir'] as string } : {}),
    ...(values.streams !== undefined ? { streamModules: (values.streams as string[]).join(',') } : {}),
    ...(endpoint !== undefined ? { endpoint, athenaEndpoint: endpoint, firehoseEndpoint: endpoint, logsEndpoint: endpoint, iamEndpoint: endpoint, s3Endpoint: endpoint } : {}),
    ...(values.serde !== undefined ? { serde: values.serde as string } : {}),
  };
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
    context.stdout(helpText(await COMMANDS.find((c) => c.name === rest[0])?.load()));
    return name === undefined ? EXIT.USAGE : EXIT.OK;
  }
  if (name === '--version' || name === '-v') {
    context.stdout(`${cliVersion()}\n`);
    return EXIT.OK;
  }
  const entry = COMMANDS.find((c) => c.name === name);
  if (entry === undefined) {
    context.stderr(`fiat: unknown command '${name}' (commands: ${COMMANDS.map((c) => c.name).join(', ')})\n`);
    return EXIT.USAGE;
  }
  try {
    const command = await entry.load();
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
    const config = async () =>
      (await import('./config.js')).loadConfig({
        cwd: context.cwd,
        env: context.env,
        ...(values.config !== undefined ? { configPath: values.config as string } : {}),
        flags: configFlags(values),
      });
    return await command.run(positionals, values, context, config);
  } catch (error) {
    // Loaded here, not at the top, so that `fiat --help` and commands that never fail load no @fiat/core.
    const { isFiatError } = await import('@fiat/core');
    const usage = isUsageError(error) || isFiatError(error, 'CONFIG_INVALID');
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
    stderrIsTTY: process.stderr.isTTY === true,
  };
}

/**
 * The `fiat` executable: one-line process warnings and the Node deprecation notice (for this process
 * only), then {@link main} with the real process's streams. Returns the exit code.
 *
 * @example
 * ```ts
 * process.exitCode = await run(process.argv.slice(2));
 * ```
 */
export async function run(argv: readonly string[]): Promise<number> {
  installCliWarnings(process, (text) => process.stderr.write(text));
  return main(argv, processContext());
}
