// Owns the HTTP plumbing the small AWS fakes (CloudWatch Logs, IAM) share: listen on 127.0.0.1,
// read a request body, answer, close.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
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

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
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
  options: { readonly port?: number; readonly host?: string },
): Promise<FakeHttpEndpoint> {
  const server = createServer((request, response) => {
    void (async () => {
      let answer: FakeHttpAnswer;
      try {
        answer = await handle(request, await readBody(request));
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
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  return {
    endpoint: `http://${address.address}:${address.port}`,
    port: address.port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
