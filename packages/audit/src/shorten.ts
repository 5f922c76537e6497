import { isFiatError, MAX_RECORD_BYTES, omissionReason, omittedString, omittedValue, walkJson, type OmittedReason, type Redaction } from '@fiat/core';

/** The fields of a start record. */
export interface StartFields {
  readonly audit_id: string;
  readonly phase: 'start';
  readonly task: string;
  readonly task_args: unknown;
  readonly ticket_id?: string;
}

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

/** The fields of a start, output or error record. */
export type AuditFields = StartFields | EndFields;

/** The fields of a record that can be replaced by an omitted marker. */
export type ReplaceableField = 'output' | 'task_args' | 'error_message' | 'error_name' | 'ticket_id' | 'task';

/** Free-form fields (JSON text) and then string fields, in the order they are replaced when the cause is unclear. */
const JSON_FIELDS: readonly ReplaceableField[] = ['output', 'task_args'];
const STRING_FIELDS: readonly ReplaceableField[] = ['error_message', 'error_name', 'ticket_id', 'task'];

/** What an end record may have replaced: any value at fault, so the trail still shows the call ended. */
export const END_REPLACEABLE: readonly ReplaceableField[] = [...JSON_FIELDS, ...STRING_FIELDS];
/** What a start record may have replaced: only `task_args` (a start whose task or ticket is refused is not written). */
export const START_REPLACEABLE: readonly ReplaceableField[] = ['task_args'];

/** A record shortened once more, and the fields replaced so far. */
export interface Shortened<F extends AuditFields = AuditFields> {
  readonly fields: F;
  readonly replaced: readonly ReplaceableField[];
}

/** A field's value, whatever the kind of record. */
function valueOf(fields: AuditFields, name: ReplaceableField): unknown {
  return (fields as Readonly<Partial<Record<ReplaceableField, unknown>>>)[name];
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

function size(fields: AuditFields, name: ReplaceableField): number {
  const value = valueOf(fields, name);
  if (typeof value === 'string') return Buffer.byteLength(value, 'utf8');
  return walkJson(value, () => undefined, { maxBytes: MAX_RECORD_BYTES }).bytes;
}

/**
 * The fields the error names (its issues' first path segment), else the one most likely at fault;
 * none when the error names only fields that may not be replaced.
 */
function culprits(fields: AuditFields, cause: unknown, done: readonly ReplaceableField[], replaceable: readonly ReplaceableField[]): ReplaceableField[] {
  const open = replaceable.filter((name) => valueOf(fields, name) !== undefined && !done.includes(name));
  if (isFiatError(cause, 'VALIDATION_FAILED')) {
    const heads = cause.issues.map((issue) => issue.path.split('.')[0]).filter((head) => head !== '');
    const named = open.filter((name) => heads.includes(name));
    if (named.length > 0) return named;
    if (heads.length > 0 && !heads.some((head) => replaceable.includes(head as ReplaceableField))) return [];
  }
  if (isFiatError(cause, 'RECORD_TOO_LARGE')) {
    const largest = open.reduce<ReplaceableField | undefined>((best, name) => (best === undefined || size(fields, name) > size(fields, best) ? name : best), undefined);
    return largest === undefined ? [] : [largest];
  }
  return open.slice(0, 1);
}

/**
 * Replaces the value(s) that keep a record from being stored by omitted markers, among the
 * `replaceable` fields ({@link END_REPLACEABLE} or {@link START_REPLACEABLE}): the fields a
 * `VALIDATION_FAILED` names; for `RECORD_TOO_LARGE` the largest field; otherwise (an issue that names
 * no field) the free-form fields first. Returns `undefined` when nothing is left to
 * replace, or the error names only fields that may not be replaced. With the logger's `redaction`,
 * markers are computed from the redacted values.
 *
 * @example
 * ```ts
 * shortenFields(fields, recordTooLarge, [], END_REPLACEABLE); // { fields: { …, output: { fiat_omitted: true, … } }, replaced: ['output'] }
 * ```
 */
export function shortenFields<F extends AuditFields>(
  fields: F,
  cause: unknown,
  done: readonly ReplaceableField[],
  replaceable: readonly ReplaceableField[],
  redaction?: Redaction,
): Shortened<F> | undefined {
  const names = culprits(fields, cause, done, replaceable);
  if (names.length === 0) return undefined;
  const next: Record<string, unknown> = { ...fields };
  for (const name of names) next[name] = marker(name, valueOf(fields, name), cause, redaction);
  return { fields: next as unknown as F, replaced: [...done, ...names] };
}
