import { FiatError } from '../errors.js';
import { REDACTED_MARKER, type RedactSpec } from './actions.js';
import type { RedactionKey } from './key.js';

/** The number of code points of `text` (a lone surrogate counts as one). */
export function codePointLength(text: string): number {
  let count = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i += 1;
    }
    count += 1;
  }
  return count;
}

/**
 * The first `length` code points of `text`: a surrogate pair is never split, and the result is
 * well-formed (a lone surrogate becomes U+FFFD).
 *
 * @example
 * ```ts
 * truncateCodePoints('a😀b', 2); // 'a😀'
 * ```
 */
export function truncateCodePoints(text: string, length: number): string {
  if (text.length <= length) return text.toWellFormed();
  let i = 0;
  for (let count = 0; count < length && i < text.length; count++) {
    const c = text.charCodeAt(i);
    const pair = c >= 0xd800 && c <= 0xdbff && i + 1 < text.length && text.charCodeAt(i + 1) >= 0xdc00 && text.charCodeAt(i + 1) <= 0xdfff;
    i += pair ? 2 : 1;
  }
  return text.slice(0, i).toWellFormed();
}

/** True when an action needs the value itself (not `drop`, not a plain `mask`). */
export function needsValue(spec: RedactSpec): boolean {
  return !(spec.action === 'drop' || (spec.action === 'mask' && spec.showLength !== true));
}

/**
 * What is stored for a value redacted by `spec`, given the value's text (the string itself, or the
 * JSON text of a non-string): the mask marker, the hash token, or the truncated text. `drop` is the
 * caller's to apply (it stores nothing); it gives the mask marker here.
 *
 * @example
 * ```ts
 * redactText({ action: 'mask', showLength: true }, 'hunter2', undefined); // '[redacted:7]'
 * ```
 */
export function redactText(spec: RedactSpec, text: string, key: RedactionKey | undefined): string {
  switch (spec.action) {
    case 'mask':
      return spec.showLength === true ? `[redacted:${codePointLength(text)}]` : REDACTED_MARKER;
    case 'hash':
      // Unreachable with a compiled redaction: it refuses to exist without a key when any action hashes.
      if (key === undefined) throw new FiatError('CONFIG_INVALID', 'a hash redaction has no key: pass redactionKey or set FIAT_REDACTION_KEY');
      return key.token(text);
    case 'truncate':
      return truncateCodePoints(text, spec.length);
    default:
      return REDACTED_MARKER;
  }
}
