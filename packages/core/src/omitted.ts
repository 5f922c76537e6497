import { createHash } from 'node:crypto';
import { walkJson, type JsonRedactor } from './jsonWalk.js';
import { MAX_JSON_DEPTH } from './limits.js';

/**
 * Why a value was replaced by an omitted marker:
 * - `too_large` — its JSON text (or the string) does not fit in the record;
 * - `too_deep` — it nests deeper than the free-form depth limit;
 * - `not_json` — it holds something JSON cannot carry as Fiat stores it (BigInt, NaN, a function, a cycle, a Map…);
 * - `invalid` — it was refused by validation for another reason (e.g. a lone surrogate).
 */
export type OmittedReason = 'too_large' | 'too_deep' | 'not_json' | 'invalid';

/**
 * What a free-form JSON field stores instead of a value that cannot be stored: the value's size and
 * SHA-256, so the record still says a value was there and which one.
 *
 * `bytes` and `sha256` are of the value's JSON text as `JSON.stringify` writes it (`toJSON` applied;
 * anything JSON cannot carry written as the description `describeAsJson` gives), in UTF-8. Hashing
 * is bounded: past {@link OMITTED_HASH_LIMIT_BYTES} the text is not serialized further, `truncated`
 * is `true`, and `bytes`/`sha256` are of the first `bytes` bytes of the text. With a redactor (a
 * stream's redaction, see `Redaction.jsonRedactor`), the text is the redacted one.
 */
export interface OmittedMarker {
  readonly fiat_omitted: true;
  readonly reason: OmittedReason;
  readonly bytes: number;
  readonly sha256: string;
  /** Present (and `true`) only when the text was longer than {@link OMITTED_HASH_LIMIT_BYTES}. */
  readonly truncated?: true;
}

/** At most this many bytes of a value's JSON text are serialized and hashed for its marker: 16 MiB. */
export const OMITTED_HASH_LIMIT_BYTES = 16 * 1024 * 1024;

/**
 * The marker a free-form JSON field stores instead of `value`.
 *
 * @example
 * ```ts
 * omittedValue({ rows: hugeArray }, 'too_large');
 * // { fiat_omitted: true, reason: 'too_large', bytes: 5242880, sha256: '9f86d0…' }
 * ```
 */
export function omittedValue(value: unknown, reason: OmittedReason, redactor?: JsonRedactor): OmittedMarker {
  const hash = createHash('sha256');
  const walk = walkJson(value, (chunk) => hash.update(chunk, 'utf8'), { maxBytes: OMITTED_HASH_LIMIT_BYTES, ...(redactor === undefined ? {} : { redactor }) });
  const marker = { fiat_omitted: true as const, reason, bytes: walk.bytes, sha256: hash.digest('hex') };
  return walk.complete ? marker : { ...marker, truncated: true as const };
}

/**
 * What a string field stores instead of a string that cannot be stored: `[fiat omitted <bytes> bytes,
 * sha256:<hex>]`, of the full string's UTF-8 (the string is in memory already; lone surrogates are
 * hashed as U+FFFD, as UTF-8 encoding writes them).
 *
 * @example
 * ```ts
 * omittedString('x'.repeat(2_000_000)); // '[fiat omitted 2000000 bytes, sha256:…]'
 * ```
 */
export function omittedString(text: string): string {
  const bytes = Buffer.byteLength(text, 'utf8');
  const sha256 = createHash('sha256').update(text, 'utf8').digest('hex');
  return `[fiat omitted ${bytes} bytes, sha256:${sha256}]`;
}

/**
 * True when `value` is an omitted marker (as stored, or parsed back from the lake).
 *
 * @example
 * ```ts
 * if (isOmittedValue(JSON.parse(row.output))) console.log('output was too large to store');
 * ```
 */
export function isOmittedValue(value: unknown): value is OmittedMarker {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Partial<OmittedMarker>;
  return candidate.fiat_omitted === true && typeof candidate.reason === 'string' && typeof candidate.sha256 === 'string';
}

/**
 * Why `value` cannot be stored in a free-form field of at most `maxBytes` bytes of JSON text, or
 * `undefined` when it can: `too_deep` past {@link MAX_JSON_DEPTH} (64) levels, `too_large` past `maxBytes`, `not_json` when
 * it holds something JSON cannot carry. Bounded work: stops at `maxBytes` and 64 levels.
 *
 * @example
 * ```ts
 * omissionReason({ n: 1n }, 1024); // 'not_json'
 * omissionReason('x'.repeat(2048), 1024); // 'too_large'
 * ```
 */
export function omissionReason(value: unknown, maxBytes: number): OmittedReason | undefined {
  const walk = walkJson(value, () => undefined, { maxBytes, maxDepth: MAX_JSON_DEPTH });
  if (walk.depth > MAX_JSON_DEPTH) return 'too_deep';
  if (!walk.complete) return 'too_large';
  return walk.described ? 'not_json' : undefined;
}

/**
 * True when `value` is a string marker made by {@link omittedString}.
 *
 * @example
 * ```ts
 * if (isOmittedString(row.error_message)) console.log('the message was too large to store');
 * ```
 */
export function isOmittedString(value: unknown): boolean {
  return typeof value === 'string' && /^\[fiat omitted \d+ bytes, sha256:[0-9a-f]{64}\]$/.test(value);
}
