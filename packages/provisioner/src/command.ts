import type { ParseArgsConfig } from 'node:util';
import type { FiatConfig } from './config.js';

/** Where the CLI writes and what it runs in; injectable for tests. */
export interface CliContext {
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** True when stderr is a terminal: long commands then show a progress line there. Default: false. */
  readonly stderrIsTTY?: boolean;
  /** How commands wait between polls (Athena queries, delivery stream status). Default: `setTimeout`. */
  readonly sleep?: (ms: number) => Promise<void>;
  /** The clock deadlines and elapsed times are measured on, in ms. Default: `Date.now`. */
  readonly now?: () => number;
}

/**
 * The context's clock (`Date.now` unless a test injects one).
 *
 * @example
 * ```ts
 * const deadline = clock(context)() + 20_000;
 * ```
 */
export function clock(context: CliContext): () => number {
  return context.now ?? Date.now;
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

/** Bad usage: printed as one line with a pointer to --help, exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/**
 * Whether `error` is a {@link UsageError}, also one from another copy of this module (a command module loaded
 * lazily may resolve its own copy, e.g. under a test runner), where `instanceof` would say no.
 *
 * @example
 * ```ts
 * isUsageError(new UsageError('--target must be local or firehose')); // true
 * ```
 */
export function isUsageError(error: unknown): error is UsageError {
  return error instanceof UsageError || (error instanceof Error && error.name === 'UsageError');
}

/** One `fiat` sub-command. */
export interface Command {
  readonly name: string;
  readonly summary: string;
  readonly usage: string;
  readonly examples: readonly string[];
  readonly options: NonNullable<ParseArgsConfig['options']>;
  run(positionals: string[], values: Record<string, unknown>, context: CliContext, config: () => Promise<FiatConfig>): Promise<number>;
}

/** Options every command accepts. */
export const COMMON: NonNullable<ParseArgsConfig['options']> = {
  help: { type: 'boolean', short: 'h' },
  verbose: { type: 'boolean' },
  config: { type: 'string' },
  'lake-dir': { type: 'string' },
  'schemas-dir': { type: 'string' },
  streams: { type: 'string', multiple: true },
  endpoint: { type: 'string' },
};

/**
 * Parses a `--target` value against the allowed ones (the first is the default); a usage error otherwise.
 *
 * @example
 * ```ts
 * targetOption(values.target, ['local', 'athena'] as const); // 'local' when --target is absent
 * ```
 */
export function targetOption<T extends string>(value: unknown, allowed: readonly T[]): T {
  const target = (value as string | undefined) ?? allowed[0];
  if (!allowed.includes(target as T)) throw new UsageError(`--target must be ${allowed.join(' or ')}, got '${target}'`);
  return target as T;
}
