import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineStream } from './defineStream.js';
import { isFiatError, type FiatError } from './errors.js';
import { ValidatedLog } from './ValidatedLog.js';
import { memoryTransport } from './test-helpers/memoryTransport.js';

// What log() must do with hostile input: refuse it with a FiatError naming the path, or store
// exactly what it checked. Each case here was stored (or crashed) before the snapshot walk.

const Calls = defineStream({
  name: 'Calls',
  schema: z.object({
    task: z.string().min(1),
    task_args: z.unknown(),
    n: z.int().optional(),
    total: z.number().optional(),
    at: z.iso.datetime().optional(),
    labels: z.record(z.string(), z.string()).optional(),
    items: z.array(z.object({ sku: z.string() })).optional(),
  }),
});

function setup() {
  const transport = memoryTransport();
  const log = ValidatedLog.configure(transport, { app: 'shop', email: 'a@b.c', streams: [Calls], clock: () => Date.UTC(2026, 10, 26) });
  const stored = (): Record<string, unknown>[] => transport.records.map((r) => JSON.parse(r.line) as Record<string, unknown>);
  return { log, transport, stored };
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

describe('log() with strings that are not well-formed Unicode', () => {
  const lone = 'hi 👋'.slice(0, 4);
  it.each([
    ['a string field', { task: lone, task_args: 1 }, 'task'],
    ['a free-form value', { task: 't', task_args: { a: [lone] } }, 'task_args.a.0'],
    ['a free-form key', { task: 't', task_args: { [`k${lone}`]: 1 } }, 'task_args.khi \ufffd'],
    ['a map key', { task: 't', task_args: 1, labels: { [lone]: 'x' } }, 'labels.hi \ufffd'],
    ['a map value', { task: 't', task_args: 1, labels: { a: lone } }, 'labels.a'],
    ['a struct in an array', { task: 't', task_args: 1, items: [{ sku: '\udfff' }] }, 'items.0.sku'],
  ])('refuses a lone surrogate in %s with VALIDATION_FAILED naming the path', (_label, fields, path) => {
    const { log, transport } = setup();
    const error = thrown(() => log.log(Calls, fields));
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.issues).toContainEqual({ path, message: expect.stringContaining('lone UTF-16 surrogate') });
    expect(error.message.isWellFormed()).toBe(true);
    expect(transport.records).toHaveLength(0);
  });
});

describe('log() reads each value once and stores what it checked', () => {
  it('stores the first value a flip-flopping getter gives, the one that was validated', () => {
    const { log, stored } = setup();
    let reads = 0;
    const fields = {
      task: 't',
      get task_args() {
        reads += 1;
        return reads === 1 ? { ok: true } : { n: 1n };
      },
      get n() {
        reads += 1;
        return reads <= 2 ? 5 : 'five';
      },
    };
    log.log(Calls, fields as never);
    expect(stored()[0]).toMatchObject({ task_args: '{"ok":true}', n: 5 });
  });

  it('validates what toJSON returns, not the object it was called on', () => {
    const { log, transport } = setup();
    class Amount {
      toJSON(): unknown {
        return 'not a number';
      }
    }
    const error = thrown(() => log.log(Calls, { task: 't', task_args: 1, total: new Amount() } as never));
    expect(error.issues).toEqual([{ path: 'total', message: 'must be number' }]);
    expect(transport.records).toHaveLength(0);
  });

  it('stores what toJSON returns when it is valid', () => {
    const { log, stored } = setup();
    const stamp = { toJSON: () => '2026-11-26T10:00:00+01:00' };
    log.log(Calls, { task: 't', task_args: { toJSON: () => [1, 2] }, at: stamp } as never);
    expect(stored()[0]).toMatchObject({ task_args: '[1,2]', at: '2026-11-26 09:00:00.000' });
  });

  it('counts a required value whose toJSON gives undefined as missing', () => {
    const { log, transport } = setup();
    const error = thrown(() => log.log(Calls, { task: 't', task_args: { toJSON: () => undefined } }));
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.issues).toEqual([{ path: 'task_args', message: 'is required' }]);
    expect(transport.records).toHaveLength(0);
  });

  it('refuses a getter that throws with VALIDATION_FAILED instead of letting its error escape', () => {
    const { log } = setup();
    const fields = {
      task: 't',
      get task_args(): never {
        throw new Error('secret is not loaded');
      },
    };
    const error = thrown(() => log.log(Calls, fields));
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.message).toContain('could not be read: Error: secret is not loaded');
  });

  it('keeps a __proto__ key of free-form data as data', () => {
    const { log, stored } = setup();
    log.log(Calls, { task: 't', task_args: JSON.parse('{"__proto__":{"admin":true}}') });
    expect(stored()[0]!.task_args).toBe('{"__proto__":{"admin":true}}');
  });
});

