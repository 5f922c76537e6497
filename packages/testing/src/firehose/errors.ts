// Owns the errors the fake Firehose raises, shaped like the AWS SDK's: `name` is the AWS error code,
// `$fault` and `$metadata.httpStatusCode` are set; and the network errors of an unreachable endpoint.

const SERVER_ERRORS = new Set(['ServiceUnavailableException', 'InternalFailure', 'InternalServerError']);

/**
 * An AWS-shaped error as the SDK raises it: `name` is the AWS error code, `$fault` and
 * `$metadata.httpStatusCode` are set.
 *
 * @example
 * ```ts
 * throw new FakeFirehoseError('ResourceNotFoundException', 'Firehose fiat-audit under account 123456789012 not found.');
 * ```
 */
export class FakeFirehoseError extends Error {
  readonly $fault: 'client' | 'server';
  readonly $metadata: { readonly httpStatusCode: number };
  readonly code: string | undefined;

  constructor(name: string, message: string, status?: number, code?: string) {
    super(message);
    this.name = name;
    const httpStatusCode = status ?? (SERVER_ERRORS.has(name) ? (name === 'ServiceUnavailableException' ? 503 : 500) : 400);
    this.$fault = httpStatusCode >= 500 ? 'server' : 'client';
    this.$metadata = { httpStatusCode };
    this.code = code;
  }
}

/** The error of an endpoint that refuses connections (`ECONNREFUSED`): nothing reached the service. */
export function connectionRefused(): Error {
  const error = new Error('connect ECONNREFUSED 127.0.0.1:443') as Error & { code: string };
  error.code = 'ECONNREFUSED';
  return error;
}

/** The error of a call whose response was lost after the records were written (the duplicate-maker). */
export function responseLostError(): Error {
  const error = new Error('socket hang up (response lost, injected by the fake)') as Error & { code: string };
  error.name = 'TimeoutError';
  error.code = 'ECONNRESET';
  return error;
}
