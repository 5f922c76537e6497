/**
 * The closed set of error codes a {@link FiatError} can carry.
 *
 * - `INVALID_DEFINITION` — a stream definition (Zod schema or schema folder) cannot become a table.
 * - `VALIDATION_FAILED` — a record's fields do not match its stream; nothing was enqueued.
 * - `RECORD_TOO_LARGE` — a serialized record is over Firehose's 1,000 KiB record limit.
 * - `UNKNOWN_STREAM` — `log('Name', …)` named a stream that is not in the logger's `streams`.
 * - `CONFIG_INVALID` — an option or configuration value is missing or malformed.
 * - `LOGGER_CLOSED` — `log()` was called after `close()`.
 * - `BUFFER_FULL` — the transport buffer is full and `onFull` is `'throw'`.
 * - `DELIVERY_FAILED` — records could not be delivered (they were spooled or dead-lettered).
 * - `QUERY_FAILED` — a SQL query failed.
 * - `IO_FAILED` — reading or writing a local file failed.
 */
export const FIAT_ERROR_CODES = [
  'INVALID_DEFINITION',
  'VALIDATION_FAILED',
  'RECORD_TOO_LARGE',
  'UNKNOWN_STREAM',
  'CONFIG_INVALID',
  'LOGGER_CLOSED',
  'BUFFER_FULL',
  'DELIVERY_FAILED',
  'QUERY_FAILED',
  'IO_FAILED',
] as const;

/** One of {@link FIAT_ERROR_CODES}. */
export type FiatErrorCode = (typeof FIAT_ERROR_CODES)[number];

/**
 * One problem with an input value: where it is (`path`, dotted, `''` for the record itself)
 * and what is wrong with it.
 *
 * @example
 * ```ts
 * const issue: FiatIssue = { path: 'task_args.x', message: 'must be number' };
 * ```
 */
export interface FiatIssue {
  readonly path: string;
  readonly message: string;
}

/** Options accepted by the {@link FiatError} constructor. */
export interface FiatErrorOptions {
  /** The underlying error (an AWS SDK error, a file-system error…). */
  readonly cause?: unknown;
  /** Problems with the input, when the error is about input. */
  readonly issues?: readonly FiatIssue[];
}

/**
 * The one error type Fiat throws. `code` is machine-readable; `message` is one line that
 * names the offending field or setting; `issues` lists input problems; `cause` keeps the
 * original error.
 *
 * @example
 * ```ts
 * try {
 *   logger.log(Audit, { task: 42 });
 * } catch (error) {
 *   if (isFiatError(error) && error.code === 'VALIDATION_FAILED') console.error(error.issues);
 * }
 * ```
 */
export class FiatError extends Error {
  override readonly name = 'FiatError';
  readonly code: FiatErrorCode;
  readonly issues: readonly FiatIssue[];

  constructor(code: FiatErrorCode, message: string, options: FiatErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.issues = options.issues ?? [];
  }
}

/**
 * True when `value` is a {@link FiatError}, also across duplicate copies of `@fiat/core`
 * where `instanceof` fails.
 *
 * @example
 * ```ts
 * if (isFiatError(error, 'RECORD_TOO_LARGE')) shrink(record);
 * ```
 */
export function isFiatError(value: unknown, code?: FiatErrorCode): value is FiatError {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as { name?: unknown; code?: unknown };
  return (
    candidate.name === 'FiatError' &&
    typeof candidate.code === 'string' &&
    (FIAT_ERROR_CODES as readonly string[]).includes(candidate.code) &&
    (code === undefined || candidate.code === code)
  );
}

/** Formats issues as the one-line `path: message; path: message` list used in messages. */
export function formatIssues(issues: readonly FiatIssue[]): string {
  return issues.map((issue) => (issue.path === '' ? issue.message : `${issue.path}: ${issue.message}`)).join('; ');
}
