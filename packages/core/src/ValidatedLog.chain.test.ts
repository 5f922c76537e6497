import { generateKeyPairSync } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { CHAIN_MEMBERS_MAX_BYTES, splitSealedLine } from './chain/hash.js';
import type { ChainKeys } from './chain/keyring.js';
import type { StoredChunk } from './chain/verify/ChainVerifier.js';
import { verifyChains } from './chain/verify/verifyChains.js';
import { defineStream } from './defineStream.js';
import { FiatError, isFiatError } from './errors.js';
import { withFlush } from './firehose/withFlush.js';
import { MAX_RECORD_BYTES } from './limits.js';
import type { Transport, TransportRecord } from './transport.js';
import { ValidatedLog } from './ValidatedLog.js';
import type { VerifyReport } from './chain/verify/report.js';

const Orders = defineStream({ name: 'Orders', schema: z.object({ n: z.int(), pad: z.string().optional() }), integrity: 'chain' });
const Plain = defineStream({ name: 'Plain', schema: z.object({ n: z.int() }) });
const KEY = 'a-checkpoint-key-of-at-least-32-bytes';

/** A transport that keeps every record and can refuse some (as a full buffer would). */
function memory(): Transport & { records: TransportRecord[]; refuse?: (record: TransportRecord) => boolean; events: string[] } {
  const transport = {
    kind: 'memory',
    records: [] as TransportRecord[],
    events: [] as string[],
    refuse: undefined as ((record: TransportRecord) => boolean) | undefined,
    write(record: TransportRecord) {
      if (transport.refuse?.(record)) throw new FiatError('BUFFER_FULL', 'the buffer is full');
      transport.records.push(record);
      transport.events.push(`write ${record.names.stream}`);
    },
    flush: async () => undefined,
    flushSync: () => void transport.events.push('flushSync'),
    close: async () => {
      transport.events.push('close');
      return { delivered: transport.records.length, undelivered: 0 };
    },
    stats: () => ({ received: transport.records.length, delivered: transport.records.length, pending: 0, failed: 0, objects: 0, bytes: 0 }),
  };
  return transport;
}

const of = (records: readonly TransportRecord[], stream: string): TransportRecord[] => records.filter((r) => r.names.stream === stream);
const parsed = (records: readonly TransportRecord[], stream: string): Record<string, unknown>[] => of(records, stream).map((r) => JSON.parse(r.line));

/** Verifies what a memory transport received, one chunk per line. */
function verify(records: readonly TransportRecord[], keys?: ChainKeys): Promise<VerifyReport> {
  const chunks = (list: TransportRecord[]): StoredChunk[] => list.map((r, i) => ({ source: `${r.names.prefix}${i}`, stream: r.names.stream, text: r.line }));
  return verifyChains(
    { checkpoints: chunks(of(records, 'FiatCheckpoint')), records: chunks(records.filter((r) => r.names.stream !== 'FiatCheckpoint')) },
    keys === undefined ? {} : { keys },
  );
}

function configure(transport: Transport, extra: Record<string, unknown> = {}): ValidatedLog {
  return ValidatedLog.configure(transport, { app: 'shop', email: 'a@b.c', streams: [Orders, Plain], ...extra });
}

afterEach(() => {
  vi.useRealTimers();
});

