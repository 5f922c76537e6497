import { defineConfig } from 'tsdown';
import { libraryConfig } from '../../tsdown.base.ts';

export default defineConfig(
  libraryConfig(
    { index: 'src/index.ts', firehose: 'src/firehose/index.ts', durable: 'src/durable/index.ts' },
    {
      // cjs/ holds two hand-written CommonJS files that both module formats load as they are (see each):
      // ajvCompiler.cjs, so that ajv's compiler is required lazily by a literal require() that Node and
      // bundlers follow, and validatorRuntime.cjs (`@fiat/core/validator-runtime`).
      deps: { neverBundle: [/\/cjs\/ajvCompiler\.cjs$/] },
    },
  ),
);
