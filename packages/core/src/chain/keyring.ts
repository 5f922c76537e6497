import { createHmac, createPublicKey, timingSafeEqual, verify, type KeyObject } from 'node:crypto';
import { FiatError } from '../errors.js';
import { checkpointMessage, ed25519KeyId, hmacKeyBytes, hmacKeyId, type CheckpointClaims } from './signing.js';

/** The keys a verifier checks checkpoint signatures with. */
export interface ChainKeys {
  /** HMAC keys (a string stands for its UTF-8 bytes), matched to checkpoints by `key_id`. Default: none. */
  readonly hmacKeys?: readonly (string | Buffer)[];
  /** Ed25519 public keys (PEM or `KeyObject`), matched by `key_id`. Default: none. */
  readonly publicKeys?: readonly (string | KeyObject)[];
}

/**
 * The outcome of checking one checkpoint's signature: `valid`; `unsigned` (`signature_alg` `'none'`);
 * `unknown-key` (no key with its `key_id` was given, so it could not be checked); `invalid` (it does not match).
 */
export type SignatureVerdict = 'valid' | 'unsigned' | 'unknown-key' | 'invalid';

/**
 * Checks checkpoint signatures with the keys given, matched by `key_id`. Holding only public keys is enough for
 * Ed25519 checkpoints.
 *
 * @example
 * ```ts
 * const keyring = new ChainKeyring({ publicKeys: [readFileSync('checkpoint-key.pub.pem', 'utf8')] });
 * keyring.check(claims, signature); // 'valid'
 * ```
 */
export class ChainKeyring {
  readonly #hmac = new Map<string, Buffer>();
  readonly #ed25519 = new Map<string, KeyObject>();

  constructor(keys: ChainKeys = {}) {
    for (const key of keys.hmacKeys ?? []) {
      const bytes = hmacKeyBytes(key, 'HMAC key');
      this.#hmac.set(hmacKeyId(bytes), bytes);
    }
    for (const key of keys.publicKeys ?? []) {
      const object = publicKeyOf(key);
      this.#ed25519.set(ed25519KeyId(object), object);
    }
  }

  /** True when at least one key was given: then unsigned checkpoints are refused. */
  get hasKeys(): boolean {
    return this.#hmac.size + this.#ed25519.size > 0;
  }

  /** The `key_id`s this keyring can check. */
  get keyIds(): string[] {
    return [...this.#hmac.keys(), ...this.#ed25519.keys()];
  }

  /** Checks `signature` over the claims' {@link checkpointMessage}. */
  check(claims: CheckpointClaims, signature: string): SignatureVerdict {
    const message = Buffer.from(checkpointMessage(claims), 'utf8');
    switch (claims.signature_alg) {
      case 'none':
        return 'unsigned';
      case 'hmac-sha256': {
        const key = this.#hmac.get(claims.key_id);
        if (key === undefined) return 'unknown-key';
        const expected = createHmac('sha256', key).update(message).digest();
        const given = /^[0-9a-f]{64}$/.test(signature) ? Buffer.from(signature, 'hex') : undefined;
        return given !== undefined && timingSafeEqual(given, expected) ? 'valid' : 'invalid';
      }
      case 'ed25519': {
        const key = this.#ed25519.get(claims.key_id);
        if (key === undefined) return 'unknown-key';
        const given = Buffer.from(signature, 'base64');
        if (given.length !== 64 || given.toString('base64') !== signature) return 'invalid';
        return verify(null, message, key, given) ? 'valid' : 'invalid';
      }
      default:
        return 'invalid';
    }
  }
}

function publicKeyOf(key: string | KeyObject): KeyObject {
  let object: KeyObject;
  try {
    object = typeof key === 'string' ? createPublicKey(key) : key.type === 'private' ? createPublicKey(key) : key;
  } catch (cause) {
    throw new FiatError('CONFIG_INVALID', 'a public key is not readable (give an Ed25519 public key as PEM or a KeyObject)', { cause });
  }
  if (object.asymmetricKeyType !== 'ed25519') {
    throw new FiatError('CONFIG_INVALID', `public keys must be Ed25519, got ${object.asymmetricKeyType ?? 'a secret key'}`);
  }
  return object;
}
