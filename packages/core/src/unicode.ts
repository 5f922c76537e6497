// Well-formed Unicode for what Fiat writes: lone UTF-16 surrogates replaced (in text Fiat derives
// itself), found (in configuration and definitions), and text shortened without cutting a pair.

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
 * At most `maxChars` UTF-16 units of `text` (never cutting a surrogate pair), followed by
 * ` … (N more characters)` when it was cut, and well-formed (see {@link toWellFormed}).
 *
 * @example
 * ```ts
 * shortenText('a'.repeat(10), 4); // 'aaaa … (6 more characters)'
 * ```
 */
export function shortenText(text: string, maxChars: number): string {
  if (text.length <= maxChars) return toWellFormed(text);
  let end = maxChars;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  return `${toWellFormed(text.slice(0, end))} … (${text.length - end} more characters)`;
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
