import type { FiatConfig } from '../config.js';
import { FiatError } from '@fiat/core';
import { UsageError, type CliContext } from '../command.js';

export { targetOption } from '../command.js';
import { AthenaRunner } from '../athena/runner.js';
import { createAthenaClient } from '../aws.js';
import type { LakeStream } from '../localLake.js';
import { collectStreams, findStream } from '../streams.js';

/**
 * The one stream a command is about: the first positional, by stream or table name.
 * Unknown or missing names are usage errors listing the known streams.
 *
 * @example
 * ```ts
 * const stream = await streamArgument(positionals, config, 'create-table');
 * ```
 */
export async function streamArgument(
  positionals: readonly string[],
  config: FiatConfig,
  command: string,
  context?: Pick<CliContext, 'stderr'>,
): Promise<LakeStream> {
  const streams = await collectStreams(config, context === undefined ? {} : { onSkip: (line) => context.stderr(`fiat ${command}: ${line}\n`) });
  const name = positionals[0];
  const known = streams.map((s) => s.definition.name).join(', ');
  if (name === undefined) throw new UsageError(`${command} needs a stream name (known: ${known})`);
  if (positionals.length > 1) throw new UsageError(`${command} takes one stream name, got ${positionals.length}`);
  const stream = findStream(streams, name);
  if (stream === undefined) throw new UsageError(`unknown stream '${name}' (known: ${known})`);
  return stream;
}

/**
 * Returns a configuration value that a command needs, or throws `CONFIG_INVALID` naming the key.
 *
 * @example
 * ```ts
 * const bucket = requireKey(config, 'bucket', 'create-table --target athena');
 * ```
 */
export function requireKey<K extends keyof FiatConfig>(config: FiatConfig, key: K, why: string): NonNullable<FiatConfig[K]> {
  const value = config[key];
  if (value === undefined || value === null || value === '') {
    throw new FiatError('CONFIG_INVALID', `config key ${String(key)} is required for ${why} (set it in fiat.config.json or FIAT_* env)`);
  }
  return value as NonNullable<FiatConfig[K]>;
}

/**
 * An {@link AthenaRunner} for the configuration, polling with the context's `sleep` and clock.
 *
 * @example
 * ```ts
 * const runner = await athenaRunner(config, context);
 * ```
 */
export async function athenaRunner(config: FiatConfig, context: CliContext): Promise<AthenaRunner> {
  const client = await createAthenaClient(config, context.env);
  return new AthenaRunner({
    client,
    database: config.database,
    workgroup: config.workgroup,
    ...(config.outputLocation !== undefined ? { outputLocation: config.outputLocation } : {}),
    ...(context.sleep !== undefined ? { sleep: context.sleep } : {}),
    ...(context.now !== undefined ? { now: context.now } : {}),
  });
}
