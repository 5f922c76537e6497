#!/usr/bin/env node
// The fiat CLI. Runs the compiled package (npm ci builds it; so does npm run build).
import module from 'node:module';

// Node 22.1+ keeps the compiled code of the CLI, @fiat/core and DuckDB's API in a cache (in the OS temp
// folder; NODE_DISABLE_COMPILE_CACHE=1 turns it off), so later runs start faster. Older Nodes lack it.
module.enableCompileCache?.();
let cli;
try {
  cli = await import('../dist/cli.mjs');
} catch (error) {
  if (error && error.code === 'ERR_MODULE_NOT_FOUND' && String(error.message).includes('dist/cli.mjs')) {
    process.stderr.write('fiat: the CLI is not built yet; run `npm run build` at the repository root\n');
    process.exit(2);
  }
  throw error;
}
process.exitCode = await cli.run(process.argv.slice(2));
