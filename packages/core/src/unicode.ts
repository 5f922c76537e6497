/**
 * `text` with every lone UTF-16 surrogate replaced by U+FFFD, so that it is well-formed Unicode that
 * every JSON reader accepts. For values Fiat derives itself (an error's name or message); values
 * given by the caller are refused instead (`VALIDATION_FAILED`).
 *
 * @example
 * ```ts
 * toWellFormed('hi 👋'.slice(0, 4)); // 'hi \uFFFD'
 * ```
 */
export function toWellFormed(text: string): string {
  return text.isWellFormed() ? text : text.toWellFormed();
}

/**
 * The path (dotted, as in issues) of the first string or key inside `value` that is not well-formed
 * Unicode (a lone UTF-16 surrogate), or `undefined` when there is none. For configuration and
 * definitions, which are checked once; records are checked by the snapshot walk.
 *
 * @example
 * ```ts
 * findIllFormed({ tags: { ['\ud800']: 'x' } }); // 'tags.\uFFFD'
 * ```
 */
export function findIllFormed(value: unknown, path = '', depth = 0): string | undefined {
  if (typeof value === 'string') return value.isWellFormed() ? undefined : path;
  if (typeof value !== 'object' || value === null || depth > 1000) return undefined;
  for (const [key, item] of Object.entries(value)) {
    const where = path === '' ? toWellFormed(key) : `${path}.${toWellFormed(key)}`;
    if (!key.isWellFormed()) return where;
    const found = findIllFormed(item, where, depth + 1);
    if (found !== undefined) return found;
  }
  return undefined;
}
