import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineStream } from './defineStream.js';
import { isFiatError, type FiatError } from './errors.js';
import type { TransportRecord } from './transport.js';
import { ValidatedLog } from './ValidatedLog.js';
import { listFiles, readLakeLines, tempDir } from './test-helpers/lake.js';
import { memoryTransport } from './test-helpers/memoryTransport.js';

const Orders = defineStream({
  name: 'Orders',
  schema: z.object({
    order_id: z.string().min(1),
    status: z.enum(['new', 'paid']),
    qty: z.int().min(0),
    total: z.number(),
    paid: z.boolean().optional(),
    placed_at: z.iso.datetime(),
    due: z.iso.date().optional(),
    items: z.array(z.object({ sku: z.string(), at: z.date().optional() })).optional(),
    labels: z.record(z.string(), z.string()).optional(),
    meta: z.unknown().optional(),
    note: z.string().nullable().optional(),
  }),
});

const valid = { order_id: 'o-1', status: 'new' as const, qty: 2, total: 9.5, placed_at: '2026-11-26T10:00:00.123Z' };

function logger(options: Partial<Parameters<typeof ValidatedLog.configure>[1]> = {}) {
  const transport = memoryTransport();
  const log = ValidatedLog.configure(transport, {
    app: 'shop',
    email: 'team@example.com',
    tags: { env: 'test' },
    streams: [Orders],
    clock: () => Date.UTC(2026, 10, 26, 9, 5, 7, 42),
    ...options,
  });
  return { log, transport };
}

function thrown(fn: () => unknown): FiatError {
  try {
    fn();
  } catch (error) {
    if (isFiatError(error)) return error;
    throw error;
  }
  throw new Error('expected a FiatError');
}

const open: ValidatedLog[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((l) => l.close()));
});

describe('ValidatedLog.log', () => {
  it('encodes a valid record with the envelope and storage encoding, as one newline-terminated line', () => {
    // Prepare
    const { log, transport } = logger();
    // Act
    const entry = log.log(Orders, {
      ...valid,
      items: [{ sku: 'a', at: new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 6)) }],
      meta: { nested: [1, 'two', null] },
      labels: { a: 'b' },
    });
    // Assess
    expect(transport.records).toHaveLength(1);
    const line = transport.records[0]!.line;
    expect(line.endsWith('\n')).toBe(true);
    expect(line.indexOf('\n')).toBe(line.length - 1);
    const stored = JSON.parse(line);
    expect(stored).toEqual({
      event_id: entry.eventId,
      event_time: '2026-11-26 09:05:07.042',
      app: 'shop',
      email: 'team@example.com',
      tags: { env: 'test' },
      order_id: 'o-1',
      status: 'new',
      qty: 2,
      total: 9.5,
      placed_at: '2026-11-26 10:00:00.123',
      items: [{ sku: 'a', at: '2026-01-02 03:04:05.006' }],
      meta: '{"nested":[1,"two",null]}',
      labels: { a: 'b' },
    });
    expect(entry.eventId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(transport.records[0]!.names.deliveryStream).toBe('fiat-orders');
  });

  it("keeps each logger's own envelope when loggers alternate", () => {
    const a = logger({ app: 'a', tags: { t: '1' } });
    const b = logger({ app: 'b', email: 'b@example.com', tags: {} });
    for (let i = 0; i < 3; i++) {
      a.log.log(Orders, valid);
      b.log.log(Orders, valid);
    }
    const envelopes = (records: TransportRecord[]) => records.map((r) => JSON.parse(r.line)).map(({ app, email, tags }) => ({ app, email, tags }));
    expect(envelopes(a.transport.records)).toEqual(Array(3).fill({ app: 'a', email: 'team@example.com', tags: { t: '1' } }));
    expect(envelopes(b.transport.records)).toEqual(Array(3).fill({ app: 'b', email: 'b@example.com', tags: {} }));
  });

  it('converts ISO date-times with offsets to UTC', () => {
    const { log, transport } = logger();
    log.log(Orders, { ...valid, placed_at: '2026-11-26T12:00:00+02:00' });
    expect(JSON.parse(transport.records[0]!.line).placed_at).toBe('2026-11-26 10:00:00.000');
  });

  it('looks a stream up by name', () => {
    const { log, transport } = logger();
    log.log('Orders', valid);
    expect(transport.records).toHaveLength(1);
    expect(thrown(() => log.log('Nope', valid)).code).toBe('UNKNOWN_STREAM');
  });

  it('applies per-logger name overrides', () => {
    const { log, transport } = logger({ names: { Orders: { deliveryStream: 'prod-orders' } } });
    log.log(Orders, valid);
    expect(transport.records[0]!.names).toEqual({ stream: 'Orders', table: 'orders', prefix: 'orders/', deliveryStream: 'prod-orders' });
  });
});

