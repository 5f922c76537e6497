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

/** Names no stream field may use: the envelope columns and the partition column. */
export const RESERVED_FIELD_NAMES: readonly string[] = [...ENVELOPE_FIELDS.map((f) => f.name), PARTITION_COLUMN];

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
