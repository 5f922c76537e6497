// node --import ./census-register.mjs: logs every module loaded, ES modules as they load ('esm:<url>') and CommonJS
// modules at exit ('cjs:<path>'), to stderr.
import { writeSync } from 'node:fs';
import { createRequire, register } from 'node:module';

register(new URL('./census-hooks.mjs', import.meta.url));
const require = createRequire(import.meta.url);
process.on('exit', () => {
  for (const path of Object.keys(require.cache)) writeSync(2, `cjs:${path}\n`);
});
