import { parseStoredTimestamp } from '../../storedTimestamp.js';
import { isChainHash, splitSealedLine } from '../hash.js';
import { SIGNATURE_ALGS, type CheckpointClaims, type SignatureAlg } from '../signing.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** A stored line of a chained stream, split into what verification needs. */
export interface ChainedLine {
  readonly kind: 'chained';
  readonly chainId: string;
  readonly seq: number;
  readonly hash: string;
  /** The record without `chain_hash` (the text that was hashed after the previous hash). */
  readonly unsealed: string;
  /** The stored `event_time` (`yyyy-MM-dd HH:mm:ss.SSS`), or `''` when absent. */
  readonly eventTime: string;
}

/** A line that is not a chained record: `unchained` (valid JSON without chain fields) or `malformed`. */
export interface UnchainedLine {
  readonly kind: 'unchained' | 'malformed';
  readonly reason: string;
}

/**
 * Parses one stored line (without its `\n`) of a chained stream.
 *
 * @example
 * ```ts
 * parseChainedLine(text); // { kind: 'chained', chainId, seq, hash, unsealed, eventTime } or { kind: 'unchained', … }
 * ```
 */
export function parseChainedLine(text: string): ChainedLine | UnchainedLine {
  let record: Record<string, unknown>;
  try {
    record = JSON.parse(text) as Record<string, unknown>;
  } catch {
    return { kind: 'malformed', reason: 'not JSON' };
  }
  if (typeof record !== 'object' || record === null || Array.isArray(record)) return { kind: 'malformed', reason: 'not a JSON object' };
  const parts = splitSealedLine(text);
  if (parts === undefined) {
    return 'chain_id' in record || 'chain_seq' in record || 'chain_hash' in record
      ? { kind: 'malformed', reason: 'chain_hash is not the last member or not 64 lowercase hex digits' }
      : { kind: 'unchained', reason: 'no chain fields' };
  }
  const { chain_id: chainId, chain_seq: seq } = record;
  if (typeof chainId !== 'string' || !UUID.test(chainId)) return { kind: 'malformed', reason: 'chain_id is not a lowercase UUID' };
  if (typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 1) return { kind: 'malformed', reason: 'chain_seq is not a positive integer' };
  if (record.chain_hash !== parts.hash) return { kind: 'malformed', reason: 'chain_hash appears twice' };
  const eventTime = typeof record.event_time === 'string' && parseStoredTimestamp(record.event_time) !== undefined ? record.event_time : '';
  return { kind: 'chained', chainId, seq, hash: parts.hash, unsealed: parts.unsealed, eventTime };
}

/** A checkpoint record as verification reads it: the signed claims and the signature. */
export interface CheckpointLine {
  readonly kind: 'checkpoint';
  readonly claims: CheckpointClaims;
  readonly signature: string;
  /** `event_time` in epoch milliseconds. */
  readonly time: number;
}

/**
 * Parses one stored line of the `_fiat_checkpoint` stream.
 *
 * @example
 * ```ts
 * parseCheckpointLine(text); // { kind: 'checkpoint', claims, signature, time } or { kind: 'malformed', reason }
 * ```
 */
export function parseCheckpointLine(text: string): CheckpointLine | UnchainedLine {
  let record: Record<string, unknown>;
  try {
    record = JSON.parse(text) as Record<string, unknown>;
  } catch {
    return { kind: 'malformed', reason: 'not JSON' };
  }
  if (typeof record !== 'object' || record === null) return { kind: 'malformed', reason: 'not a JSON object' };
  const r = record;
  const fail = (field: string): UnchainedLine => ({ kind: 'malformed', reason: `${field} is missing or invalid` });
  if (typeof r.chain_id !== 'string' || !UUID.test(r.chain_id)) return fail('chain_id');
  for (const field of ['stream', 'table', 'key_id', 'signature'] as const) {
    if (typeof r[field] !== 'string' || (r[field] as string).includes('\n')) return fail(field);
  }
  for (const field of ['last_seq', 'record_count'] as const) {
    if (typeof r[field] !== 'number' || !Number.isSafeInteger(r[field]) || (r[field] as number) < 1) return fail(field);
  }
  if (!isChainHash(r.last_hash)) return fail('last_hash');
  if (!SIGNATURE_ALGS.includes(r.signature_alg as SignatureAlg)) return fail('signature_alg');
  const time = typeof r.event_time === 'string' ? parseStoredTimestamp(r.event_time) : undefined;
  if (time === undefined) return fail('event_time');
  const claims: CheckpointClaims = {
    chain_id: r.chain_id,
    stream: r.stream as string,
    table: r.table as string,
    last_seq: r.last_seq as number,
    last_hash: r.last_hash,
    record_count: r.record_count as number,
    event_time: r.event_time as string,
    signature_alg: r.signature_alg as SignatureAlg,
    key_id: r.key_id as string,
  };
  return { kind: 'checkpoint', claims, signature: r.signature as string, time };
}

/**
 * The creation time of a UUIDv7 (its first 48 bits, epoch milliseconds), or `undefined` for other UUIDs.
 *
 * @example
 * ```ts
 * uuidv7Time(uuidv7(1795683907042)); // 1795683907042
 * ```
 */
export function uuidv7Time(id: string): number | undefined {
  if (!UUID.test(id) || id[14] !== '7') return undefined;
  return Number.parseInt(id.slice(0, 8) + id.slice(9, 13), 16);
}