describe('ValidatedLog.log with bad input', () => {
  it.each([
    ['a wrong type', { ...valid, qty: 'two' }, 'qty: must be integer'],
    ['a missing field', { ...valid, order_id: undefined }, 'order_id: is required'],
    ['an absent field', (({ order_id: _o, ...rest }) => rest)(valid), 'order_id: is required'],
    ['an enum outside its values', { ...valid, status: 'lost' }, 'status: must be one of new, paid'],
    ['an unknown field', { ...valid, colour: 'red' }, "colour: is not a field of Orders"],
    ['a bad timestamp', { ...valid, placed_at: 'yesterday' }, 'placed_at: must be a Date or an ISO 8601 date-time'],
    ['an invalid Date', { ...valid, items: [{ sku: 'a', at: new Date('nope') }] }, 'items.0.at: is an invalid Date'],
    ['NaN', { ...valid, total: Number.NaN }, 'total: is NaN, which JSON cannot carry'],
    ['Infinity', { ...valid, total: Number.POSITIVE_INFINITY }, 'total: is Infinity, which JSON cannot carry'],
    ['a BigInt in a number field', { ...valid, qty: 2n }, 'qty: is a BigInt, which JSON cannot carry'],
    ['a function in a string field', { ...valid, order_id: () => 'x' }, 'order_id: is a function, which JSON cannot carry'],
    ['a BigInt inside a free-form value', { ...valid, meta: { n: 1n } }, 'meta.n: is a BigInt, which JSON cannot carry'],
    ['NaN inside a free-form value', { ...valid, meta: [Number.NaN] }, 'meta.0: is NaN, which JSON cannot carry'],
    ['a function inside a free-form value', { ...valid, meta: { f: () => 1 } }, 'meta.f: is a function, which JSON cannot carry'],
    ['a Map inside a free-form value', { ...valid, meta: new Map([['a', 1]]) }, 'meta: is a Map'],
    ['not an object', 'order', 'fields must be an object'],
  ])('refuses %s with VALIDATION_FAILED naming the field, and enqueues nothing', (_label, fields, message) => {
    // Prepare
    const { log, transport } = logger();
    // Act
    const error = thrown(() => log.log('Orders', fields as never));
    // Assess
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.message).toContain(message);
    expect(error.message).not.toContain('\n');
    expect(error.issues.length).toBeGreaterThan(0);
    expect(transport.records).toHaveLength(0);
    expect(log.stats().rejected).toBe(1);
  });

  it('reports through validate() what only the encoder sees, without logging anything', () => {
    expect(Orders.validate(valid)).toEqual([]);
    expect(Orders.validate({ ...valid, items: [{ sku: 'a', at: new Date(Number.NaN) }], meta: { n: 1n } })).toEqual([
      { path: 'items.0.at', message: 'is an invalid Date' },
      { path: 'meta.n', message: 'is a BigInt, which JSON cannot carry (convert it to a string or number, or declare the field z.int64())' },
    ]);
    expect(Orders.validate({ ...valid, placed_at: '2026-02-30T10:00:00Z' })).toEqual([
      { path: 'placed_at', message: 'must be a Date or an ISO 8601 date-time string with Z or an offset, naming a date and time that exist (years 0001-9999)' },
    ]);
  });

  it('refuses a cycle in a free-form value', () => {
    const { log, transport } = logger();
    const meta: Record<string, unknown> = { a: 1 };
    meta.self = meta;
    const error = thrown(() => log.log(Orders, { ...valid, meta }));
    expect(error.message).toContain('meta.self: contains a cycle');
    expect(transport.records).toHaveLength(0);
  });

  it('lists every issue on one line', () => {
    const { log } = logger();
    const error = thrown(() => log.log('Orders', { order_id: '', status: 'x', qty: -1, total: 'a' }));
    expect(error.message).toBe(
      'Invalid Orders record: placed_at: is required; order_id: must NOT have fewer than 1 characters; status: must be one of new, paid; qty: must be >= 0; total: must be number',
    );
    expect(error.issues.map((i) => i.path)).toEqual(['placed_at', 'order_id', 'status', 'qty', 'total']);
  });

  it('refuses a record over 1,000 KiB serialized with RECORD_TOO_LARGE before anything is sent', () => {
    const { log, transport } = logger();
    const error = thrown(() => log.log(Orders, { ...valid, meta: 'x'.repeat(1_024_000) }));
    expect(error.code).toBe('RECORD_TOO_LARGE');
    expect(error.message).toMatch(/^Orders record is over 1,024,000 bytes serialized \(the 1,000 KiB Firehose record limit\); reading stopped at meta$/);
    expect(transport.records).toHaveLength(0);
  });

  it("with onInvalid: 'deadletter' writes the raw input and its issues to _fiat_deadletter instead", () => {
    // Prepare
    const { log, transport } = logger({ onInvalid: 'deadletter' });
    // Act
    const entry = log.log('Orders', { ...valid, qty: 'two', big: 1n } as never);
    // Assess
    expect(entry.deadLettered).toBe(true);
    expect(transport.records).toHaveLength(1);
    const record = transport.records[0]!;
    expect(record.names.table).toBe('_fiat_deadletter');
    const stored = JSON.parse(record.line);
    expect(stored.stream).toBe('Orders');
    expect(stored.error_code).toBe('VALIDATION_FAILED');
    expect(JSON.parse(stored.issues)).toEqual(
      expect.arrayContaining([
        { path: 'qty', message: 'must be integer' },
        { path: 'big', message: 'is not a field of Orders' },
      ]),
    );
    expect(JSON.parse(stored.raw)).toEqual({ ...valid, qty: 'two', big: '[BigInt 1]' });
    expect(log.stats()).toMatchObject({ logged: 0, deadLettered: 1, rejected: 0 });
  });

  it('refuses log() after close()', async () => {
    const { log } = logger();
    await log.close();
    expect(thrown(() => log.log(Orders, valid)).code).toBe('LOGGER_CLOSED');
  });
});

