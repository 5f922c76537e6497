// Where Fiat keeps its files when neither an option nor an environment variable names a folder: the
// one rule for the lake and the spool (and any later folder): `.fiat/<name>` under the working
// directory, or `/tmp/fiat-<name>` inside AWS Lambda, where only /tmp is writable.
import { isAbsolute, resolve } from 'node:path';

/** The process facts a folder default depends on; tests and the CLI pass their own. */
export interface DataDirContext {
  /** Environment variables. Default: `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Folder relative paths are resolved from. Default: `process.cwd()`. */
  readonly cwd?: string;
}

/** The folders Fiat keeps files in, each with its environment variable and its defaults. */
export const DATA_DIRS = {
  lake: { envKey: 'FIAT_LAKE_DIR', local: '.fiat/lake', lambda: '/tmp/fiat-lake' },
  spool: { envKey: 'FIAT_SPOOL_DIR', local: '.fiat/spool', lambda: '/tmp/fiat-spool' },
  wal: { envKey: 'FIAT_WAL_DIR', local: '.fiat/wal', lambda: '/tmp/fiat-wal' },
} as const;

/** The name of a folder in {@link DATA_DIRS}. */
export type DataDirName = keyof typeof DATA_DIRS;

/**
 * True when the process runs in AWS Lambda (`AWS_LAMBDA_FUNCTION_NAME` is set, as the Lambda runtime does).
 *
 * @example
 * ```ts
 * isAwsLambda({ AWS_LAMBDA_FUNCTION_NAME: 'orders-api' }); // true
 * ```
 */
export function isAwsLambda(env: Readonly<Record<string, string | undefined>> = process.env): boolean {
  const name = env.AWS_LAMBDA_FUNCTION_NAME;
  return name !== undefined && name !== '';
}

/**
 * Resolves one of Fiat's folders as an absolute path: `given` (the option), else its environment
 * variable (`FIAT_LAKE_DIR`, `FIAT_SPOOL_DIR`, `FIAT_WAL_DIR`; empty counts as unset), else `/tmp/fiat-<name>` in AWS
 * Lambda, else `.fiat/<name>` under the working directory.
 *
 * @example
 * ```ts
 * resolveDataDir('spool', undefined, { env: { AWS_LAMBDA_FUNCTION_NAME: 'orders-api' } }); // '/tmp/fiat-spool'
 * resolveDataDir('lake', 'lake', { cwd: '/srv/app', env: {} });                              // '/srv/app/lake'
 * ```
 */
export function resolveDataDir(name: DataDirName, given?: string, context: DataDirContext = {}): string {
  const env = context.env ?? process.env;
  const rule = DATA_DIRS[name];
  const fromEnv = env[rule.envKey];
  const chosen = given ?? (fromEnv !== undefined && fromEnv !== '' ? fromEnv : isAwsLambda(env) ? rule.lambda : rule.local);
  return isAbsolute(chosen) ? resolve(chosen) : resolve(context.cwd ?? process.cwd(), chosen);
}
