import { request } from 'node:http';
import { connect } from 'node:net';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startFakeAthenaServer } from './athena/server.js';
import { startFakeFirehoseServer } from './firehose/server.js';
import type { FakeRequestError } from './http.js';

interface Served {
  readonly port: number;
  readonly requestErrors: readonly FakeRequestError[];
  readonly target: string;
  readonly validBody: string;
  close(): Promise<void>;
}

const MAX_BODY = 64 * 1024;

const servers: Record<string, (onRequestError: (e: FakeRequestError) => void) => Promise<Served>> = {
  'the fake Firehose server': async (onRequestError) => {
    const server = await startFakeFirehoseServer({ maxBodyBytes: MAX_BODY, onRequestError });
    return { ...server, port: server.port, requestErrors: server.requestErrors, target: 'Firehose_20150804.ListDeliveryStreams', validBody: '{}', close: () => server.close() };
  },
  'the fake Athena server': async (onRequestError) => {
    const lakeDir = await mkdtemp(join(tmpdir(), 'fiat-athena-abuse-'));
    const server = await startFakeAthenaServer({ lakeDir, maxBodyBytes: MAX_BODY, onRequestError });
    return { port: server.port, requestErrors: server.requestErrors, target: 'AmazonAthena.StartQueryExecution', validBody: '{"QueryString":"SELECT 1"}', close: () => server.close() };
  },
};

/** Sends raw bytes; resolves with what came back once the server closed the connection (or it was reset). */
function raw(port: number, text: string, options: { readonly reset?: boolean } = {}): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let received = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (received += chunk));
    socket.on('error', () => resolve(received));
    socket.on('close', () => resolve(received));
    socket.write(text, () => {
      if (options.reset) socket.resetAndDestroy();
    });
  });
}

function headers(target: string | undefined, extra: Record<string, string | number> = {}): string {
  const lines = { Host: '127.0.0.1', 'Content-Type': 'application/x-amz-json-1.1', Connection: 'close', ...(target === undefined ? {} : { 'X-Amz-Target': target }), ...extra };
  return Object.entries(lines).map(([k, v]) => `${k}: ${v}\r\n`).join('');
}

function post(port: number, target: string | undefined, body: string, extra: Record<string, string | number> = {}): Promise<string> {
  return raw(port, `POST / HTTP/1.1\r\n${headers(target, { 'Content-Length': Buffer.byteLength(body), ...extra })}\r\n${body}`);
}

/** A client that sends part of a body and aborts, as a request timeout does. */
function abortMidBody(port: number, target: string): Promise<void> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, method: 'POST', headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': target, 'content-length': 1000 } });
    req.on('error', () => resolve());
    req.write('{"Records":[', () => setImmediate(() => req.destroy()));
    req.on('close', () => resolve());
  });
}

const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown): void => void unhandled.push(reason);
beforeEach(() => {
  unhandled.length = 0;
  process.on('unhandledRejection', onUnhandled);
});
afterEach(() => {
  process.off('unhandledRejection', onUnhandled);
});

describe.each(Object.keys(servers))('%s survives misbehaving clients', (name) => {
  const start = servers[name]!;

  it('records aborted bodies, resets, malformed requests and huge bodies, answers 4xx or closes, and keeps serving', async () => {
    // Prepare
    const seen: FakeRequestError[] = [];
    const server = await start((error) => {
      seen.push(error);
      throw new Error('a callback that throws must not matter either');
    });
    try {
      const { port, target } = server;
      // Act
      await abortMidBody(port, target);
      await raw(port, `POST / HTTP/1.1\r\n${headers(target, { 'Content-Length': 500 })}\r\n{"partial`, { reset: true });
      const badJson = await post(port, target, '{not json');
      const wrongType = await post(port, target, '{}', { 'Content-Type': 'text/plain' });
      const noTarget = await post(port, undefined, '{}');
      const declaredHuge = await raw(port, `POST / HTTP/1.1\r\n${headers(target, { 'Content-Length': 100_000_000 })}\r\n{`);
      const chunkedHuge = await raw(port, `POST / HTTP/1.1\r\n${headers(target, { 'Transfer-Encoding': 'chunked' })}\r\n${`4000\r\n${'x'.repeat(0x4000)}\r\n`.repeat(6)}0\r\n\r\n`);
      const garbage = await raw(port, 'HELLO THERE\r\n\r\n');
      // Assess
      expect(badJson).toMatch(/^HTTP\/1\.1 400 [\s\S]*SerializationException[\s\S]*not JSON/);
      expect(wrongType).toMatch(/^HTTP\/1\.1 400 [\s\S]*unsupported content-type 'text\/plain'/);
      expect(noTarget).toMatch(/^HTTP\/1\.1 400 [\s\S]*UnknownOperationException/);
      expect(declaredHuge).toMatch(/^HTTP\/1\.1 413 /);
      expect(chunkedHuge).toMatch(/^HTTP\/1\.1 413 /);
      expect(garbage).toMatch(/^HTTP\/1\.1 400 /);
      await vi.waitFor(() => expect(server.requestErrors.filter((e) => e.kind === 'aborted').length).toBe(2));
      expect(server.requestErrors.map((e) => e.kind).sort()).toEqual(['aborted', 'aborted', 'client_error', 'malformed', 'malformed', 'malformed', 'too_large', 'too_large']);
      expect(seen).toEqual(server.requestErrors);
      const ok = await post(port, target, server.validBody);
      expect(ok).toMatch(/^HTTP\/1\.1 200 /);
      expect(unhandled).toEqual([]);
    } finally {
      await server.close();
    }
  });
});
