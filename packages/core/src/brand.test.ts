import { describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { isStreamDefinition } from './brand.js';
import { DeadLetter } from './deadletter.js';
import { defineStream } from './defineStream.js';
import { isFiatError, type FiatError } from './errors.js';
import { ValidatedLog } from './ValidatedLog.js';
import { memoryTransport } from './test-helpers/memoryTransport.js';

const Orders = defineStream({
  name: 'Orders',
  schema: z.object({ order_id: z.string(), lines: z.array(z.object({ sku: z.string() })).default([]) }),
});

function thrown(fn: () => unknown): FiatError {
  try {
    fn();
  } catch (error) {
    if (isFiatError(error)) return error;
    throw error;
  }
  throw new Error('expected a FiatError');
}

describe('stream definitions are frozen', () => {
  it('cannot have their names, fields, columns or schemas changed after defineStream', () => {
    const attempts: (() => void)[] = [
      () => ((Orders.names as { prefix: string }).prefix = '../../etc/'),
      () => ((Orders as { encode: unknown }).encode = () => 'forged\n'),
      () => (Orders.columns as unknown as { name: string }[]).push({ name: 'x' }),
      () => ((Orders.columns[0] as { name: string }).name = 'x'),
      () => ((Orders.fields[1]!.plan as { kind: string }).kind = 'json'),
      () => ((Orders.fields[1] as { default: unknown[] }).default.push({ sku: 1 })),
      () => ((Orders.jsonSchema.properties as Record<string, unknown>).order_id = {}),
      () => ((Orders.inputSchema as { required: string[] }).required.pop()),
      () => ((Orders.nameOverrides as { table?: string }).table = 'x'),
    ];
    for (const attempt of attempts) expect(attempt).toThrow(TypeError);
    expect(Orders.names.prefix).toBe('orders/');
    expect(Object.isFrozen(DeadLetter.names)).toBe(true);
  });

  it('does not freeze the objects the caller passed in', () => {
    const names = { table: 'orders_v2' };
    const defaults = ['a'];
    defineStream({ name: 'OrdersV2', names, schema: z.object({ labels: z.array(z.string()).default(defaults) }) });
    expect(Object.isFrozen(names)).toBe(false);
    expect(Object.isFrozen(defaults)).toBe(false);
  });
});

describe('ValidatedLog takes only definitions made by Fiat', () => {
  it('refuses a look-alike object with an encode function, so no forged line reaches the transport', () => {
    const transport = memoryTransport();
    const log = ValidatedLog.configure(transport, { app: 'a', email: 'a@b.c' });
    const forged = { ...Orders, encode: () => '{"event_id":"x"}\n' };
    const error = thrown(() => log.log(forged as never, { order_id: '1' }));
    expect(error.code).toBe('UNKNOWN_STREAM');
    expect(thrown(() => log.log({ name: 'Orders', encode: () => 'x\n' } as never, {})).code).toBe('UNKNOWN_STREAM');
    expect(transport.records).toEqual([]);
    log.log(Orders, { order_id: '1' });
    expect(transport.records).toHaveLength(1);
  });

  it('refuses a look-alike in the streams option with CONFIG_INVALID', () => {
    const error = thrown(() => ValidatedLog.configure(memoryTransport(), { app: 'a', email: 'a@b.c', streams: [Orders, { ...Orders }] }));
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.message).toContain('option streams[1] is not a stream definition made by defineStream');
  });

  it('recognises definitions made by a second copy of @fiat/core in the same process', async () => {
    // Prepare: load the modules again, as a second installed copy would be.
    vi.resetModules();
    const second = await import('./defineStream.js');
    const Copy = second.defineStream({ name: 'Copy', schema: z.object({ a: z.string() }) });
    // Act
    const transport = memoryTransport();
    const log = ValidatedLog.configure(transport, { app: 'a', email: 'a@b.c', streams: [Copy] });
    log.log(Copy, { a: 'x' });
    // Assess
    expect(second.defineStream).not.toBe(defineStream);
    expect(isStreamDefinition(Copy)).toBe(true);
    expect(JSON.parse(transport.records[0]!.line)).toMatchObject({ a: 'x' });
  });
});
