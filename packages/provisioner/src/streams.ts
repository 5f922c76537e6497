import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { isFiatError, resolveStreamNames, type StreamDefinition } from '@fiat/core';
import { builtInStreams, loadStreamFolder } from '@fiat/schemas';
import type { FiatConfig } from './config.js';
import type { LakeStream } from './localLake.js';

/** Options of {@link collectStreams}. */
export interface CollectStreamsOptions {
  /**
   * Called with one line for each folder that cannot be loaded (`INVALID_DEFINITION`); the folder is
   * skipped and the other streams are still returned. Default: none, the error is thrown.
   */
  readonly onSkip?: (line: string) => void;
}

/**
 * Every stream the CLI knows: Fiat's built-in streams, then each folder of `schemasDir` holding a
 * `json_schema.json` (a folder with a built-in's name is that built-in's generated folder).
 * Names get the overrides from `fiat.config.json`. With `onSkip`, a malformed folder is skipped
 * with a one-line warning instead of failing every command.
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
  return [...definitions.values()].map((definition) => {
    const override = config.streams[definition.name];
    const names = override === undefined ? definition.names : resolveStreamNames(definition.name, { ...definition.nameOverrides, ...override });
    return { definition, names };
  });
}

/** Finds a stream by name (case-sensitive), or by table name. */
export function findStream(streams: readonly LakeStream[], name: string): LakeStream | undefined {
  return streams.find((s) => s.definition.name === name) ?? streams.find((s) => s.names.table === name);
}
