import type { _, Ajv2020 } from 'ajv/dist/2020.js';

/** One ajv instance (draft 2020-12). */
export type Ajv = InstanceType<typeof Ajv2020>;

/** What {@link loadAjvCompiler} returns. */
export interface AjvCompilerModules {
  readonly Ajv2020: typeof Ajv2020;
  /** ajv's code template tag (`_`), from the same copy of ajv as the compiler. */
  readonly code: typeof _;
  readonly addFormats: (ajv: Ajv) => Ajv;
}

/** ajv's draft 2020-12 compiler and ajv-formats, loaded on first call. */
export declare function loadAjvCompiler(): AjvCompilerModules;

/** ajv's standalone code generator, loaded on first call (build time only). */
export declare function loadAjvStandalone(): (ajv: Ajv, refsOrFunc: Record<string, string>) => string;
