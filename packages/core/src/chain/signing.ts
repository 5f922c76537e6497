import { createHmac, createPrivateKey, createPublicKey, sign, type KeyObject } from 'node:crypto';
import { FiatError } from '../errors.js';
import { sha256Hex } from './hash.js';

/** How a checkpoint is signed: `'none'`, HMAC-SHA-256 with a shared key, or Ed25519 with a private key. */
export type SignatureAlg = 'none' | 'hmac-sha256' | 'ed25519';

/** The signature algorithms, in the order {@link SignatureAlg} lists them. */
export const SIGNATURE_ALGS: readonly SignatureAlg[] = ['none', 'hmac-sha256', 'ed25519'];

/** The environment variable holding the HMAC key of checkpoints (its UTF-8 bytes are the key). */
export const CHAIN_KEY_ENV = 'FIAT_CHAIN_KEY';

/** The shortest HMAC key accepted, in bytes: 32, SHA-256's own size. */
export const MIN_HMAC_KEY_BYTES = 32;

/** What a checkpoint's signature covers; see {@link checkpointMessage}. */
export interface CheckpointClaims {
  readonly chain_id: string;
  readonly stream: string;
  readonly table: string;
  readonly last_seq: number;
  readonly last_hash: string;
  readonly record_count: number;
  /** The checkpoint record's stored `event_time`, `yyyy-MM-dd HH:mm:ss.SSS`. */
  readonly event_time: string;
  readonly signature_alg: SignatureAlg;
  readonly key_id: string;
}

/**
 * The exact text a checkpoint signature covers (signed as its UTF-8 bytes): ten lines joined by `\n`, no trailing
 * newline — `fiat-checkpoint-v1`, `chain_id`, `stream`, `table`, `last_seq`, `last_hash`, `record_count`,
 * `event_time` (as stored), `signature_alg`, `key_id`. No field can hold a newline, so the text is unambiguous.
 *
 * @example
 * ```ts
 * checkpointMessage({ chain_id: 'c', stream: 'Audit', table: 'audit', last_seq: 2, last_hash: 'ab…', record_count: 2,
 *   event_time: '2026-11-26 09:05:07.042', signature_alg: 'hmac-sha256', key_id: '0123456789abcdef' });
 * // 'fiat-checkpoint-v1\nc\nAudit\naudit\n2\nab…\n2\n2026-11-26 09:05:07.042\nhmac-sha256\n0123456789abcdef'
 * ```
 */
export function checkpointMessage(claims: CheckpointClaims): string {
  return [
    'fiat-checkpoint-v1',
    claims.chain_id,
    claims.stream,
    claims.table,
    String(claims.last_seq),
    claims.last_hash,
    String(claims.record_count),
    claims.event_time,
    claims.signature_alg,
    claims.key_id,
  ].join('\n');
}

/**
 * The `key_id` of an HMAC key: the first 16 hex digits of SHA-256 of its bytes.
 *
 * @example
 * ```ts
 * hmacKeyId(Buffer.from('k'.repeat(32))); // 16 hex digits
 * ```
 */
export function hmacKeyId(key: Buffer): string {
  return sha256Hex(key).slice(0, 16);
}

/**
 * The `key_id` of an Ed25519 key: the first 16 hex digits of SHA-256 of the public key's SPKI DER encoding (a
 * private key gives the id of its public key).
 *
 * @example
 * ```ts
 * const { publicKey } = generateKeyPairSync('ed25519');
 * ed25519KeyId(publicKey); // 16 hex digits
 * ```
 */
export function ed25519KeyId(key: KeyObject): string {
  const publicKey = key.type === 'private' ? createPublicKey(key) : key;
  const der = publicKey.export({ type: 'spki', format: 'der' });
  return sha256Hex(der).slice(0, 16);
}

/** Signs checkpoint messages. Holds its key privately: nothing about the key but its `keyId` is readable. */
export interface ChainSigner {
  readonly alg: SignatureAlg;
  /** The key's fingerprint (`''` for `'none'`). */
  readonly keyId: string;
  /** The signature of `message`: hex for HMAC, base64 for Ed25519, `''` for none. */
  sign(message: string): string;
}

