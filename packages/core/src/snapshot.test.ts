import { describe, expect, it } from 'vitest';
import { isFiatError, type FiatError, type FiatIssue } from './errors.js';
import { MAX_JSON_DEPTH } from './limits.js';
import { snapshotJson, snapshotRecord } from './snapshot.js';

function tooLarge(read: () => unknown): FiatError {
  try {
    read();
  } catch (error) {
    if (isFiatError(error)) return error;
    throw error;
  }
  throw new Error('expected a FiatError');
}

function nested(levels: number, leaf: unknown = 1): unknown {
  let value = leaf;
  for (let i = 0; i < levels; i++) value = i % 2 === 0 ? [value] : { a: value };
  return value;
}

describe('snapshotJson', () => {
  it('copies plain JSON data exactly, in the order JSON.stringify writes it', () => {
    const value = { b: [1, 'two', null, true], a: { c: -0.5, d: 'é👋' }, 2: 'x', 1: 'y' };
    const { value: copy, issues } = snapshotJson(value);
    expect(issues).toEqual([]);
    expect(copy).not.toBe(value);
    expect(JSON.stringify(copy)).toBe(JSON.stringify(value));
  });

  it('reads every property exactly once, so a getter cannot show one value to the check and another to the writer', () => {
    // Prepare: a getter that is valid on its first read only.
    let reads = 0;
    const value = {
      get n() {
        reads += 1;
        return reads === 1 ? 1 : 10n;
      },
    };
    // Act
    const { value: copy, issues } = snapshotJson(value);
    // Assess
    expect(issues).toEqual([]);
    expect(reads).toBe(1);
    expect(JSON.stringify(copy)).toBe('{"n":1}');
  });

  it('applies toJSON once, with its key, as JSON.stringify does, and checks what it returns', () => {
    const keys: string[] = [];
    const value = {
      at: new Date(Date.UTC(2026, 0, 2)),
      money: { toJSON: (key: string) => (keys.push(key), { amount: 5, currency: 'EUR' }) },
      gone: { toJSON: () => undefined },
      list: [{ toJSON: (key: string) => (keys.push(key), 'first') }],
      bad: { toJSON: () => ({ n: 1n }) },
    };
    const { issues } = snapshotJson(value, { path: 'meta' });
    expect(issues).toEqual([{ path: 'meta.bad.n', message: expect.stringContaining('is a BigInt') }]);
    expect(keys).toEqual(['money', '0']);
    const { value: copy } = snapshotJson({ ...value, bad: 1 });
    expect(copy).toEqual({ at: '2026-01-02T00:00:00.000Z', money: { amount: 5, currency: 'EUR' }, list: ['first'], bad: 1 });
  });

  it('keeps a __proto__ key as data and never changes a prototype', () => {
    const value = JSON.parse('{"__proto__":{"polluted":true},"a":1}') as Record<string, unknown>;
    const { value: copy, issues } = snapshotJson(value);
    expect(issues).toEqual([]);
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
    expect(Object.keys(copy as object)).toEqual(['__proto__', 'a']);
    expect(JSON.stringify(copy)).toBe('{"__proto__":{"polluted":true},"a":1}');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it.each([
    ['a lone high surrogate', { s: 'hi 👋'.slice(0, 4) }, 'v.s', 'contains a lone UTF-16 surrogate'],
    ['a lone low surrogate in an array', ['ok', '\udc00'], 'v.1', 'contains a lone UTF-16 surrogate'],
    ['a lone surrogate in a key', { ['k\ud800']: 1 }, 'v.k\ufffd', 'is a key that contains a lone UTF-16 surrogate'],
    ['a BigInt', { n: 1n }, 'v.n', 'is a BigInt'],
    ['NaN', [Number.NaN], 'v.0', 'is NaN'],
    ['-Infinity', { x: Number.NEGATIVE_INFINITY }, 'v.x', 'is -Infinity'],
    ['a function', { f: () => 1 }, 'v.f', 'is a function'],
    ['a symbol', { s: Symbol('x') }, 'v.s', 'is a symbol'],
    ['a Map', { m: new Map() }, 'v.m', 'is a Map'],
    ['a Set', { s: new Set([1]) }, 'v.s', 'is a Set'],
    ['an invalid Date', { d: new Date(Number.NaN) }, 'v.d', 'is an invalid Date'],
  ])('reports %s at its path', (_label, value, path, message) => {
    const { issues, value: copy } = snapshotJson(value, { path: 'v' });
    expect(issues).toEqual([{ path, message: expect.stringContaining(message) }]);
    expect(copy).toBeUndefined();
  });

  it('accepts NUL and every well-formed code point, emoji included', () => {
    const text = 'a\u0000b\u2028\ud83d\udc4b\uffff';
    expect(snapshotJson({ [text]: text })).toEqual({ value: { [text]: text }, issues: [] });
  });

  it('reports a cycle, but not an object that appears twice', () => {
    const shared = { x: 1 };
    expect(snapshotJson({ a: shared, b: [shared] }).issues).toEqual([]);
    const cycle: Record<string, unknown> = { a: 1 };
    cycle.self = { back: cycle };
    expect(snapshotJson(cycle, { path: 'meta' }).issues).toEqual([{ path: 'meta.self.back', message: 'contains a cycle, which JSON cannot carry' }]);
  });

  it(`accepts ${MAX_JSON_DEPTH} levels of nesting and refuses ${MAX_JSON_DEPTH + 1}`, () => {
    expect(snapshotJson(nested(MAX_JSON_DEPTH)).issues).toEqual([]);
    const issues = snapshotJson(nested(MAX_JSON_DEPTH + 1), { path: 'meta' }).issues;
    expect(issues).toHaveLength(1);
    expect(issues[0]!.message).toBe('nests deeper than 64 levels of arrays and objects');
    expect(issues[0]!.path.split('.')).toHaveLength(MAX_JSON_DEPTH + 1);
  });

  it('refuses 10,000 levels of nesting with an issue instead of overflowing the stack', () => {
    const { issues } = snapshotJson(nested(10_000));
    expect(issues[0]?.message).toBe('nests deeper than 64 levels of arrays and objects');
  });

  it('refuses a sparse array of length 1e8 at once with RECORD_TOO_LARGE, without walking its holes', () => {
    const sparse: unknown[] = [];
    sparse.length = 1e8;
    const error = tooLarge(() => snapshotJson({ list: sparse }, { path: 'meta', label: 'Orders record' }));
    expect(error.code).toBe('RECORD_TOO_LARGE');
    expect(error.message).toBe(
      'Orders record is over 1,024,000 bytes serialized (the 1,000 KiB Firehose record limit); reading stopped at meta.list',
    );
  });

  it('refuses a huge typed array before copying it', () => {
    expect(tooLarge(() => snapshotJson({ bytes: new Uint8Array(2_000_000) })).code).toBe('RECORD_TOO_LARGE');
  });

  it('stops reading once the JSON would pass maxBytes', () => {
    let reads = 0;
    const many = Array.from({ length: 1000 }, () => ({
      get s() {
        reads += 1;
        return 'x'.repeat(100);
      },
    }));
    expect(tooLarge(() => snapshotJson(many, { maxBytes: 10_000 })).code).toBe('RECORD_TOO_LARGE');
    expect(reads).toBeLessThan(100);
  });

  it('unwraps boxed primitives as JSON.stringify does', () => {
    const value = { n: new Number(3), s: new String('x'), b: new Boolean(false) };
    expect(snapshotJson(value).value).toEqual({ n: 3, s: 'x', b: false });
  });

  it('turns a getter, proxy trap or toJSON that throws into an issue', () => {
    const throwing = {
      ok: 1,
      get bad(): never {
        throw new TypeError('nope');
      },
    };
    expect(snapshotJson({ x: throwing }).issues).toEqual([{ path: 'x', message: 'could not be read: TypeError: nope' }]);
    const trap = new Proxy({}, { ownKeys: () => { throw new Error('trap'); } });
    expect(snapshotJson({ p: trap }).issues).toEqual([{ path: 'p', message: 'could not be read: Error: trap' }]);
    expect(snapshotJson({ t: { toJSON: () => { throw new RangeError('late'); } } }).issues).toEqual([
      { path: 't', message: 'could not be read: RangeError: late' },
    ]);
  });

  it('turns BigInts at int64 positions into decimal strings', () => {
    const plan = { kind: 'array', items: { kind: 'int64' } } as const;
    expect(snapshotJson([1n, -(2n ** 63n), 2n ** 63n - 1n], { plan })).toEqual({
      value: ['1', '-9223372036854775808', '9223372036854775807'],
      issues: [],
    });
    expect(snapshotJson([2n ** 63n], { plan }).issues[0]?.message).toContain('outside the int64 range');
  });
});

describe('snapshotRecord', () => {
  it("applies the record's own toJSON and leaves out fields whose toJSON gives undefined", () => {
    const issues: FiatIssue[] = [];
    const record = { task: 'x', task_args: { toJSON: () => undefined } };
    expect(snapshotRecord(record, undefined, issues, 'Audit record')).toEqual({ task: 'x' });
    expect(snapshotRecord({ toJSON: () => ({ task: 'y' }) }, undefined, issues, 'Audit record')).toEqual({ task: 'y' });
    expect(issues).toEqual([]);
  });

  it('starts every walk clean, also one started from inside another', () => {
    const issues: FiatIssue[] = [];
    const inner: FiatIssue[] = [];
    const record = {
      meta: {
        toJSON: () => {
          snapshotRecord({ n: 1n }, undefined, inner, 'Inner record');
          return 'fine';
        },
      },
    };
    expect(snapshotRecord(record, undefined, issues, 'Outer record')).toEqual({ meta: 'fine' });
    expect(issues).toEqual([]);
    expect(inner).toEqual([{ path: 'n', message: expect.stringContaining('is a BigInt') }]);
    expect(snapshotRecord({ a: 1 }, undefined, issues, 'Next record')).toEqual({ a: 1 });
  });
});
