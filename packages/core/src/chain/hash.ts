import * as crypto from 'node:crypto';

/** The `P` of a chain's first record (`chain_seq` 1): 64 zeros. */
export const GENESIS_HASH = '0'.repeat(64);

/** `,"chain_hash":"` — the member that always ends a sealed line, before its 64 hex digits and `"}`. */
export const CHAIN_HASH_MEMBER = ',"chain_hash":"';

/** Characters a sealed line has after its unsealed text (without the `}`): `,"chain_hash":"` + 64 hex + `"}`. */
export const SEALED_SUFFIX_LENGTH = CHAIN_HASH_MEMBER.length + 64 + 2;

/**
 * Upper bound of the bytes sealing adds to an encoded line: `,"chain_id":"<uuid>"`, `,"chain_seq":<n>` (n below
 * 2^53) and `,"chain_hash":"<64 hex>"`. An encoder refusing records over a limit reserves this much.
 */
export const CHAIN_MEMBERS_MAX_BYTES = 50 + 29 + 80;

const HEX64 = /^[0-9a-f]{64}$/;

type OneShotHash = (algorithm: string, data: string | Buffer, encoding: 'hex') => string;
// One-shot hashing (Node >= 20.12) skips the Hash object; createHash is the fallback.
const oneShot: OneShotHash | undefined = typeof (crypto as { hash?: unknown }).hash === 'function' ? (crypto.hash as OneShotHash) : undefined;

/**
 * Lowercase hex SHA-256 of `data`: a string's UTF-8 bytes, or a buffer's bytes.
 *
 * @example
 * ```ts
 * sha256Hex('abc'); // 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'
 * ```
 */
export function sha256Hex(data: string | Buffer): string {
  return oneShot !== undefined ? oneShot('sha256', data, 'hex') : crypto.createHash('sha256').update(data).digest('hex');
}

/**
 * A record's `chain_hash`: lowercase hex SHA-256 of the UTF-8 bytes of `previous + unsealed`, where `previous` is
 * the previous record's hash in the same chain ({@link GENESIS_HASH} for `chain_seq` 1) and `unsealed` the stored
 * record without its `chain_hash` member (it ends with `}`).
 *
 * @example
 * ```ts
 * chainHash(GENESIS_HASH, '{"event_id":"…","chain_id":"…","chain_seq":1}');
 * ```
 */
export function chainHash(previous: string, unsealed: string): string {
  return sha256Hex(previous + unsealed);
}

/** A stored line split into the text that was hashed and the hash it carries. */
export interface SealedParts {
  /** The record without `chain_hash`: everything before `,"chain_hash":"` plus `}`. */
  readonly unsealed: string;
  /** The stored `chain_hash`. */
  readonly hash: string;
}

/**
 * Splits a stored line (without its `\n`) into its unsealed text and its `chain_hash`, or returns `undefined` when
 * the line does not end with a `chain_hash` member of 64 lowercase hex digits.
 *
 * @example
 * ```ts
 * splitSealedLine(`{"a":1,"chain_hash":"${'ab'.repeat(32)}"}`); // { unsealed: '{"a":1}', hash: 'abab…' }
 * ```
 */
export function splitSealedLine(text: string): SealedParts | undefined {
  const cut = text.length - SEALED_SUFFIX_LENGTH;
  if (cut < 1 || !text.startsWith(CHAIN_HASH_MEMBER, cut) || !text.endsWith('"}')) return undefined;
  const hash = text.slice(text.length - 66, text.length - 2);
  if (!HEX64.test(hash)) return undefined;
  return { unsealed: `${text.slice(0, cut)}}`, hash };
}

/** True when `value` is 64 lowercase hex digits (a `chain_hash` or `last_hash`). */
export function isChainHash(value: unknown): value is string {
  return typeof value === 'string' && HEX64.test(value);
}
