import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { validatorModuleSource } from './compileValidator.js';
import { DeadLetter, describeAsJson } from './deadletter.js';
import { defineStream } from './defineStream.js';
import { omittedValue } from './omitted.js';
import type { Transport } from './transport.js';
import { ValidatedLog } from './ValidatedLog.js';
import { memoryTransport } from './test-helpers/memoryTransport.js';

const Orders = defineStream({
  name: 'Orders',
  schema: z.object({ order_id: z.string().min(1), qty: z.int().min(0), meta: z.unknown().optional() }),
});

function deadLetterLogger() {
  const transport = memoryTransport();
  const log = ValidatedLog.configure(transport, { app: 'shop', email: 'a@b.c', streams: [Orders], onInvalid: 'deadletter' });
  const stored = () => transport.records.map((r) => ({ table: r.names.table, row: JSON.parse(r.line) as Record<string, any> }));
  return { log, transport, stored };
}

describe('describeAsJson', () => {
  it('never throws, and bounds its work on hostile values', () => {
    const sparse: unknown[] = [];
    sparse.length = 1e8;
    let deep: unknown = 'bottom';
    for (let i = 0; i < 10_000; i++) deep = { d: deep };
    const hostile = {
      get boom(): never {
        throw new Error('no');
      },
      proxy: new Proxy({}, { ownKeys: () => { throw new Error('trap'); } }),
      json: { toJSON: () => { throw new Error('nope'); } },
    };
    expect(JSON.parse(describeAsJson(hostile))).toEqual({
      boom: '[getter threw: Error: no]',
      proxy: '[unreadable object: Error: trap]',
      json: '[toJSON threw: Error: nope]',
    });
    expect(JSON.parse(describeAsJson(sparse))).toMatchObject({ fiat_omitted: true, reason: 'too_large' });
    const deepText = describeAsJson(deep);
    expect(deepText).toContain('[nested deeper than 64 levels]');
    expect(deepText.length).toBeLessThan(1000);
  });

  it('replaces text over maxBytes by an omitted marker of the value', () => {
    const value = { big: 'x'.repeat(300_000) };
    expect(JSON.parse(describeAsJson(value))).toEqual(omittedValue(value, 'too_large'));
    expect(describeAsJson(value, { maxBytes: 400_000 })).toBe(JSON.stringify(value));
  });
});

