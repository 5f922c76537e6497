import type { KeyObject } from 'node:crypto';
import type { Integrity } from '../envelope.js';
import { FiatError } from '../errors.js';
import { DEFAULT_CHECKPOINT_EVERY, DEFAULT_CHECKPOINT_INTERVAL_MS } from './LoggerChains.js';
import { createChainSigner, type ChainSigner } from './signing.js';

/** The options of a logger about its hash chains (part of `LoggerOptions`). */
export interface ChainOptions {
  /**
   * HMAC-SHA-256 key that signs checkpoints (at least 32 bytes; a string stands for its UTF-8 bytes). Never
   * logged; only its fingerprint (`key_id`) is stored. Default: the `FIAT_CHAIN_KEY` environment variable, else
   * unsigned checkpoints.
   */
  readonly chainKey?: string | Buffer;
  /**
   * Ed25519 private key (PEM or `KeyObject`) that signs checkpoints, so that verifiers need only the public key.
   * Exclusive with `chainKey`; wins over `FIAT_CHAIN_KEY`. Default: none.
   */
  readonly signingKey?: string | KeyObject;
  /**
   * Per-stream override of the definitions' integrity, by stream name: `{ Audit: 'none' }` stores Audit records
   * without chain fields (`fiat verify` then reports them as unchained). `'chain'` is accepted only for streams
   * whose definition is chained. Default: each definition's own `integrity`.
   */
  readonly integrity?: Readonly<Record<string, Integrity>>;
  /** A chain's checkpoint is written once this many records were sealed since its last one. Default: 10,000. */
  readonly checkpointEvery?: number;
  /**
   * Every this many milliseconds, an unref'd timer writes a checkpoint for each chain with new records; `0` turns
   * the timer off (checkpoints then come from `checkpointEvery`, `close()` and process exit). Default: 60,000.
   */
  readonly checkpointIntervalMs?: number;
}

/** The option keys of {@link ChainOptions}, for routing a logger's options. */
export const CHAIN_OPTION_KEYS: readonly string[] = ['chainKey', 'signingKey', 'integrity', 'checkpointEvery', 'checkpointIntervalMs'];

/** {@link ChainOptions} checked, with their defaults. */
export interface ResolvedChainOptions {
  readonly signer: ChainSigner;
  readonly every: number;
  readonly intervalMs: number;
  readonly overrides: Readonly<Record<string, Integrity>>;
}

/**
 * Checks a logger's chain options and resolves their defaults (the signer from `signingKey`, `chainKey` or
 * `FIAT_CHAIN_KEY`). Throws `CONFIG_INVALID` naming the option; messages never contain key material.
 *
 * @example
 * ```ts
 * resolveChainOptions({ checkpointEvery: 1000 }).every; // 1000
 * ```
 */
export function resolveChainOptions(options: ChainOptions, env: Readonly<Record<string, string | undefined>> = process.env): ResolvedChainOptions {
  const every = options.checkpointEvery ?? DEFAULT_CHECKPOINT_EVERY;
  if (!Number.isSafeInteger(every) || every < 1) {
    throw new FiatError('CONFIG_INVALID', `option checkpointEvery must be a positive integer, got ${JSON.stringify(options.checkpointEvery)}`);
  }
  const intervalMs = options.checkpointIntervalMs ?? DEFAULT_CHECKPOINT_INTERVAL_MS;
  if (typeof intervalMs !== 'number' || !Number.isFinite(intervalMs) || intervalMs < 0 || intervalMs > 2 ** 31 - 1) {
    throw new FiatError('CONFIG_INVALID', `option checkpointIntervalMs must be 0 or a positive number of milliseconds, got ${JSON.stringify(options.checkpointIntervalMs)}`);
  }
  const overrides = options.integrity ?? {};
  if (typeof overrides !== 'object' || overrides === null || Array.isArray(overrides)) {
    throw new FiatError('CONFIG_INVALID', "option integrity must be an object of stream names to 'chain' or 'none'");
  }
  for (const [stream, value] of Object.entries(overrides)) {
    if (value !== 'chain' && value !== 'none') {
      throw new FiatError('CONFIG_INVALID', `option integrity.${stream} must be 'chain' or 'none', got ${JSON.stringify(value)}`);
    }
  }
  for (const key of ['chainKey', 'signingKey'] as const) {
    const value = options[key];
    if (value !== undefined && typeof value !== 'string' && typeof value !== 'object') {
      throw new FiatError('CONFIG_INVALID', `option ${key} must be a string${key === 'chainKey' ? ' or a Buffer' : ' (PEM) or a KeyObject'}, got ${typeof value}`);
    }
  }
  const signer = createChainSigner({ ...(options.chainKey !== undefined ? { chainKey: options.chainKey } : {}), ...(options.signingKey !== undefined ? { signingKey: options.signingKey } : {}) }, env);
  return { signer, every, intervalMs, overrides: { ...overrides } };
}
