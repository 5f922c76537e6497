import type { FieldPlan } from './columnPlan.js';
import type { JsonSchema } from './jsonSchema.js';
import { PARTITION_COLUMN } from './names.js';

/** The envelope columns every stored record starts with, in order. */
export const ENVELOPE_FIELDS: readonly FieldPlan[] = [
  { name: 'event_id', plan: { kind: 'string' }, required: true, nullable: false },
  { name: 'event_time', plan: { kind: 'timestamp' }, required: true, nullable: false },
  { name: 'app', plan: { kind: 'string' }, required: true, nullable: false },
  { name: 'email', plan: { kind: 'string' }, required: true, nullable: false },
  { name: 'tags', plan: { kind: 'map', values: { kind: 'string' } }, required: true, nullable: false },
];

/** JSON Schema constraints of the envelope columns, beyond their types. */
export const ENVELOPE_SOURCES: Readonly<Record<string, JsonSchema>> = {
  event_id: { type: 'string', format: 'uuid' },
  app: { type: 'string', minLength: 1 },
  email: { type: 'string' },
};

/**
 * Whether a stream's records form a tamper-evident hash chain: `'chain'` adds the envelope columns
 * {@link CHAIN_FIELDS} and makes every logger seal its records and write checkpoints; `'none'` does not.
 */
export type Integrity = 'chain' | 'none';

/**
 * The envelope columns of a chained stream, after {@link ENVELOPE_FIELDS}: `chain_id` (the logger's chain, a
 * UUIDv7), `chain_seq` (1, 2, 3, … without gaps) and `chain_hash` (see docs/integrity.md for the byte rule). In the
 * stored line `chain_id` and `chain_seq` follow the stream's fields and `chain_hash` is always the last member.
 */
export const CHAIN_FIELDS: readonly FieldPlan[] = [
  { name: 'chain_id', plan: { kind: 'string' }, required: true, nullable: false },
  { name: 'chain_seq', plan: { kind: 'bigint' }, required: true, nullable: false },
  { name: 'chain_hash', plan: { kind: 'string' }, required: true, nullable: false },
];

/** JSON Schema constraints of the chain columns, beyond their types. */
export const CHAIN_SOURCES: Readonly<Record<string, JsonSchema>> = {
  chain_id: { type: 'string', format: 'uuid' },
  chain_seq: { type: 'integer', minimum: 1 },
  chain_hash: { type: 'string', pattern: '^[0-9a-f]{64}$' },
};

/**
 * Names no stream field may use: the envelope columns and the partition column. A chained stream's fields may not
 * use the chain columns' names either (an unchained stream may: the checkpoint stream has a `chain_id`).
 */
export const RESERVED_FIELD_NAMES: readonly string[] = [...ENVELOPE_FIELDS.map((f) => f.name), PARTITION_COLUMN];

/**
 * The envelope columns of a stream with this integrity, in order: {@link ENVELOPE_FIELDS}, then
 * {@link CHAIN_FIELDS} when chained.
 *
 * @example
 * ```ts
 * envelopeFields('chain').map((f) => f.name); // ['event_id', 'event_time', 'app', 'email', 'tags', 'chain_id', 'chain_seq', 'chain_hash']
 * ```
 */
export function envelopeFields(integrity: Integrity): readonly FieldPlan[] {
  return integrity === 'chain' ? [...ENVELOPE_FIELDS, ...CHAIN_FIELDS] : ENVELOPE_FIELDS;
}

/** The envelope values a logger adds to every record. */
export interface Envelope {
  readonly eventId: string;
  /** Epoch milliseconds. */
  readonly eventTime: number;
  readonly app: string;
  readonly email: string;
  readonly tags: Readonly<Record<string, string>>;
  /**
   * `"app":…,"email":…,"tags":{…}` as JSON, the same for every record of a logger: pass it (from
   * {@link envelopeJson}) so it is serialized once per logger, not once per record. Default: computed.
   */
  readonly json?: string;
}

/**
 * The JSON of the envelope fields a logger repeats on every record.
 *
 * @example
 * ```ts
 * envelopeJson({ app: 'shop', email: 'a@b.c', tags: {} }); // '"app":"shop","email":"a@b.c","tags":{}'
 * ```
 */
export function envelopeJson(envelope: Pick<Envelope, 'app' | 'email' | 'tags'>): string {
  return `"app":${JSON.stringify(envelope.app)},"email":${JSON.stringify(envelope.email)},"tags":${JSON.stringify(envelope.tags)}`;
}
