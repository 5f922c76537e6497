// Owns how the CLI loads DuckDB: with require(), not import(), and from one file. @duckdb/node-api is about 180
// CommonJS files; imported from an ES module, Node first scans each of them for its export names
// (cjs-module-lexer follows every re-export), which takes about three times as long as requiring them. Required,
// Node still resolves, reads and compiles each file; the build therefore bundles the package into
// dist/duckdb-node-api.cjs (see tsdown.config.ts), which loads in about half the time. Its native bindings,
// @duckdb/node-bindings, are a dependency of this package at the version @duckdb/node-api pins.
import { createRequire } from 'node:module';
import type * as DuckDBNodeApi from '@duckdb/node-api';

type DuckDBApi = typeof DuckDBNodeApi;

let loaded: DuckDBApi | undefined;

/**
 * `@duckdb/node-api`, loaded on first call with `require()`: the build's one-file copy when running from
 * dist/, the package itself when running from the sources (tests).
 *
 * @example
 * ```ts
 * const { DuckDBInstance } = loadDuckDB();
 * const instance = await DuckDBInstance.create(':memory:');
 * ```
 */
export function loadDuckDB(): DuckDBApi {
  if (loaded === undefined) {
    const here = import.meta.url;
    const load = createRequire(here);
    loaded = (/\.[cm]?ts$/.test(new URL(here).pathname) ? load('@duckdb/node-api') : load('./duckdb-node-api.cjs')) as DuckDBApi;
  }
  return loaded;
}

/**
 * Starts creating an in-memory DuckDB instance: DuckDB opens it on a worker thread while the caller goes on (the
 * CLI loads its configuration and stream definitions meanwhile). A failure to load DuckDB is the promise's
 * rejection, not a throw, so that it surfaces where the instance is awaited.
 *
 * @example
 * ```ts
 * const instance = startDuckDBInstance();
 * const lake = await openLocalLake('.fiat/lake', streams, instance);
 * ```
 */
export function startDuckDBInstance(): Promise<DuckDBNodeApi.DuckDBInstance> {
  try {
    return loadDuckDB().DuckDBInstance.create(':memory:');
  } catch (error) {
    return Promise.reject(error as Error);
  }
}