describe('a logger writing a chained stream', () => {
  it('seals each record with one chain id and seqs 1, 2, 3, and closes the chain with a checkpoint at close()', async () => {
    // Prepare
    const transport = memory();
    const logger = configure(transport);
    // Act
    for (let n = 1; n <= 5; n++) logger.log(Orders, { n });
    logger.log(Plain, { n: 1 });
    await logger.close();
    // Assess
    const orders = parsed(transport.records, 'Orders');
    expect(orders.map((r) => r.chain_seq)).toEqual([1, 2, 3, 4, 5]);
    expect(new Set(orders.map((r) => r.chain_id)).size).toBe(1);
    expect(Object.keys(orders[0]!).slice(-3)).toEqual(['chain_id', 'chain_seq', 'chain_hash']);
    expect(parsed(transport.records, 'Plain')[0]).not.toHaveProperty('chain_id');
    expect(parsed(transport.records, 'FiatCheckpoint')).toMatchObject([{ chain_id: orders[0]!.chain_id, stream: 'Orders', table: 'orders', last_seq: 5, record_count: 5 }]);
    expect(transport.events.slice(-2)).toEqual(['write FiatCheckpoint', 'close']);
    expect(logger.stats().checkpoints).toBe(1);
    const report = await verify(transport.records);
    expect(report.ok).toBe(true);
    expect(report.chains).toMatchObject([{ stream: 'Orders', records: 5, verified: 5, checkpoints: { valid: 1, lastSeq: 5 } }]);
  });

  it('writes a checkpoint after every checkpointEvery records, with event_time exactly the clock reading it signed', async () => {
    // Prepare
    let now = Date.UTC(2026, 10, 26, 9, 0, 0);
    const transport = memory();
    const logger = configure(transport, { checkpointEvery: 3, chainKey: KEY, clock: () => (now += 7) });
    // Act
    for (let n = 1; n <= 7; n++) logger.log(Orders, { n });
    // Assess
    const checkpoints = parsed(transport.records, 'FiatCheckpoint');
    expect(checkpoints.map((c) => [c.last_seq, c.record_count])).toEqual([
      [3, 3],
      [6, 3],
    ]);
    // The clock was read at configure (the chain id), then once per record, then once for the checkpoint.
    const third = parsed(transport.records, 'Orders')[2]!;
    expect(third.event_time).toBe('2026-11-26 09:00:00.028');
    expect(checkpoints[0]).toMatchObject({ event_time: '2026-11-26 09:00:00.035', signature_alg: 'hmac-sha256' });
    // Transport order: a checkpoint follows the record it covers.
    expect(transport.records.map((r) => r.names.stream).slice(0, 5)).toEqual(['Orders', 'Orders', 'Orders', 'FiatCheckpoint', 'Orders']);
    await logger.close();
    expect(parsed(transport.records, 'FiatCheckpoint').at(-1)).toMatchObject({ last_seq: 7, record_count: 1 });
    expect((await verify(transport.records, { hmacKeys: [KEY] })).ok).toBe(true);
  });

  it('writes a checkpoint from its timer for chains with new records only, and never when nothing is new', async () => {
    // Prepare
    vi.useFakeTimers();
    const transport = memory();
    const logger = configure(transport, { checkpointIntervalMs: 1000 });
    logger.log(Orders, { n: 1 });
    logger.log(Orders, { n: 2 });
    // Act + Assess
    vi.advanceTimersByTime(1000);
    expect(parsed(transport.records, 'FiatCheckpoint').map((c) => c.last_seq)).toEqual([2]);
    vi.advanceTimersByTime(5000);
    expect(of(transport.records, 'FiatCheckpoint')).toHaveLength(1);
    logger.log(Orders, { n: 3 });
    vi.advanceTimersByTime(1000);
    expect(parsed(transport.records, 'FiatCheckpoint').map((c) => c.last_seq)).toEqual([2, 3]);
    await logger.close();
    expect(of(transport.records, 'FiatCheckpoint')).toHaveLength(2); // nothing new at close
    vi.advanceTimersByTime(5000);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('has no timer and writes no checkpoint when it writes no chained stream', async () => {
    vi.useFakeTimers();
    const transport = memory();
    const logger = ValidatedLog.configure(transport, { app: 'shop', email: 'a@b.c', streams: [Plain] });
    logger.log(Plain, { n: 1 });
    expect(vi.getTimerCount()).toBe(0);
    await logger.close();
    expect(of(transport.records, 'FiatCheckpoint')).toHaveLength(0);
  });

  it('reports a checkpoint the transport refuses to onError, never throws, and covers its records with the next one', async () => {
    // Prepare
    vi.useFakeTimers();
    const errors: FiatError[] = [];
    const transport = memory();
    const logger = configure(transport, { checkpointIntervalMs: 1000, onError: (e: FiatError) => errors.push(e) });
    logger.log(Orders, { n: 1 });
    logger.log(Orders, { n: 2 });
    transport.refuse = (r) => r.names.stream === 'FiatCheckpoint';
    // Act
    expect(() => vi.advanceTimersByTime(1000)).not.toThrow();
    transport.refuse = undefined;
    logger.log(Orders, { n: 3 });
    await logger.close();
    // Assess
    expect(errors).toHaveLength(1);
    expect(errors[0]!.code).toBe('BUFFER_FULL');
    expect(errors[0]!.message).toMatch(/^the checkpoint of chain [0-9a-f-]{36} \(Orders\) was not written: the buffer is full$/);
    expect(parsed(transport.records, 'FiatCheckpoint')).toMatchObject([{ last_seq: 3, record_count: 3 }]);
    expect((await verify(transport.records)).ok).toBe(true);
  });

  it('keeps a timer whose onError throws from reaching the host', () => {
    vi.useFakeTimers();
    const transport = memory();
    const logger = configure(transport, {
      checkpointIntervalMs: 1000,
      onError: () => {
        throw new Error('a broken onError');
      },
    });
    logger.log(Orders, { n: 1 });
    transport.refuse = () => true;
    expect(() => vi.advanceTimersByTime(3000)).not.toThrow();
    void logger.close();
  });

  it('takes back the seal of a record the transport refuses, so the chain has no gap', async () => {
    // Prepare
    const transport = memory();
    const logger = configure(transport);
    logger.log(Orders, { n: 1 });
    transport.refuse = () => true;
    // Act
    expect(() => logger.log(Orders, { n: 2 })).toThrow(/the buffer is full/);
    transport.refuse = undefined;
    logger.log(Orders, { n: 3 });
    await logger.close();
    // Assess
    expect(parsed(transport.records, 'Orders').map((r) => [r.n, r.chain_seq])).toEqual([
      [1, 1],
      [3, 2],
    ]);
    expect(logger.stats().rejected).toBe(1);
    expect((await verify(transport.records)).ok).toBe(true);
  });

  it('writes the checkpoint before the transport flushes in the exit handler, and in the beforeExit handler', async () => {
    // Prepare
    const transport = memory();
    const logger = configure(transport);
    logger.log(Orders, { n: 1 });
    // Act
    logger.flushOnExit();
    logger.log(Orders, { n: 2 });
    logger.flushBeforeExit();
    // Assess
    expect(transport.events).toEqual(['write Orders', 'write FiatCheckpoint', 'flushSync', 'write Orders', 'write FiatCheckpoint']);
    logger.flushOnExit();
    expect(of(transport.records, 'FiatCheckpoint')).toHaveLength(2);
    await logger.close();
  });

  it('signs checkpoints with an Ed25519 private key, checkable with the public key alone', async () => {
    const pair = generateKeyPairSync('ed25519');
    const transport = memory();
    const logger = configure(transport, { signingKey: pair.privateKey.export({ type: 'pkcs8', format: 'pem' }) });
    logger.log(Orders, { n: 1 });
    await logger.close();
    expect(parsed(transport.records, 'FiatCheckpoint')[0]).toMatchObject({ signature_alg: 'ed25519' });
    const report = await verify(transport.records, { publicKeys: [pair.publicKey] });
    expect(report.ok).toBe(true);
    expect(report.chains[0]!.checkpoints.valid).toBe(1);
  });

  it('chains dead letters in their own chain, leaving no gap in the data chain', async () => {
    const transport = memory();
    const logger = configure(transport, { onInvalid: 'deadletter' });
    logger.log(Orders, { n: 1 });
    logger.log(Orders, { n: 'two' } as never);
    logger.log(Orders, { n: 3 });
    await logger.close();
    expect(parsed(transport.records, 'Orders').map((r) => r.chain_seq)).toEqual([1, 2]);
    const dead = parsed(transport.records, 'FiatDeadletter');
    expect(dead).toMatchObject([{ stream: 'Orders', chain_seq: 1 }]);
    expect(dead[0]!.chain_id).not.toBe(parsed(transport.records, 'Orders')[0]!.chain_id);
    const report = await verify(transport.records);
    expect(report.ok).toBe(true);
    expect(report.chains.map((c) => c.stream).sort()).toEqual(['FiatDeadletter', 'Orders']);
  });

  it('makes a new chain per logger', async () => {
    const transport = memory();
    const first = configure(transport);
    const second = configure(transport);
    first.log(Orders, { n: 1 });
    second.log(Orders, { n: 1 });
    await Promise.all([first.close(), second.close()]);
    const ids = parsed(transport.records, 'Orders').map((r) => r.chain_id);
    expect(ids[0]).not.toBe(ids[1]);
    expect((await verify(transport.records)).chains).toHaveLength(2);
  });
});

describe('checkpoint() and the Lambda helper', () => {
  it('checkpoint() covers what is new, and withFlush checkpoints before each invocation\'s flush', async () => {
    // Prepare
    const transport = memory();
    const logger = configure(transport);
    const handler = withFlush(logger, async (n: number) => logger.log(Orders, { n }).eventId);
    transport.flush = async () => void transport.events.push('flush');
    // Act
    await handler(1, {});
    await handler(2, {});
    logger.checkpoint(); // nothing new: no checkpoint
    // Assess
    expect(transport.events).toEqual(['write Orders', 'write FiatCheckpoint', 'flush', 'write Orders', 'write FiatCheckpoint', 'flush']);
    expect(parsed(transport.records, 'FiatCheckpoint').map((c) => [c.last_seq, c.record_count])).toEqual([
      [1, 1],
      [2, 1],
    ]);
    await logger.close();
  });
});

describe('the integrity option of a logger', () => {
  it("turns chaining off for a stream with 'none'", async () => {
    const transport = memory();
    const logger = configure(transport, { integrity: { Orders: 'none' } });
    logger.log(Orders, { n: 1 });
    await logger.close();
    expect(parsed(transport.records, 'Orders')[0]).not.toHaveProperty('chain_seq');
    expect(of(transport.records, 'FiatCheckpoint')).toHaveLength(0);
  });

  it("refuses 'chain' for a stream whose definition has no chain columns, and values other than 'chain' or 'none'", () => {
    expect(() => configure(memory(), { integrity: { Plain: 'chain' } })).toThrow(/option integrity asks to chain stream Plain, whose definition has no chain columns/);
    expect(() => configure(memory(), { integrity: { Orders: 'yes' } })).toThrow(/option integrity.Orders must be 'chain' or 'none', got "yes"/);
  });
});

describe('the chain options of a logger', () => {
  it.each([
    [{ checkpointEvery: 0 }, /option checkpointEvery must be a positive integer, got 0/],
    [{ checkpointEvery: 1.5 }, /option checkpointEvery must be a positive integer/],
    [{ checkpointIntervalMs: -1 }, /option checkpointIntervalMs must be 0 or a positive number/],
    [{ chainKey: 'short-key' }, /option chainKey must be at least 32 bytes/],
    [{ chainKey: KEY, signingKey: 'x' }, /chainKey and signingKey are exclusive/],
    [{ signingKey: 'not a pem' }, /option signingKey is not a readable private key/],
    [{ chainKey: 42 }, /option chainKey must be a string or a Buffer, got number/],
  ])('refuses %j with CONFIG_INVALID, never echoing a key', (options, message) => {
    let error: unknown;
    try {
      configure(memory(), options);
    } catch (caught) {
      error = caught;
    }
    expect(isFiatError(error, 'CONFIG_INVALID')).toBe(true);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toContain('short-key');
  });
});

describe('a chained definition', () => {
  it('has the chain columns after the envelope, in its JSON Schema and its columns', () => {
    expect(Orders.integrity).toBe('chain');
    expect(Plain.integrity).toBe('none');
    expect(Orders.columns.map((c) => `${c.name} ${c.type}`)).toEqual([
      'event_id string',
      'event_time timestamp',
      'app string',
      'email string',
      'tags map<string,string>',
      'chain_id string',
      'chain_seq bigint',
      'chain_hash string',
      'n bigint',
      'pad string',
    ]);
    const properties = Orders.jsonSchema.properties as Record<string, unknown>;
    expect(properties.chain_id).toEqual({ type: 'string', format: 'uuid' });
    expect(properties.chain_seq).toEqual({ type: 'integer', minimum: 1, maximum: Number.MAX_SAFE_INTEGER });
    expect(properties.chain_hash).toEqual({ type: 'string', pattern: '^[0-9a-f]{64}$' });
    expect(Orders.jsonSchema.required).toEqual(expect.arrayContaining(['chain_id', 'chain_seq', 'chain_hash']));
  });

  it('refuses fields named like the chain columns; an unchained stream may use those names', () => {
    expect(() => defineStream({ name: 'Bad', schema: z.object({ chain_seq: z.int() }), integrity: 'chain' })).toThrow(
      /field 'chain_seq' of stream Bad collides with the envelope column 'chain_seq'/,
    );
    expect(defineStream({ name: 'Fine', schema: z.object({ chain_id: z.string() }) }).fields[0]!.name).toBe('chain_id');
  });

  it('keeps room for the chain members: the largest record it accepts is at most 1,024,000 bytes once sealed', async () => {
    // Prepare: a pad that makes the encoded line exactly the chained limit, then one byte more.
    const transport = memory();
    const logger = configure(transport);
    const base = Buffer.byteLength(Orders.encode({ n: 1, pad: '' }, { eventId: '019abc12-3def-7123-8456-789abcdef012', eventTime: 0, app: 'shop', email: 'a@b.c', tags: {} }));
    const fits = 'x'.repeat(MAX_RECORD_BYTES - CHAIN_MEMBERS_MAX_BYTES - base);
    // Act
    logger.log(Orders, { n: 1, pad: fits });
    let error: unknown;
    try {
      logger.log(Orders, { n: 2, pad: `${fits}x` });
    } catch (caught) {
      error = caught;
    }
    // Assess
    const sealed = of(transport.records, 'Orders')[0]!.line;
    expect(Buffer.byteLength(sealed)).toBeLessThanOrEqual(MAX_RECORD_BYTES);
    expect(splitSealedLine(sealed.slice(0, -1))).toBeDefined();
    expect(isFiatError(error, 'RECORD_TOO_LARGE')).toBe(true);
    expect((error as Error).message).toMatch(/over the 1,023,841-byte limit of a chained record/);
    await logger.close();
  });
});
