// Owns what a failed PutRecordBatch call means: retrying cannot help, the call was refused, it never
// reached Firehose, or its outcome is unknown (the only case where a resend may duplicate records).

/**
 * How a failed call is treated:
 * - `'fatal'`: retrying cannot help (missing stream, bad argument, access denied, stream not ACTIVE);
 * - `'throttled'`: Firehose refused the call, nothing was written;
 * - `'unsent'`: the request never reached Firehose (connection refused, DNS failure, no route);
 * - `'unknown'`: timeout after sending, network error mid-call, 5xx: the records may have been written.
 */
export type FirehoseErrorKind = 'fatal' | 'throttled' | 'unsent' | 'unknown';

const FATAL_ERRORS = new Set([
  'ResourceNotFoundException',
  'InvalidArgumentException',
  'ValidationException',
  'AccessDeniedException',
  'AccessDenied',
  'UnrecognizedClientException',
  'InvalidSignatureException',
  'IncompleteSignature',
  'MissingAuthenticationToken',
  'InvalidClientTokenId',
  'ExpiredTokenException',
  'NotAuthorized',
  'InvalidKMSResourceException',
  'InvalidSourceException',
  'ResourceInUseException',
  'SerializationException',
]);
const THROTTLING_ERRORS = new Set(['ServiceUnavailableException', 'ThrottlingException', 'LimitExceededException', 'ProvisionedThroughputExceededException']);
/** Socket errors raised before a request is written: the server cannot have applied anything. */
const CONNECT_ERRORS = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL']);

/**
 * Classifies a failed `PutRecordBatch` call (see {@link FirehoseErrorKind}).
 *
 * @example
 * ```ts
 * classifyFirehoseError({ name: 'ResourceNotFoundException', $metadata: { httpStatusCode: 400 } }); // 'fatal'
 * classifyFirehoseError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })); // 'unsent'
 * ```
 */
export function classifyFirehoseError(error: unknown): FirehoseErrorKind {
  const e = (error ?? {}) as { name?: unknown; code?: unknown; $metadata?: { httpStatusCode?: number } };
  const name = typeof e.name === 'string' ? e.name : '';
  if (FATAL_ERRORS.has(name)) return 'fatal';
  if (THROTTLING_ERRORS.has(name)) return 'throttled';
  const status = e.$metadata?.httpStatusCode;
  if (status === 429) return 'throttled';
  if (status !== undefined && status >= 400 && status < 500 && name !== 'RequestTimeout' && name !== 'RequestTimeoutException') return 'fatal';
  if (status === undefined && typeof e.code === 'string' && CONNECT_ERRORS.has(e.code)) return 'unsent';
  return 'unknown';
}

/**
 * One line naming an error: `Name: first line of the message`.
 *
 * @example
 * ```ts
 * describeError(new RangeError('bad\nmore')); // 'RangeError: bad'
 * ```
 */
export function describeError(error: unknown): string {
  const e = error as { name?: unknown; message?: unknown } | null | undefined;
  const name = typeof e?.name === 'string' ? e.name : 'Error';
  const message = typeof e?.message === 'string' ? e.message.split('\n')[0] : String(error);
  return `${name}: ${message}`;
}
