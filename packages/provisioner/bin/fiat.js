#!/usr/bin/env node
// The fiat CLI. Runs the compiled package (npm ci builds it; so does npm run build).
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
