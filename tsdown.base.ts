// The build every published package shares: ESM and CommonJS, each with its own declarations
// (.d.ts for import, .d.cts for require), for the Node versions in `engines`. Each package's
// tsdown.config.ts names its entry points; dependencies stay external (tsdown reads package.json).
import type { UserConfig } from 'tsdown';

/**
 * tsdown options for one package of this repository.
 *
 * @example
 * ```ts
 * export default defineConfig(libraryConfig({ index: 'src/index.ts' }));
 * ```
 */
export function libraryConfig(entry: Record<string, string>, extra: UserConfig = {}): UserConfig {
  return {
    entry,
    format: ['esm', 'cjs'],
    platform: 'node',
    tsconfig: 'tsconfig.lib.json',
    sourcemap: false,
    clean: true,
    logLevel: 'warn',
    dts: { sourcemap: false },
    checks: { legacyCjs: false, pluginTimings: false },
    ...extra,
  };
}
