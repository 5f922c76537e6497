import { defineConfig } from 'tsdown';
import { libraryConfig } from '../../tsdown.base.ts';

export default defineConfig([
  libraryConfig({ index: 'src/index.ts', definitions: 'src/definitionsEntry.ts' }),
  // The Nx generator of this repository (generators.json): built for `nx g @fiat/schemas:stream`, not published.
  {
    entry: { 'stream/generator': 'src/generators/stream/generator.ts' },
    format: ['cjs'],
    platform: 'node',
    tsconfig: 'tsconfig.lib.json',
    outDir: 'dist-generators',
    clean: true,
    dts: false,
    deps: { neverBundle: [/^@nx\//, /^typescript$/, /^@fiat\//, /^zod/] },
    logLevel: 'warn',
    checks: { legacyCjs: false, pluginTimings: false },
  },
]);
