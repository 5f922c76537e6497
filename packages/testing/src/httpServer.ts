// Owns the HTTP plumbing every fake server shares (Firehose, Athena, S3, CloudWatch Logs, IAM): listen on
// 127.0.0.1, read a request body, close; and the whole server of the small fakes (Logs, IAM).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A running fake HTTP endpoint. */
export interface FakeHttpEndpoint {
  /** `http://127.0.0.1:<port>`: pass it as the SDK client's `endpoint`. */
  readonly endpoint: string;
  /** The port it listens on. */
  readonly port: number;
  /** Stops the server and drops open connections. */
  close(): Promise<void>;
}

/** One answer of a fake: status, headers and body. */
export interface FakeHttpAnswer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** Where a fake listens. */
export interface ListenOptions {
  /** Port to listen on. Default: 0 (a free port). */
  readonly port?: number;
  /** Interface to listen on. Default: `'127.0.0.1'`. */
  readonly host?: string;
}

/**
 * Starts `server` listening (127.0.0.1 and a free port unless told otherwise) and returns its endpoint,
 * its port, and a `close()` that stops it and drops open connections.
 *
 * @example
 * ```ts
 * const { endpoint, close } = await listenLocal(createServer(handler), {});
 * ```
 */
export async function listenLocal(server: Server, options: ListenOptions): Promise<FakeHttpEndpoint> {
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    endpoint: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/**
 * The whole body of a request.
 *
 * @example
 * ```ts
 * const body = (await readBody(request)).toString('utf8');
 * ```
 */
export function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

function send(response: ServerResponse, answer: FakeHttpAnswer): void {
  response.writeHead(answer.status, { ...answer.headers, 'content-length': String(Buffer.byteLength(answer.body)) });
  response.end(answer.body);
}

/**
 * Starts an HTTP server whose every request is answered by `handle(request, body)`. A handler that
 * throws gets a 500 with the message. Listens on 127.0.0.1 and a free port unless told otherwise.
 *
 * @example
 * ```ts
 * const server = await startFakeHttpEndpoint(async () => ({ status: 200, headers: {}, body: '{}' }), {});
 * await server.close();
 * ```
 */
export async function startFakeHttpEndpoint(
  handle: (request: IncomingMessage, body: string) => FakeHttpAnswer | Promise<FakeHttpAnswer>,
  options: ListenOptions,
): Promise<FakeHttpEndpoint> {
  const server = createServer((request, response) => {
    void (async () => {
      let answer: FakeHttpAnswer;
      try {
        answer = await handle(request, (await readBody(request)).toString('utf8'));
      } catch (error) {
        answer = { status: 500, headers: { 'content-type': 'text/plain' }, body: String((error as Error).message) };
      }
      try {
        send(response, answer);
      } catch {
        response.destroy();
      }
    })();
  });
  server.keepAliveTimeout = 1000;
  return listenLocal(server, options);
}
