import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { FiatError, isFiatError, resolveStreamNames, type StreamDefinition, type StreamNames } from '@fiat/core';
import { builtInStreams, loadStreamFolder } from '@fiat/schemas';
import type { FiatConfig } from './config.js';
import type { LakeStream } from './localLake.js';
import { loadStreamModules, type ModuleStream } from './streamModules.js';

/** Options of {@link collectStreams}. */
export interface CollectStreamsOptions {
  /**
   * Called with one line for each folder that cannot be loaded (`INVALID_DEFINITION`); the folder is
   * skipped and the other streams are still returned. Default: none, the error is thrown.
   */
  readonly onSkip?: (line: string) => void;
}

/**
 * The streams exported by the configuration's `streamModules`, refusing one named like a
 * built-in stream (`CONFIG_INVALID`).
 *
 * @example
 * ```ts
 * (await applicationStreams(config)).map((s) => s.definition.name); // ['PageView']
 * ```
 */
export async function applicationStreams(config: FiatConfig): Promise<ModuleStream[]> {
  const streams = await loadStreamModules(config.streamModules);
  for (const { definition, module } of streams) {
    if (builtInStreams.some((b) => b.name === definition.name)) {
      throw new FiatError('CONFIG_INVALID', `stream module ${module} defines ${definition.name}, the name of a built-in stream: rename it`);
    }
  }
  return streams;
}

/**
 * Every stream the CLI knows: Fiat's built-in streams, then the streams exported by the
 * application's `streamModules`, then each folder of `schemasDir` holding a `json_schema.json`
 * (a folder named after a stream already known is that stream's generated folder). Names get the
 * overrides from `fiat.config.json`. An application stream named like a built-in one is refused.
 * With `onSkip`, a malformed folder is skipped with a one-line warning instead of failing every command.
 *
 * @example
 * ```ts
 * const streams = await collectStreams(config, { onSkip: (line) => process.stderr.write(`${line}\n`) });
 * streams.map((s) => s.names.table); // ['audit', '_fiat_deadletter', …]
 * ```
 */
export async function collectStreams(config: FiatConfig, options: CollectStreamsOptions = {}): Promise<LakeStream[]> {
  const definitions = new Map<string, StreamDefinition<any>>();
  for (const stream of builtInStreams) definitions.set(stream.name, stream);
  for (const { definition } of await applicationStreams(config)) definitions.set(definition.name, definition);
  let entries: string[] = [];
  try {
    entries = (await readdir(config.schemasDir, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name);
  } catch {
    entries = [];
  }
  for (const name of entries.sort()) {
    if (definitions.has(name)) continue;
    const dir = join(config.schemasDir, name);
    const hasSchema = await stat(join(dir, 'json_schema.json')).then(
      () => true,
      () => false,
    );
    if (!hasSchema) continue;
    try {
      definitions.set(name, await loadStreamFolder(dir));
    } catch (error) {
      if (options.onSkip === undefined || !isFiatError(error, 'INVALID_DEFINITION')) throw error;
      options.onSkip(`skipping schemas folder ${dir}: ${error.message}`);
    }
  }
  return [...definitions.values()].map((definition) => ({ definition, names: configuredNames(definition, config) }));
}

/**
 * A stream's names with the overrides of `fiat.config.json` (`streams.<Name>`) applied.
 *
 * @example
 * ```ts
 * configuredNames(FiatCheckpoint, config).deliveryStream; // 'fiat-checkpoint' unless overridden
 * ```
 */
export function configuredNames(definition: StreamDefinition<any>, config: Pick<FiatConfig, 'streams'>): StreamNames {
  const override = config.streams[definition.name];
  return override === undefined ? definition.names : resolveStreamNames(definition.name, { ...definition.nameOverrides, ...override });
}

/** Finds a stream by name (case-sensitive), or by table name. */
export function findStream(streams: readonly LakeStream[], name: string): LakeStream | undefined {
  return streams.find((s) => s.definition.name === name) ?? streams.find((s) => s.names.table === name);
}
