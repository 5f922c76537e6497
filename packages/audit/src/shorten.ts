import { isFiatError, MAX_RECORD_BYTES, omissionReason, omittedString, omittedValue, walkJson, type OmittedReason, type Redaction } from '@fiat/core';

/** The fields of an output or error record. */
export interface EndFields {
  readonly audit_id: string;
  readonly phase: 'output' | 'error';
  readonly task: string;
  readonly task_args: unknown;
  readonly ticket_id?: string;
  readonly duration_ms: number;
  readonly output?: unknown;
  readonly error_name?: string;
  readonly error_message?: string;
}

/** The fields of an end record that can be replaced by an omitted marker. */
export type ReplaceableField = 'output' | 'task_args' | 'error_message' | 'error_name' | 'ticket_id' | 'task';

/** Free-form fields (JSON text) and then string fields, in the order they are replaced when the cause is unclear. */
const JSON_FIELDS: readonly ReplaceableField[] = ['output', 'task_args'];
const STRING_FIELDS: readonly ReplaceableField[] = ['error_message', 'error_name', 'ticket_id', 'task'];

/** A record shortened once more, and the field replaced. */
export interface Shortened {
  readonly fields: EndFields;
  readonly replaced: readonly ReplaceableField[];
}

/** The marker of a value: its size and SHA-256 are of the value as redacted (never of a secret it holds). */
function marker(name: ReplaceableField, value: unknown, cause: unknown, redaction: Redaction | undefined): unknown {
  if (STRING_FIELDS.includes(name)) {
    const text = typeof value === 'string' ? value : String(value);
    return omittedString(redaction === undefined ? text : redaction.scrubText(text));
  }
  const reason: OmittedReason = omissionReason(value, MAX_RECORD_BYTES) ?? (isFiatError(cause, 'RECORD_TOO_LARGE') ? 'too_large' : 'invalid');
  return omittedValue(value, reason, redaction?.active === true ? redaction.jsonRedactor(name) : undefined);
}

function size(fields: EndFields, name: ReplaceableField): number {
  const value = fields[name];
  if (typeof value === 'string') return Buffer.byteLength(value, 'utf8');
  return walkJson(value, () => undefined, { maxBytes: MAX_RECORD_BYTES }).bytes;
}

/** The fields the error names (its issues' first path segment), else the one most likely at fault. */
function culprits(fields: EndFields, cause: unknown, done: readonly ReplaceableField[]): ReplaceableField[] {
  const open = [...JSON_FIELDS, ...STRING_FIELDS].filter((name) => fields[name] !== undefined && !done.includes(name));
  if (isFiatError(cause, 'VALIDATION_FAILED')) {
    const named = open.filter((name) => cause.issues.some((issue) => issue.path.split('.')[0] === name));
    if (named.length > 0) return named;
  }
  if (isFiatError(cause, 'RECORD_TOO_LARGE')) {
    const largest = open.reduce<ReplaceableField | undefined>((best, name) => (best === undefined || size(fields, name) > size(fields, best) ? name : best), undefined);
    return largest === undefined ? [] : [largest];
  }
  return open.slice(0, 1);
}

/**
 * Replaces the value(s) that keep an end record from being stored by omitted markers: the fields
 * a `VALIDATION_FAILED` names; for `RECORD_TOO_LARGE` the largest field; otherwise (an error
 * thrown while reading the data) the free-form fields first. Returns `undefined` when nothing is
 * left to replace. With the logger's `redaction`, markers are computed from the redacted values.
 *
 * @example
 * ```ts
 * shortenEndFields(fields, recordTooLarge, []); // { fields: { …, output: { fiat_omitted: true, … } }, replaced: ['output'] }
 * ```
 */
export function shortenEndFields(fields: EndFields, cause: unknown, done: readonly ReplaceableField[], redaction?: Redaction): Shortened | undefined {
  const names = culprits(fields, cause, done);
  if (names.length === 0) return undefined;
  const next: Record<string, unknown> = { ...fields };
  for (const name of names) next[name] = marker(name, fields[name], cause, redaction);
  return { fields: next as unknown as EndFields, replaced: [...done, ...names] };
}
