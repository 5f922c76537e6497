import { afterEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { defineStream } from './defineStream.js';
import { isFiatError } from './errors.js';
import type { Transport } from './transport.js';
import { registerTransportFactory, routeOptions, type TransportFactory } from './transportFactory.js';
import { ValidatedLog } from './ValidatedLog.js';

const Thing = defineStream({ name: 'Thing', schema: z.object({ n: z.int() }) });

function memoryTransport(): Transport {
  return {
    kind: 'memory',
    write: () => undefined,
    flush: async () => {},
    close: async () => ({ delivered: 0, undelivered: 0 }),
    stats: () => ({ received: 0, delivered: 0, pending: 0, failed: 0, objects: 0, bytes: 0 }),
  };
}

/** A factory that keeps the options it was given. */
function capturingFactory(kind: string, optionKeys: string[]) {
  const given: Record<string, unknown>[] = [];
  const factory: TransportFactory<Record<string, unknown>> = {
    kind,
    optionKeys,
    create: (options) => (given.push(options), memoryTransport()),
  };
  return { factory, given };
}

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

afterEach(() => {
  vi.resetModules();
});

describe('routeOptions', () => {
  it("gives the transport its keys only, onError to both, and nothing of the logger's", () => {
    const onError = () => undefined;
    const routed = routeOptions({ app: 'a', email: 'e', tags: { t: 'x' }, onError, client: 1, retry: undefined }, ['app', 'email', 'tags', 'onError'], ['client', 'retry', 'onError'], 'test');
    expect(routed).toEqual({ client: 1, onError });
  });

  it('refuses a key that is neither the logger’s nor the transport’s, naming it', () => {
    const error = thrown(() => routeOptions({ app: 'a', lakeDirr: 'x' }, ['app'], ['lakeDir'], 'local'));
    expect(isFiatError(error, 'CONFIG_INVALID')).toBe(true);
    expect((error as Error).message).toBe('option lakeDirr is not an option of the logger nor of the local transport (known: app, lakeDir)');
  });
});

describe('ValidatedLog.configure and transport factories', () => {
  it('routes options by the declared keys, so a logger option never reaches the transport', () => {
    // Prepare
    const { factory, given } = capturingFactory('capture', ['client', 'onError']);
    const onError = () => undefined;
    // Act
    ValidatedLog.configure(factory, { app: 'a', email: 'e@x', tags: { t: 'x' }, streams: [Thing], clock: () => 0, onError, client: 'c' });
    // Assess
    expect(given).toEqual([{ client: 'c', onError }]);
  });

  it('finds a registered transport by name', () => {
    const { factory, given } = capturingFactory('registered-by-test', ['client']);
    registerTransportFactory(factory);
    ValidatedLog.configure('registered-by-test' as 'firehose', { app: 'a', email: 'e@x', client: 'c' } as never);
    expect(given).toEqual([{ client: 'c' }]);
  });

  it('refuses unknown options for every kind of transport, naming them', () => {
    const { factory } = capturingFactory('capture', ['client']);
    const messages = [
      () => ValidatedLog.configure(factory, { app: 'a', email: 'e@x', clientt: 1 } as never),
      () => ValidatedLog.configure('local', { app: 'a', email: 'e@x', maxRecordBytes: 1 } as never),
      () => ValidatedLog.configure(memoryTransport(), { app: 'a', email: 'e@x', lakeDir: '/tmp' } as never),
    ].map((fn) => (thrown(fn) as Error).message);
    expect(messages).toEqual([
      expect.stringMatching(/^option clientt is not an option of the logger nor of the capture transport/),
      expect.stringMatching(/^option maxRecordBytes is not an option of the logger nor of the local transport/),
      expect.stringMatching(/^option lakeDir is not an option of the logger nor of the memory transport/),
    ]);
  });

  it("says which module to import when 'firehose' is asked for and @fiat/core/firehose was never imported", async () => {
    // Prepare: a fresh module graph where only the root is loaded
    vi.resetModules();
    const core = await import('./index.js');
    // Act
    const error = thrown(() => core.ValidatedLog.configure('firehose', { app: 'a', email: 'e@x', client: { putRecordBatch: async () => ({}) } }));
    // Assess
    expect(isFiatError(error, 'CONFIG_INVALID')).toBe(true);
    expect((error as Error).message).toMatch(/transport 'firehose' is not loaded: import '@fiat\/core\/firehose'/);
  });
});