/** Options that choose a checkpoint signer. */
export interface ChainSignerOptions {
  /**
   * HMAC-SHA-256 key (at least 32 bytes; a string stands for its UTF-8 bytes). Default: the `FIAT_CHAIN_KEY`
   * environment variable, else none.
   */
  readonly chainKey?: string | Buffer;
  /** Ed25519 private key (a PEM string or a `KeyObject`); wins over `FIAT_CHAIN_KEY`. Default: none. */
  readonly signingKey?: string | KeyObject;
}

/** The signer for unsigned checkpoints. */
export const UNSIGNED: ChainSigner = Object.freeze({ alg: 'none', keyId: '', sign: () => '' });

/**
 * Chooses how checkpoints are signed: `signingKey` (Ed25519), else `chainKey` (HMAC), else the `FIAT_CHAIN_KEY`
 * environment variable (HMAC), else unsigned. Giving both options is a `CONFIG_INVALID` error. Error messages never
 * contain key material.
 *
 * @example
 * ```ts
 * const signer = createChainSigner({ signingKey: readFileSync('checkpoint-key.pem', 'utf8') });
 * signer.alg; // 'ed25519'
 * ```
 */
export function createChainSigner(options: ChainSignerOptions = {}, env: Readonly<Record<string, string | undefined>> = process.env): ChainSigner {
  if (options.signingKey !== undefined && options.chainKey !== undefined) {
    throw new FiatError('CONFIG_INVALID', 'options chainKey and signingKey are exclusive: give an HMAC key or an Ed25519 private key, not both');
  }
  if (options.signingKey !== undefined) return ed25519Signer(privateKeyOf(options.signingKey));
  const fromEnv = env[CHAIN_KEY_ENV];
  const key = options.chainKey ?? (fromEnv === undefined || fromEnv === '' ? undefined : fromEnv);
  if (key === undefined) return UNSIGNED;
  return hmacSigner(hmacKeyBytes(key, options.chainKey !== undefined ? 'option chainKey' : CHAIN_KEY_ENV));
}

/**
 * The bytes of an HMAC key; throws `CONFIG_INVALID` naming `what` (never the key) when shorter than 32 bytes.
 *
 * @example
 * ```ts
 * hmacKeyBytes(process.env.FIAT_CHAIN_KEY!, 'FIAT_CHAIN_KEY');
 * ```
 */
export function hmacKeyBytes(key: string | Buffer, what: string): Buffer {
  const bytes = typeof key === 'string' ? Buffer.from(key, 'utf8') : Buffer.from(key);
  if (bytes.length < MIN_HMAC_KEY_BYTES) {
    throw new FiatError('CONFIG_INVALID', `${what} must be at least ${MIN_HMAC_KEY_BYTES} bytes (e.g. openssl rand -hex 32), got ${bytes.length}`);
  }
  return bytes;
}

function hmacSigner(key: Buffer): ChainSigner {
  const keyId = hmacKeyId(key);
  return Object.freeze({
    alg: 'hmac-sha256' as const,
    keyId,
    sign: (message: string) => createHmac('sha256', key).update(message, 'utf8').digest('hex'),
  });
}

function privateKeyOf(key: string | KeyObject): KeyObject {
  let object: KeyObject;
  try {
    object = typeof key === 'string' ? createPrivateKey(key) : key;
  } catch (cause) {
    throw new FiatError('CONFIG_INVALID', 'option signingKey is not a readable private key (give an Ed25519 key as PEM or a KeyObject)', { cause });
  }
  if (object.type !== 'private' || object.asymmetricKeyType !== 'ed25519') {
    throw new FiatError('CONFIG_INVALID', `option signingKey must be an Ed25519 private key, got a ${object.type} ${object.asymmetricKeyType ?? 'secret'} key`);
  }
  return object;
}

function ed25519Signer(privateKey: KeyObject): ChainSigner {
  const keyId = ed25519KeyId(privateKey);
  return Object.freeze({
    alg: 'ed25519' as const,
    keyId,
    sign: (message: string) => sign(null, Buffer.from(message, 'utf8'), privateKey).toString('base64'),
  });
}
