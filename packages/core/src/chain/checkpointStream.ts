import type { FieldPlan } from '../columnPlan.js';
import { createStreamDefinition, type StreamDefinition } from '../stream.js';
import { checkpointValidator } from './checkpointValidator.js';
import type { SignatureAlg } from './signing.js';

/** Fields of a checkpoint record (the envelope's `event_time` is part of what is signed). */
export interface CheckpointFields {
  /** The chain this checkpoint closes up to `last_seq`. */
  readonly chain_id: string;
  /** The chained stream's name, e.g. `Audit`. */
  readonly stream: string;
  /** The chained stream's table, e.g. `audit`. */
  readonly table: string;
  /** The `chain_seq` of the last record covered. */
  readonly last_seq: number;
  /** The `chain_hash` of that record. */
  readonly last_hash: string;
  /** Records sealed since the chain's previous checkpoint: `last_seq` minus the previous `last_seq` (or 0). */
  readonly record_count: number;
  readonly signature_alg: SignatureAlg;
  /** Fingerprint of the signing key: 16 hex digits, `''` when unsigned. */
  readonly key_id: string;
  /** Hex (HMAC-SHA-256) or base64 (Ed25519) signature of the checkpoint message, `''` when unsigned. */
  readonly signature: string;
}

const string = (name: string): FieldPlan => ({ name, plan: { kind: 'string' }, required: true, nullable: false });
const bigint = (name: string): FieldPlan => ({ name, plan: { kind: 'bigint' }, required: true, nullable: false });

const fields: FieldPlan[] = [
  string('chain_id'),
  string('stream'),
  string('table'),
  bigint('last_seq'),
  string('last_hash'),
  bigint('record_count'),
  string('signature_alg'),
  string('key_id'),
  string('signature'),
];

/**
 * The built-in checkpoint stream: table `_fiat_checkpoint`, where a chained logger writes, every N records or T
 * seconds and at `close()`, the last `chain_seq` and `chain_hash` of each chain, signed when a key is configured.
 * `fiat verify` uses them to detect removed tails and forged records.
 *
 * @example
 * ```sql
 * SELECT chain_id, stream, max(last_seq) AS last_seq FROM _fiat_checkpoint GROUP BY chain_id, stream
 * ```
 *
 * (Built by a pure call: a bundle that never writes checkpoints leaves out the definition and its validator.)
 */
export const FiatCheckpoint: StreamDefinition<CheckpointFields> = /* @__PURE__ */ checkpointDefinition();

function checkpointDefinition(): StreamDefinition<CheckpointFields> {
  return createStreamDefinition<CheckpointFields>({
    name: 'FiatCheckpoint',
    description: 'Checkpoints of tamper-evident hash chains: the last chain_seq and chain_hash of a chain, signed.',
    fields,
    sources: {
      chain_id: { type: 'string', format: 'uuid' },
      stream: { type: 'string', minLength: 1 },
      table: { type: 'string', minLength: 1 },
      last_seq: { type: 'integer', minimum: 1 },
      last_hash: { type: 'string', pattern: '^[0-9a-f]{64}$' },
      record_count: { type: 'integer', minimum: 1 },
      signature_alg: { type: 'string', enum: ['none', 'hmac-sha256', 'ed25519'] },
      key_id: { type: 'string', pattern: '^([0-9a-f]{16})?$' },
      signature: { type: 'string' },
    },
    names: { table: '_fiat_checkpoint', prefix: '_fiat_checkpoint/', deliveryStream: 'fiat-checkpoint' },
    // Written by hand (kept to ajv's verdicts by checkpointValidator.test.ts): no ajv, and a few hundred bytes in a
    // logger's bundle where ajv's standalone code for this schema takes about 15 kB.
    validator: checkpointValidator,
  });
}