describe("onInvalid: 'deadletter'", () => {
  it('dead-letters an oversized record shortened, with an omitted marker as raw, instead of throwing', () => {
    // Prepare
    const { log, stored } = deadLetterLogger();
    const input = { order_id: 'o-1', qty: 1, meta: 'x'.repeat(1_100_000) };
    // Act
    const entry = log.log(Orders, input);
    // Assess
    expect(entry.deadLettered).toBe(true);
    const [letter] = stored();
    expect(letter!.table).toBe('_fiat_deadletter');
    expect(letter!.row).toMatchObject({ stream: 'Orders', error_code: 'RECORD_TOO_LARGE' });
    expect(JSON.parse(letter!.row.raw)).toEqual(omittedValue(input, 'too_large'));
    expect(JSON.parse(letter!.row.raw).bytes).toBe(Buffer.byteLength(JSON.stringify(input)));
    expect(log.stats()).toMatchObject({ logged: 0, deadLettered: 1, rejected: 0 });
  });

  it('dead-letters input whose getter or toJSON throws, and input nested 10,000 deep', () => {
    const { log, stored } = deadLetterLogger();
    let deep: unknown = 1;
    for (let i = 0; i < 10_000; i++) deep = [deep];
    const throwing = {
      order_id: 'o-1',
      get qty(): number {
        throw new Error('getter failed');
      },
    };
    expect(log.log(Orders, throwing as never).deadLettered).toBe(true);
    expect(log.log(Orders, { order_id: 'o-2', qty: 1, meta: deep }).deadLettered).toBe(true);
    expect(log.log(Orders, { order_id: 'o-3', qty: 1, meta: { toJSON: () => { throw new Error('bad toJSON'); } } }).deadLettered).toBe(true);
    const rows = stored().map((s) => s.row);
    expect(rows).toHaveLength(3);
    expect(rows[0]).toMatchObject({ error_code: 'VALIDATION_FAILED' });
    expect(rows[0]!.error_message).toContain('getter failed');
    expect(rows[1]!.raw).toContain('[nested deeper than 64 levels]');
    expect(log.stats()).toMatchObject({ logged: 0, deadLettered: 3, rejected: 0 });
  });

  it('keeps the dead letter readable: lone surrogates in derived text become U+FFFD, issues are capped', () => {
    const { log, transport } = deadLetterLogger();
    const many: Record<string, number> = { ['k\ud83d']: 1 };
    for (let i = 0; i < 500; i++) many[`extra_${i}_${'p'.repeat(300)}`] = i;
    log.log(Orders, { order_id: 'o-1', qty: 'x', ...many } as never);
    const [letter] = transport.records.map((r) => r.line);
    const row = JSON.parse(letter!);
    expect(allStrings(row).every((text) => text.isWellFormed())).toBe(true);
    expect(allStrings(JSON.parse(row.raw)).every((text) => text.isWellFormed())).toBe(true);
    expect(Object.keys(JSON.parse(row.raw))).toContain('k\ufffd');
    const issues = JSON.parse(row.issues) as { path: string; message: string }[];
    expect(issues).toHaveLength(101);
    expect(issues[100]!.message).toMatch(/^… and \d+ more issues$/);
    expect(Buffer.byteLength(letter!)).toBeLessThan(1_024_000);
  });

  it('counts every input once: logged + deadLettered + rejected', () => {
    const { log } = deadLetterLogger();
    log.log(Orders, { order_id: 'o-1', qty: 1 });
    log.log(Orders, { order_id: '', qty: -1 });
    log.log(Orders, { order_id: 'o-1', qty: 1, meta: 'y'.repeat(2_000_000) });
    expect(() => log.log('Nope' as never, {})).toThrow(/not in this logger's streams/);
    expect(log.stats()).toMatchObject({ logged: 1, deadLettered: 2, rejected: 0 });
  });
});

describe('log() options and counters', () => {
  it('overrides onInvalid per call, and counts a record the transport refuses as rejected', () => {
    // Prepare
    const transport = memoryTransport();
    let refuse = false;
    const refusing: Transport = { ...transport, write: (record) => {
      if (refuse) throw new Error('transport full');
      transport.write(record);
    } };
    const log = ValidatedLog.configure(refusing, { app: 'shop', email: 'a@b.c', streams: [Orders], onInvalid: 'deadletter' });
    // Act + Assess
    expect(() => log.log(Orders, { order_id: '', qty: 1 }, { onInvalid: 'throw' })).toThrow(/order_id/);
    expect(log.log(Orders, { order_id: '', qty: 1 }).deadLettered).toBe(true);
    refuse = true;
    expect(() => log.log(Orders, { order_id: 'o-1', qty: 1 })).toThrow('transport full');
    expect(log.stats()).toMatchObject({ logged: 0, deadLettered: 1, rejected: 2 });
  });
});

/** Every string in a parsed JSON value, keys included. */
function allStrings(value: unknown): (string & { isWellFormed(): boolean })[] {
  if (typeof value === 'string') return [value as string & { isWellFormed(): boolean }];
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, item]) => [key as string & { isWellFormed(): boolean }, ...allStrings(item)]);
}

describe('DeadLetter', () => {
  it('ships a precompiled validator that matches its input schema (update with vitest -u)', async () => {
    // Act
    const source = `// @ts-nocheck\n${validatorModuleSource(DeadLetter.inputSchema)}`;

    // Assess
    await expect(source).toMatchFileSnapshot('./generated/FiatDeadletter.validator.ts');
  });

  it('refuses a record without its required fields through the precompiled validator', () => {
    // Act
    const issues = DeadLetter.validate({ stream: 'Audit', error_code: 'VALIDATION_FAILED', issues: [] });

    // Assess
    expect(issues).toEqual([
      { path: 'error_message', message: 'is required' },
      { path: 'raw', message: 'is required' },
    ]);
  });
});