describe('ValidatedLog.configure', () => {
  it.each([
    [{ app: '', email: 'a@b.c' }, 'option app must be a non-empty string'],
    [{ app: 'x', email: 3 }, 'option email must be a non-empty string'],
    [{ app: 'x', email: 'a@b.c', tags: { a: 1 } }, 'option tags.a must be a string'],
    [{ app: 'x', email: 'a@b.c', onInvalid: 'drop' }, "option onInvalid must be 'throw' or 'deadletter'"],
    [{ app: 'x', email: 'a@b.c', bufferBytes: -1 }, 'option bufferBytes must be a positive number'],
  ])('refuses bad options with CONFIG_INVALID naming the option', (options, message) => {
    const error = thrown(() => ValidatedLog.configure('local', options as never));
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.message).toContain(message);
  });
});

describe("the 'local' transport", () => {
  it('writes gzip NDJSON in the Firehose layout and counts what it wrote', async () => {
    // Prepare
    const lakeDir = await tempDir();
    const log = ValidatedLog.configure('local', { app: 'shop', email: 'a@b.c', streams: [Orders], lakeDir });
    open.push(log);
    // Act
    for (let i = 0; i < 25; i++) log.log(Orders, { ...valid, order_id: `o-${i}` });
    await log.flush();
    // Assess
    const files = await listFiles(lakeDir);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(
      /^orders\/dt=\d{4}-\d{2}-\d{2}\/fiat-orders-1-\d{4}-\d{2}-\d{2}-\d{2}-\d{2}-\d{2}-[0-9a-f-]{36}\.gz$/,
    );
    const day = new Date().toISOString().slice(0, 10);
    expect(files[0]).toContain(`dt=${day}/`);
    const lines = await readLakeLines(lakeDir, 'orders/');
    expect(lines.map((l) => l.order_id)).toEqual(Array.from({ length: 25 }, (_, i) => `o-${i}`));
    expect(log.stats().transport).toMatchObject({ received: 25, delivered: 25, pending: 0, failed: 0, objects: 1 });
  });

  it('writes a file when the buffer reaches bufferBytes, without waiting for flush', async () => {
    const lakeDir = await tempDir();
    const log = ValidatedLog.configure('local', { app: 'shop', email: 'a@b.c', streams: [Orders], lakeDir, bufferBytes: 2000 });
    open.push(log);
    for (let i = 0; i < 40; i++) log.log(Orders, { ...valid, order_id: `o-${i}` });
    await expect.poll(async () => (await listFiles(lakeDir)).filter((f) => f.endsWith('.gz')).length, { timeout: 15_000 }).toBeGreaterThanOrEqual(3);
    await log.close();
    expect((await readLakeLines(lakeDir, 'orders/')).length).toBe(40);
  });

  it('writes a file after bufferIntervalMs without a flush', async () => {
    const lakeDir = await tempDir();
    const log = ValidatedLog.configure('local', { app: 'shop', email: 'a@b.c', streams: [Orders], lakeDir, bufferIntervalMs: 50 });
    open.push(log);
    log.log(Orders, valid);
    await expect.poll(async () => (await listFiles(lakeDir)).filter((f) => f.endsWith('.gz')).length, { timeout: 15_000 }).toBe(1);
  });

  it('makes a file appear only complete: nothing half-written is ever visible in the lake', async () => {
    // Prepare: watch the partition folder while many files are written.
    const lakeDir = await tempDir();
    const log = ValidatedLog.configure('local', { app: 'shop', email: 'a@b.c', streams: [Orders], lakeDir, bufferBytes: 50_000 });
    open.push(log);
    const seen = new Map<string, number>();
    let watching = true;
    const { readFile } = await import('node:fs/promises');
    const { gunzipSync } = await import('node:zlib');
    const scan = async (): Promise<void> => {
      for (const file of (await listFiles(lakeDir)).filter((f) => f.endsWith('.gz'))) {
        if (seen.has(file)) continue;
        // Every file visible under the prefix must already be a complete gzip stream of whole lines.
        const text = gunzipSync(await readFile(`${lakeDir}/${file}`)).toString('utf8');
        expect(text.endsWith('\n')).toBe(true);
        seen.set(file, text.split('\n').length - 1);
      }
    };
    const watcher = (async () => {
      while (watching) {
        await scan();
        await new Promise((r) => setImmediate(r));
      }
    })();
    // Act
    for (let i = 0; i < 5000; i++) log.log(Orders, { ...valid, order_id: `o-${i}`, meta: { pad: 'x'.repeat(100) } });
    await log.close();
    watching = false;
    await watcher;
    await scan();
    // Assess
    expect((await listFiles(lakeDir)).filter((f) => !f.startsWith('orders/'))).toEqual([]);
    expect((await readLakeLines(lakeDir, 'orders/')).length).toBe(5000);
    expect(seen.size).toBeGreaterThan(5);
    expect([...seen.values()].reduce((a, b) => a + b, 0)).toBe(5000);
  });

  it('keeps records whose file could not be written, reports IO_FAILED and delivers them on a later flush', async () => {
    // Prepare: the lake path is a file, so the first write fails.
    const { writeFile, rm } = await import('node:fs/promises');
    const base = await tempDir();
    const lakeDir = `${base}/lake`;
    await writeFile(lakeDir, 'not a folder');
    const errors: FiatError[] = [];
    const log = ValidatedLog.configure('local', {
      app: 'shop',
      email: 'a@b.c',
      streams: [Orders],
      lakeDir,
      onError: (e) => errors.push(e),
    });
    open.push(log);
    log.log(Orders, valid);
    // Act + Assess
    await expect(log.flush()).rejects.toMatchObject({ code: 'IO_FAILED' });
    expect(errors[0]?.message).toContain('could not write lake file');
    expect(log.stats().transport).toMatchObject({ received: 1, delivered: 0, failed: 1 });
    await rm(lakeDir);
    await log.flush();
    expect(log.stats().transport).toMatchObject({ received: 1, delivered: 1, failed: 0, pending: 0 });
    expect(await readLakeLines(lakeDir, 'orders/')).toHaveLength(1);
  });
});
