// Module loader hooks (registered by census-register.mjs): writes every ES module URL loaded to stderr, one per
// line, prefixed 'esm:'. Used by the profile suite to count what `fiat query` loads at start-up.
import { writeSync } from 'node:fs';

export async function load(url, context, next) {
  writeSync(2, `esm:${url}\n`);
  return next(url, context);
}
