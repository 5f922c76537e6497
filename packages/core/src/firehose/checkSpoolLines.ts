// Owns what a spool line must be before it is resent: newline-terminated, within Firehose's record
// limit, UTF-8, one JSON object, and — when the replay knows the stream — a valid stored record.
import { isUtf8 } from 'node:buffer';
import { FIREHOSE_MAX_RECORD_BYTES } from './options.js';

/**
 * Checks one parsed spool record of a delivery stream: `undefined` when it is valid, else the reason
 * (e.g. the issues of the stream's stored-record JSON Schema).
 *
 * @example
 * ```ts
 * const check: SpoolRecordCheck = (record) => (typeof record.event_id === 'string' ? undefined : 'event_id: is required');
 * ```
 */
export type SpoolRecordCheck = (record: Record<string, unknown>) => string | undefined;

/** A spool line a replay refuses, with where it was and why. */
export interface RejectedLine {
  /** 1-based line number in its spool file. */
  readonly line: number;
  readonly reason: string;
  /** The line's bytes, without the newline. */
  readonly raw: Buffer;
}

/** A spool file split into the lines to resend and the lines to quarantine. */
export interface CheckedLines {
  /** Lines to resend, each ending with `\n`. */
  readonly good: Buffer[];
  readonly rejected: RejectedLine[];
  /** Bytes of `good`. */
  readonly goodBytes: number;
}

const NEWLINE = 0x0a;

/** True when the bytes are only spaces, tabs and carriage returns (stops at the first other byte). */
function isBlank(body: Buffer): boolean {
  for (const byte of body) if (byte !== 0x20 && byte !== 0x09 && byte !== 0x0d) return false;
  return true;
}

function reasonOf(body: Buffer, check: SpoolRecordCheck | undefined): string | undefined {
  if (body.length + 1 > FIREHOSE_MAX_RECORD_BYTES) {
    return `oversize: ${body.length + 1} bytes, over Firehose's ${FIREHOSE_MAX_RECORD_BYTES.toLocaleString('en-US')}-byte record limit`;
  }
  if (!isUtf8(body)) return 'not valid UTF-8';
  let value: unknown;
  try {
    value = JSON.parse(body.toString('utf8'));
  } catch (error) {
    return `not JSON (${(error as Error).message})`;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'not a JSON object';
  const issue = check?.(value as Record<string, unknown>);
  return issue === undefined ? undefined : `not a valid record of its stream: ${issue}`;
}

/**
 * Splits a spool file into its lines and checks each: a line without its final newline (cut by a
 * crash), over 1,024,000 bytes, not UTF-8, not one JSON object, or refused by `check` is rejected;
 * blank lines are skipped.
 *
 * @example
 * ```ts
 * const { good, rejected } = checkSpoolLines(Buffer.from('{"n":1}\n{"n":'));
 * // good: ['{"n":1}\n'], rejected: [{ line: 2, reason: 'truncated: …' }]
 * ```
 */
export function checkSpoolLines(data: Buffer, check?: SpoolRecordCheck): CheckedLines {
  const good: Buffer[] = [];
  const rejected: RejectedLine[] = [];
  let goodBytes = 0;
  let line = 0;
  for (let start = 0; start < data.length; ) {
    line += 1;
    const end = data.indexOf(NEWLINE, start);
    const lineStart = start;
    const body = data.subarray(lineStart, end === -1 ? data.length : end);
    start = end === -1 ? data.length : end + 1;
    if (isBlank(body)) continue;
    const reason = end === -1 ? 'truncated: the line has no final newline (its writer stopped mid-line)' : reasonOf(body, check);
    if (reason !== undefined) {
      rejected.push({ line, reason, raw: body });
      continue;
    }
    good.push(data.subarray(lineStart, end + 1));
    goodBytes += end + 1 - lineStart;
  }
  return { good, rejected, goodBytes };
}

/**
 * The quarantine file's lines for the rejected lines of `file`: one JSON object per line with the
 * line number, the reason and the original text (`base64` instead when it is not UTF-8).
 *
 * @example
 * ```ts
 * quarantineLines('2026…ndjson', rejected); // [Buffer('{"file":"2026…ndjson","line":2,"reason":"truncated: …","text":"{\"n\":"}\n')]
 * ```
 */
export function quarantineLines(file: string, rejected: readonly RejectedLine[]): Buffer[] {
  return rejected.map(({ line, reason, raw }) => {
    const content = isUtf8(raw) ? { text: raw.toString('utf8') } : { base64: raw.toString('base64') };
    return Buffer.from(`${JSON.stringify({ file, line, reason, bytes: raw.length, ...content })}\n`, 'utf8');
  });
}
