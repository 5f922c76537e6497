/** `String.prototype.toWellFormed` (ES2024, Node 20+), typed here because the project's `lib` is ES2023. */
type WellFormedString = string & { toWellFormed(): string; isWellFormed(): boolean };

/**
 * `text` with every lone UTF-16 surrogate replaced by U+FFFD, so that it can be written as UTF-8
 * and read back by DuckDB and Athena. Used for the text Fiat derives itself (error names and
 * messages, descriptions); user input with lone surrogates is refused instead.
 *
 * @example
 * ```ts
 * wellFormed('hi 👋'.slice(0, 4)); // 'hi \uFFFD'
 * ```
 */
export function wellFormed(text: string): string {
  const value = text as WellFormedString;
  return value.isWellFormed() ? text : value.toWellFormed();
}

/**
 * True when `text` has no lone surrogate (`String.prototype.isWellFormed`).
 *
 * @example
 * ```ts
 * isWellFormed('hi 👋'.slice(0, 4)); // false
 * ```
 */
export function isWellFormed(text: string): boolean {
  return (text as WellFormedString).isWellFormed();
}

/**
 * At most `maxChars` UTF-16 units of `text` (never cutting a surrogate pair), followed by
 * ` … (N more characters)` when it was cut, and well-formed.
 *
 * @example
 * ```ts
 * shortenText('a'.repeat(10), 4); // 'aaaa … (6 more characters)'
 * ```
 */
export function shortenText(text: string, maxChars: number): string {
  if (text.length <= maxChars) return wellFormed(text);
  let end = maxChars;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  return `${wellFormed(text.slice(0, end))} … (${text.length - end} more characters)`;
}