describe('log() does bounded work on huge or deep input', () => {
  it('refuses a sparse array of length 1e8 at once with RECORD_TOO_LARGE', () => {
    const { log, transport } = setup();
    const sparse: unknown[] = [];
    sparse.length = 1e8;
    const error = thrown(() => log.log(Calls, { task: 't', task_args: sparse }));
    expect(error.code).toBe('RECORD_TOO_LARGE');
    expect(error.message).toContain('Calls record is over 1,024,000 bytes serialized');
    const typed = thrown(() => log.log(Calls, { task: 't', task_args: 1, items: sparse as never }));
    expect(typed.code).toBe('RECORD_TOO_LARGE');
    expect(transport.records).toHaveLength(0);
  });

  it('refuses nesting 10,000 levels deep with VALIDATION_FAILED, not a RangeError', () => {
    const { log } = setup();
    let deep: unknown = 'leaf';
    for (let i = 0; i < 10_000; i++) deep = { d: deep };
    const error = thrown(() => log.log(Calls, { task: 't', task_args: deep }));
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.message).toMatch(/^Invalid Calls record: task_args(\.d){64}: nests deeper than 64 levels of arrays and objects$/);
  });

  it('still measures the exact size: text that grows when escaped is refused with its byte count', () => {
    const { log } = setup();
    const error = thrown(() => log.log(Calls, { task: 't', task_args: '"'.repeat(400_000) }));
    expect(error.code).toBe('RECORD_TOO_LARGE');
    expect(error.message).toMatch(/^Calls record is \d{7} bytes serialized, over the 1,024,000-byte/);
  });
});

describe('log() with integers', () => {
  it.each([
    ['1e300', 1e300],
    ['2**60', 2 ** 60],
    ['-(2**53)', -(2 ** 53)],
  ])('refuses %s in a z.int() field: it is not a safe integer', (_label, n) => {
    const { log, transport } = setup();
    const error = thrown(() => log.log(Calls, { task: 't', task_args: 1, n }));
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.issues).toEqual([{ path: 'n', message: expect.stringMatching(/^must be a safe integer/) }]);
    expect(transport.records).toHaveLength(0);
  });

  it('stores the largest safe integers exactly', () => {
    const { log, stored } = setup();
    log.log(Calls, { task: 't', task_args: 1, n: Number.MAX_SAFE_INTEGER });
    log.log(Calls, { task: 't', task_args: 1, n: -Number.MAX_SAFE_INTEGER });
    expect(stored().map((r) => r.n)).toEqual([Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER]);
  });
});

describe('log() with timestamps', () => {
  it.each([
    ['a stored-form timestamp out of range', '2026-13-45 99:99:99.999'],
    ['month 13', '2026-13-01T00:00:00Z'],
    ['30 February', '2026-02-30T10:00:00Z'],
    ['29 February of a common year', '2023-02-29T10:00:00Z'],
    ['hour 25', '2026-01-01T25:00:00Z'],
    ['hour 24', '2026-01-01T24:00:00Z'],
    ['minute 60', '2026-01-01T10:60:00Z'],
    ['second 60', '2026-01-01T10:00:60Z'],
    ['an offset of 24 hours', '2026-01-01T10:00:00+24:00'],
    ['a stored form of 31 April', '2026-04-31 10:00:00.000'],
    ['day 0', '2026-01-00T10:00:00Z'],
  ])('refuses %s', (_label, at) => {
    const { log, transport } = setup();
    const error = thrown(() => log.log(Calls, { task: 't', task_args: 1, at }));
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.issues).toEqual([{ path: 'at', message: expect.stringContaining('must be a Date or an ISO 8601 date-time') }]);
    expect(transport.records).toHaveLength(0);
  });

  it.each([
    ['29 February of a leap year', '2024-02-29T23:59:59.999Z', '2024-02-29 23:59:59.999'],
    ['an offset crossing midnight', '2026-03-01T00:30:00+01:00', '2026-02-28 23:30:00.000'],
    ['nine fraction digits', '2026-01-01T10:00:00.123456789Z', '2026-01-01 10:00:00.123'],
    ['no seconds', '2026-01-01T10:00Z', '2026-01-01 10:00:00.000'],
    ['the stored form', '2000-02-29 12:34:56.789', '2000-02-29 12:34:56.789'],
    ['the first instant of year 1', '0001-01-01T00:00:00Z', '0001-01-01 00:00:00.000'],
  ])('stores %s', (_label, at, expected) => {
    const { log, stored } = setup();
    log.log(Calls, { task: 't', task_args: 1, at });
    expect(stored()[0]!.at).toBe(expected);
  });
});

describe('string fields', () => {
  it('are written exactly as JSON.stringify writes them (quotes, backslashes, controls, non-ASCII, paired surrogates, long text)', () => {
    const { log, transport } = setup();
    const values = ['plain', 'a"b', 'a\\b', 'tab\there', 'nul\u0000', '\u001f', 'Zürich', '€', 'emoji 😀', '\u2028\u2029', '\u007f', 'x'.repeat(64), `${'y'.repeat(64)}"`, 'z'.repeat(65), ''];
    for (const task of values) {
      if (task === '') continue; // min(1)
      log.log(Calls, { task, task_args: null, labels: { k: task } });
    }
    const lines = transport.records.map((r) => r.line);
    values.filter((v) => v !== '').forEach((task, i) => {
      expect(lines[i]).toContain(`,"task":${JSON.stringify(task)},`);
      expect(lines[i]).toContain(`"labels":{"k":${JSON.stringify(task)}}`);
    });
  });
});
