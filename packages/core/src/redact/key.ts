import { createHmac, createSecretKey, type KeyObject } from 'node:crypto';
import { FiatError } from '../errors.js';

/** The environment variable holding the redaction key (its UTF-8 bytes are the key). */
export const REDACTION_KEY_ENV = 'FIAT_REDACTION_KEY';

/** The shortest redaction key accepted, in bytes: 32, SHA-256's own size. */
export const MIN_REDACTION_KEY_BYTES = 32;

/** The pattern of a stored hash token: `hmac:` 8 hex digits of key id, `:`, 64 hex digits. */
export const HASH_TOKEN_PATTERN = '^hmac:[0-9a-f]{8}:[0-9a-f]{64}$';

/** What the key id is the HMAC of, so it says nothing about the tokens themselves. */
const KEY_ID_LABEL = 'fiat-redaction-key-id-v1';

/**
 * The key that `hash` redactions are computed with. It holds the key privately: only its `keyId`
 * (8 hex digits) is readable, and no message Fiat makes ever contains the key.
 */
export class RedactionKey {
  /** The first 8 hex digits of HMAC-SHA-256(key, "fiat-redaction-key-id-v1"): tells tokens of two keys apart. */
  readonly keyId: string;
  readonly #key: KeyObject;

  /** Use {@link resolveRedactionKey}. */
  constructor(bytes: Buffer) {
    this.#key = createSecretKey(bytes);
    this.keyId = createHmac('sha256', this.#key).update(KEY_ID_LABEL).digest('hex').slice(0, 8);
  }

  /**
   * The stored token of `text`: `hmac:<keyId>:<64 hex digits of HMAC-SHA-256(key, UTF-8 of text)>`.
   *
   * @example
   * ```ts
   * key.token('rich@example.com'); // 'hmac:1a2b3c4d:9f86d081…'
   * ```
   */
  token(text: string): string {
    return `hmac:${this.keyId}:${createHmac('sha256', this.#key).update(text, 'utf8').digest('hex')}`;
  }

  /** Never shows the key. */
  toJSON(): string {
    return `[RedactionKey ${this.keyId}]`;
  }

  /** Never shows the key. */
  toString(): string {
    return `[RedactionKey ${this.keyId}]`;
  }
}

/**
 * The redaction key from the `redactionKey` option, else `FIAT_REDACTION_KEY`, else `undefined`.
 * A key must be at least 32 bytes (a string stands for its UTF-8 bytes); a shorter or malformed one
 * is `CONFIG_INVALID` — the message names the option, never the key.
 *
 * @example
 * ```ts
 * const key = resolveRedactionKey(process.env.MY_KEY); // or resolveRedactionKey(undefined) to read FIAT_REDACTION_KEY
 * ```
 */
export function resolveRedactionKey(
  option: unknown,
  env: Readonly<Record<string, string | undefined>> = process.env,
): RedactionKey | undefined {
  if (option instanceof RedactionKey) return option;
  const fromEnv = option === undefined;
  const given = fromEnv ? env[REDACTION_KEY_ENV] : option;
  const where = fromEnv ? `environment variable ${REDACTION_KEY_ENV}` : 'option redactionKey';
  if (given === undefined || (fromEnv && given === '')) return undefined;
  let bytes: Buffer;
  if (typeof given === 'string') bytes = Buffer.from(given, 'utf8');
  else if (given instanceof Uint8Array) bytes = Buffer.from(given);
  else throw new FiatError('CONFIG_INVALID', `${where} must be a string or a Buffer of at least ${MIN_REDACTION_KEY_BYTES} bytes, got ${typeof given}`);
  if (bytes.length < MIN_REDACTION_KEY_BYTES) {
    throw new FiatError('CONFIG_INVALID', `${where} is ${bytes.length} bytes; a redaction key must be at least ${MIN_REDACTION_KEY_BYTES} bytes (e.g. openssl rand -hex 32)`);
  }
  return new RedactionKey(bytes);
}
