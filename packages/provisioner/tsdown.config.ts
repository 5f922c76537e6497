import { defineConfig } from 'tsdown';
import { libraryConfig } from '../../tsdown.base.ts';

// cli is its own entry: bin/fiat.js imports dist/cli.mjs.
export default defineConfig(libraryConfig({ index: 'src/index.ts', cli: 'src/cli.ts' }));
