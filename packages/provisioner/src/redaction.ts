import { randomBytes } from 'node:crypto';
import { describeRedaction, FiatError, isWholeAction, REDACTION_KEY_ENV, type FieldPlan, type FieldRule, type JsonSchema, type StreamDefinition } from '@fiat/core';

/** One row of a redaction listing: a column, its Athena type, and what is stored instead of its input (`-` when nothing). */
export type RedactionRow = {
  readonly column: string;
  readonly type: string;
  readonly redaction: string;
};

/**
 * Every column of a stream with its redaction, as `fiat schemas list` and `fiat query --describe` print them.
 *
 * @example
 * ```ts
 * redactionRows(Audit).find((r) => r.column === 'task_args')?.redaction; // 'redacted: mask ([redacted]) at secret keys …'
 * ```
 */
export function redactionRows(stream: Pick<StreamDefinition<any>, 'columns'>): RedactionRow[] {
  return stream.columns.map((column) => ({ column: column.name, type: column.type, redaction: column.comment ?? '-' }));
}

/** Where `fiat smoke` planted its secret, and the secret. */
export interface PlantedSecret {
  /** The field (and the path inside it) that holds the secret. */
  readonly place: string;
  /** A fresh random text that must not be read back. */
  readonly secret: string;
  /** How that place is redacted. */
  readonly redaction: string;
}

/** A value holding `secret` at `path` (pino-style: `*` and `**` become a key, `[*]` and `[n]` an array). */
function valueAt(path: string, secret: string): unknown {
  const segments = path.match(/\[[^\]]*\]|[^.[\]]+/g) ?? [];
  let value: unknown = secret;
  for (const segment of [...segments].reverse()) {
    if (segment === '**') continue;
    if (segment.startsWith('[')) {
      const inner = segment.slice(1, -1);
      const index = /^\d+$/.test(inner) ? Number(inner) : 0;
      value = [...Array.from({ length: index }, () => null), value];
    } else {
      const key = segment === '*' ? 'x' : segment.replace(/^["']|["']$/g, '');
      value = { [key]: value };
    }
  }
  return value;
}

/** A value of a rule's place holding `secret`, or undefined when the rule has no place to plant one. */
function ruleValue(rule: FieldRule, secret: string): unknown {
  if (rule.secretKeys === true) return { password: secret };
  const path = rule.paths?.[0];
  if (path !== undefined) return valueAt(path, secret);
  if (rule.detect?.includes('email')) return { note: `write to ${secret}@example.com` };
  if (rule.detect?.includes('aws-access-key')) return undefined;
  return undefined;
}

/**
 * Plants a fresh secret in `fields` (a valid sample record) at the first redacted place of the
 * stream that can hold one: a field masked, hashed or dropped as a whole, a path or secret key of
 * a free-form field, or an email for its detectors. Returns `undefined` when the stream redacts nothing.
 *
 * @example
 * ```ts
 * const fields = sampleRecord(Audit);
 * plantSecret(Audit, fields); // { place: 'task_args.password', secret: 'fiat-smoke-secret-…', … }
 * ```
 */
export function plantSecret(stream: StreamDefinition<any>, fields: Record<string, unknown>): PlantedSecret | undefined {
  const secret = `fiatsmokesecret${randomBytes(8).toString('hex')}`;
  const sources = (stream.inputSchema.properties ?? {}) as Record<string, JsonSchema>;
  for (const field of stream.fields) {
    const planted = plantIn(field, sources[field.name] ?? {}, fields, secret);
    if (planted !== undefined) return { ...planted, secret, redaction: describeRedaction(field.redact as NonNullable<FieldPlan['redact']>) };
  }
  return undefined;
}

/** True when a string field takes any string (no format, pattern, enum or bounds), or any email address. */
function takesText(schema: JsonSchema): boolean {
  if (schema.format === 'email') return schema.maxLength === undefined;
  return ['pattern', 'enum', 'const', 'maxLength', 'minLength', 'format'].every((k) => schema[k] === undefined);
}

function plantIn(field: FieldPlan, schema: JsonSchema, fields: Record<string, unknown>, secret: string): { place: string } | undefined {
  const redact = field.redact;
  if (redact === undefined) return undefined;
  if (isWholeAction(redact)) {
    if (field.plan.kind === 'json') fields[field.name] = { secret };
    else if (field.plan.kind === 'string' && takesText(schema)) {
      const prefix = redact.action === 'truncate' ? 'x'.repeat(redact.length) : '';
      fields[field.name] = schema.format === 'email' ? `${prefix}${secret}@example.com` : `${prefix}${secret}`;
    } else return undefined;
    return { place: field.name };
  }
  if (field.plan.kind !== 'json') return undefined;
  for (const rule of redact.rules) {
    const value = ruleValue(rule, secret);
    if (value === undefined) continue;
    fields[field.name] = value;
    return { place: `${field.name}${rule.secretKeys === true ? '.password' : rule.paths !== undefined ? `.${rule.paths[0]}` : ' (email)'}` };
  }
  return undefined;
}

/**
 * The redaction key `fiat smoke` logs with: `FIAT_REDACTION_KEY` when set, else a one-off random
 * key (the sample record's hashes then match no other record's).
 *
 * @example
 * ```ts
 * smokeRedactionKey(process.env); // 64 hex digits, or the configured key
 * ```
 */
export function smokeRedactionKey(env: Readonly<Record<string, string | undefined>>): string {
  const given = env[REDACTION_KEY_ENV];
  return given !== undefined && given !== '' ? given : randomBytes(32).toString('hex');
}

/**
 * Throws `DELIVERY_FAILED` when the planted secret is in the record read back (a row as the query
 * returned it): redaction did not hold on this path.
 *
 * @example
 * ```ts
 * assertRedacted(row, planted, 'audit'); // throws when row holds planted.secret
 * ```
 */
export function assertRedacted(row: Readonly<Record<string, unknown>>, planted: PlantedSecret, table: string): void {
  if (JSON.stringify(row).includes(planted.secret)) {
    throw new FiatError('DELIVERY_FAILED', `the secret planted in ${planted.place} was read back from ${table}: it is not redacted (${planted.redaction})`);
  }
}
