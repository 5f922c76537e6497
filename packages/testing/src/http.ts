import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

/** What went wrong with a request a fake server could not serve. */
export type FakeRequestErrorKind = 'aborted' | 'too_large' | 'malformed' | 'client_error' | 'internal';

/**
 * A request a fake server could not serve: the client aborted or reset it, sent a malformed one
 * (bad JSON, wrong content type, no target header, broken HTTP), or a body over the limit. The
 * server answered with a 4xx or closed the socket, and goes on serving.
 *
 * @example
 * ```ts
 * expect(server.requestErrors.map((e) => e.kind)).toEqual(['aborted']);
 * ```
 */
export class FakeRequestError extends Error {
  override readonly name = 'FakeRequestError';
  /** The AWS error type the server answered with (`__type`), when it could answer. */
  readonly awsType: string;

  constructor(
    readonly kind: FakeRequestErrorKind,
    message: string,
    options: { readonly cause?: unknown; readonly awsType?: string } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.awsType = options.awsType ?? (kind === 'internal' ? 'InternalFailure' : 'SerializationException');
  }
}

function describe(cause: unknown): string {
  try {
    return cause instanceof Error ? cause.message : String(cause);
  } catch {
    return 'an error that cannot be described';
  }
}

/** Default largest request body a fake server reads: 16 MiB (Firehose's 4 MiB batch, base64 and JSON, with room). */
export const DEFAULT_MAX_BODY_BYTES = 16 * 1024 * 1024;
/** How many request errors a fake server keeps in `requestErrors`. */
const KEPT_ERRORS = 100;

/**
 * The request errors of one server: kept (the last 100) and passed to `onRequestError`, whose own
 * errors are ignored.
 *
 * @example
 * ```ts
 * const log = new RequestErrorLog(options.onRequestError);
 * log.guard(server);
 * ```
 */
export class RequestErrorLog {
  readonly errors: FakeRequestError[] = [];

  constructor(private readonly onRequestError: ((error: FakeRequestError) => void) | undefined) {}

  record(error: FakeRequestError): void {
    this.errors.push(error);
    if (this.errors.length > KEPT_ERRORS) this.errors.shift();
    try {
      this.onRequestError?.(error);
    } catch {
      // A throwing callback must not crash the server's host.
    }
  }

  /**
   * Ends a request that failed: records the error (anything thrown becomes an `internal` one) and
   * answers it with `answer` (a 4xx/5xx), a 413, or a closed socket. Never throws.
   */
  fail(request: IncomingMessage, response: ServerResponse, cause: unknown, server: string, answer: (error: FakeRequestError) => void): void {
    const error = cause instanceof FakeRequestError ? cause : new FakeRequestError('internal', `${server} failed: ${describe(cause)}`, { cause });
    this.record(error);
    try {
      answerRequestError(request, response, error, () => answer(error));
    } catch {
      request.socket.destroy();
    }
  }

  /**
   * Makes `server` survive broken HTTP: malformed requests and resets are answered 400 or dropped,
   * and recorded, instead of reaching the process as errors.
   */
  guard(server: Server): void {
    server.on('clientError', (error: Error & { code?: string }, socket: Socket) => {
      // A client that went away mid-request is recorded once, as 'aborted', by the request itself.
      if (error.code === 'ECONNRESET' || error.code === 'HPE_INVALID_EOF_STATE') {
        socket.destroy();
        return;
      }
      this.record(new FakeRequestError('client_error', `malformed HTTP request: ${error.code ?? error.message}`, { cause: error }));
      if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      else socket.destroy();
    });
    server.on('error', (error) => this.record(new FakeRequestError('internal', `server error: ${error.message}`, { cause: error })));
  }
}

/**
 * Reads a request body of at most `maxBytes`. Rejects with a {@link FakeRequestError}: `too_large`
 * (declared or actual), or `aborted` when the client aborts or resets before the end. Never leaves
 * an `'error'` event unhandled.
 *
 * @example
 * ```ts
 * const body = await readRequestBody(request, 16 * 1024 * 1024);
 * ```
 */
export function readRequestBody(request: IncomingMessage, maxBytes: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const fail = (error: FakeRequestError): void => {
      if (settled) return;
      settled = true;
      reject(error);
    };
    request.on('error', (error) => fail(new FakeRequestError('aborted', `the client aborted the request: ${error.message}`, { cause: error })));
    request.on('close', () => fail(new FakeRequestError('aborted', 'the connection closed before the request body ended')));
    const declared = Number(request.headers['content-length']);
    if (Number.isFinite(declared) && declared > maxBytes) {
      fail(new FakeRequestError('too_large', `request body of ${declared} bytes is over the ${maxBytes}-byte limit`));
      return;
    }
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) fail(new FakeRequestError('too_large', `request body is over the ${maxBytes}-byte limit`));
      else if (!settled) chunks.push(chunk);
    });
    request.on('end', () => {
      if (settled) return;
      settled = true;
      resolve(Buffer.concat(chunks).toString('utf8'));
    });
  });
}

/**
 * True when the request declares a JSON body (`application/x-amz-json-1.1`, `application/json`).
 *
 * @example
 * ```ts
 * if (!isJsonRequest(request)) throw new FakeRequestError('malformed', 'unsupported content-type');
 * ```
 */
export function isJsonRequest(request: IncomingMessage): boolean {
  const type = String(request.headers['content-type'] ?? '').toLowerCase();
  return type.startsWith('application/x-amz-json-') || type.startsWith('application/json');
}

/**
 * Answers a request that failed with a {@link FakeRequestError}: 413 for a body over the limit,
 * nothing when the client is gone, else `badRequest`. Closes the connection after a 413.
 */
function answerRequestError(request: IncomingMessage, response: ServerResponse, error: FakeRequestError, badRequest: () => void): void {
  if (request.socket.destroyed || response.headersSent) {
    request.socket.destroy();
    return;
  }
  if (error.kind === 'too_large') {
    response.writeHead(413, { 'content-type': 'application/x-amz-json-1.1', connection: 'close' });
    response.end(JSON.stringify({ __type: 'SerializationException', message: error.message }), () => request.socket.destroy());
    return;
  }
  if (error.kind === 'aborted') {
    request.socket.destroy();
    return;
  }
  badRequest();
}
