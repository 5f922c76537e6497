import { parseArgs } from 'node:util';
import { isFiatError } from '@fiat/core';
import { loadConfig } from './config.js';
import { COMMON, EXIT, UsageError, type CliContext, type Command } from './command.js';
import { createStreamCommand } from './commands/createStream.js';
import { createTableCommand } from './commands/createTable.js';
import { iamCommand } from './commands/iam.js';
import { queryCommand } from './commands/query.js';
import { schemasCommand } from './commands/schemas.js';
import { smokeCommand } from './commands/smoke.js';
import { spoolCommand } from './commands/spool.js';
import { verifyCommand } from './commands/verify.js';

export { EXIT } from './command.js';
export type { CliContext } from './command.js';

/** Every sub-command, in help order. Add new commands here. */
const commands: readonly Command[] = [schemasCommand, createTableCommand, createStreamCommand, iamCommand, smokeCommand, queryCommand, spoolCommand, verifyCommand];

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
      'Common options: --config FILE, --lake-dir DIR, --schemas-dir DIR, --endpoint URL (AWS endpoint, e.g. a fake), --verbose (stack traces), -h/--help',
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
    ...commands.map((c) => `  ${c.name.padEnd(14)} ${c.summary}`),
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
          ...(values.endpoint !== undefined
            ? { endpoint: values.endpoint as string, athenaEndpoint: values.endpoint as string, firehoseEndpoint: values.endpoint as string, s3Endpoint: values.endpoint as string }
            : {}),
          ...(values.serde !== undefined ? { serde: values.serde as string } : {}),
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
    stderrIsTTY: process.stderr.isTTY === true,
  };
}
