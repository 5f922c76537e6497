// Owns how the CLI loads DuckDB: with require(), not import(). @duckdb/node-api is about 180 CommonJS
// files; imported from an ES module, Node first scans each of them for its export names
// (cjs-module-lexer follows every re-export), which takes about three times as long as requiring them.
import { createRequire } from 'node:module';
import type * as DuckDBNodeApi from '@duckdb/node-api';

type DuckDBApi = typeof DuckDBNodeApi;

let loaded: DuckDBApi | undefined;

/**
 * `@duckdb/node-api`, loaded on first call with `require()`.
 *
 * @example
 * ```ts
 * const { DuckDBInstance } = loadDuckDB();
 * const instance = await DuckDBInstance.create(':memory:');
 * ```
 */
export function loadDuckDB(): DuckDBApi {
  loaded ??= createRequire(import.meta.url)('@duckdb/node-api') as DuckDBApi;
  return loaded;
}
