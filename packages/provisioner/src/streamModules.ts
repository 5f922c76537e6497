import { stat } from 'node:fs/promises';
import { extname } from 'node:path';
import { pathToFileURL } from 'node:url';
import { FiatError, isFiatError, type StreamDefinition } from '@fiat/core';

/** A stream an application defines in one of its stream modules (`streamModules` in `fiat.config.json`). */
export interface ModuleStream {
  readonly definition: StreamDefinition<any>;
  /** Absolute path of the module that exports it. */
  readonly module: string;
  /** The name it is exported under: the stream's own name when the module exports it so, else the first in alphabetical order. */
  readonly exportName: string;
}

const TYPESCRIPT = new Set(['.ts', '.mts', '.cts']);

/**
 * True when `value` is a stream definition (what `defineStream` or `loadStreamFolder` return),
 * also across duplicate copies of `@fiat/core`.
 *
 * @example
 * ```ts
 * isStreamDefinition(PageView); // true
 * isStreamDefinition(pageViewSchema); // false: a Zod schema, not a definition
 * ```
 */
export function isStreamDefinition(value: unknown): value is StreamDefinition<any> {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Partial<StreamDefinition<any>>;
  return (
    typeof candidate.name === 'string' &&
    typeof candidate.encode === 'function' &&
    typeof candidate.validate === 'function' &&
    Array.isArray(candidate.columns) &&
    Array.isArray(candidate.fields) &&
    typeof candidate.inputSchema === 'object'
  );
}

function loadFailure(path: string, cause: unknown): FiatError {
  if (isFiatError(cause)) return new FiatError(cause.code, `stream module ${path}: ${cause.message}`, { cause, issues: cause.issues });
  const code = (cause as { code?: string }).code;
  const message = ((cause as Error).message ?? String(cause)).split('\n')[0];
  if (TYPESCRIPT.has(extname(path)) && (code === 'ERR_UNKNOWN_FILE_EXTENSION' || code === 'ERR_UNSUPPORTED_TYPESCRIPT_SYNTAX')) {
    return new FiatError(
      'CONFIG_INVALID',
      `cannot import the TypeScript stream module ${path} with Node ${process.version} (${code}): ` +
        `use Node 22.18 or later, run fiat under a TypeScript loader (NODE_OPTIONS='--import tsx'), or name the compiled .js module`,
      { cause },
    );
  }
  return new FiatError('CONFIG_INVALID', `cannot import stream module ${path}: ${message}`, { cause });
}

async function importModule(path: string): Promise<Record<string, unknown>> {
  let modified: number;
  try {
    modified = (await stat(path)).mtimeMs;
  } catch (cause) {
    throw new FiatError('CONFIG_INVALID', `stream module ${path} does not exist (config key streamModules, FIAT_STREAMS or --streams)`, { cause });
  }
  try {
    // The modification time in the URL gives an edited module a fresh instance when main() runs twice in one process.
    return (await import(`${pathToFileURL(path).href}?mtime=${Math.trunc(modified)}`)) as Record<string, unknown>;
  } catch (cause) {
    throw loadFailure(path, cause);
  }
}

/**
 * Imports each module and collects the stream definitions it exports (every named export, and
 * the default export, that is a definition; other exports such as Zod schemas are ignored). A
 * module exporting none, or two different streams with the same name, is a `CONFIG_INVALID` error.
 *
 * @example
 * ```ts
 * const streams = await loadStreamModules(['/app/src/streams.ts']);
 * streams.map((s) => `${s.exportName} → ${s.definition.names.table}`); // ['PageView → page_view']
 * ```
 */
export async function loadStreamModules(paths: readonly string[]): Promise<ModuleStream[]> {
  const found = new Map<string, ModuleStream>();
  for (const path of paths) {
    const exports = await importModule(path);
    let count = 0;
    for (const exportName of Object.keys(exports).sort()) {
      const value = exports[exportName];
      if (!isStreamDefinition(value)) continue;
      count += 1;
      const seen = found.get(value.name);
      if (seen === undefined || (seen.definition === value && exportName === value.name)) {
        found.set(value.name, { definition: value, module: path, exportName });
      } else if (seen.definition !== value) {
        throw new FiatError(
          'CONFIG_INVALID',
          `stream ${value.name} is defined twice: ${seen.module} (${seen.exportName}) and ${path} (${exportName})`,
        );
      }
    }
    if (count === 0) {
      throw new FiatError('CONFIG_INVALID', `stream module ${path} exports no stream definition (export what defineStream returns)`);
    }
  }
  return [...found.values()];
}
