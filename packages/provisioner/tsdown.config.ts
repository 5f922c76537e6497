import { createRequire } from 'node:module';
import { defineConfig } from 'tsdown';
import { libraryConfig } from '../../tsdown.base.ts';

// cli is its own entry: bin/fiat.js imports dist/cli.mjs.
// dist/duckdb-node-api.cjs is @duckdb/node-api in one file, its native bindings (@duckdb/node-bindings, a
// dependency) left out: Node loads one file much faster than the package's ~180 (see src/loadDuckDB.ts).
export default defineConfig([
  libraryConfig({ index: 'src/index.ts', cli: 'src/cli.ts' }),
  {
    entry: { 'duckdb-node-api': createRequire(import.meta.url).resolve('@duckdb/node-api') },
    format: 'cjs',
    platform: 'node',
    clean: false,
    dts: false,
    sourcemap: false,
    logLevel: 'warn',
    deps: { alwaysBundle: ['@duckdb/node-api'], neverBundle: ['@duckdb/node-bindings'] },
    checks: { legacyCjs: false, pluginTimings: false },
    outExtensions: () => ({ js: '.cjs' }),
    minify: { mangle: false },
  },
]);
