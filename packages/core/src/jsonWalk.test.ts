import { describe, expect, it } from 'vitest';
import { walkJson } from './jsonWalk.js';

function text(value: unknown, maxBytes = 1 << 20, maxDepth?: number) {
  let out = '';
  const result = walkJson(value, (chunk) => (out += chunk), { maxBytes, ...(maxDepth !== undefined ? { maxDepth } : {}) });
  return { out, ...result };
}

describe('walkJson', () => {
  it.each([
    ['an object', { a: 1, b: 'x', c: [true, null, { d: -0.5 }], e: undefined }],
    ['an array with holes and undefined', [1, , undefined, 'two']],
    ['a Date and a toJSON', { at: new Date(Date.UTC(2026, 0, 1)), v: { toJSON: (key: string) => `key:${key}` } }],
    ['boxed primitives', [Object(1), Object('s'), Object(false)]],
    ['strings needing escapes', ['"\\\n\u0001', 'é👋', '\ud83d alone']],
    ['a long string', 'ab"c'.repeat(70_000)],
    ['a scalar', 42],
    ['a shared (not circular) reference', (() => { const shared = { x: 1 }; return { a: shared, b: shared }; })()],
  ])('writes %s exactly as JSON.stringify does', (_label, value) => {
    const result = text(value);
    expect(result.out).toBe(JSON.stringify(value));
    expect(result.complete).toBe(true);
    expect(result.described).toBe(false);
    expect(result.bytes).toBe(Buffer.byteLength(result.out));
  });

  it('describes what JSON cannot carry instead of throwing or dropping it', () => {
    const cycle: Record<string, unknown> = { a: 1 };
    cycle.self = cycle;
    const value = {
      n: 1n,
      nan: Number.NaN,
      f: function named() {},
      s: Symbol('x'),
      cycle,
      map: new Map([['k', 1]]),
      set: new Set([1]),
      get boom(): never {
        throw new Error('getter failed');
      },
      bad: { toJSON: () => { throw new TypeError('no'); } },
    };
    const result = text(value);
    expect(result.described).toBe(true);
    expect(JSON.parse(result.out)).toEqual({
      n: '[BigInt 1]',
      nan: '[NaN]',
      f: '[function named]',
      s: '[Symbol(x)]',
      cycle: { a: 1, self: '[Circular]' },
      map: { '[Map]': { k: 1 } },
      set: { '[Set]': [1] },
      boom: '[getter threw: Error: getter failed]',
      bad: '[toJSON threw: TypeError: no]',
    });
  });

  it('survives proxies whose traps throw', () => {
    const hostile = new Proxy({}, { ownKeys: () => { throw new Error('no keys'); } });
    const revocable = Proxy.revocable([], {});
    revocable.revoke();
    const result = text({ hostile, revoked: revocable.proxy });
    expect(JSON.parse(result.out)).toEqual({
      hostile: '[unreadable object: Error: no keys]',
      revoked: expect.stringMatching(/^\[unreadable object: TypeError/),
    });
  });

  it('stops at maxBytes: a sparse array of length 1e8 costs no more than the budget', () => {
    const sparse: unknown[] = [];
    sparse.length = 1e8;
    sparse[5] = 'x';
    const result = text(sparse, 64 * 1024);
    expect(result.complete).toBe(false);
    expect(result.bytes).toBeLessThanOrEqual(64 * 1024);
    expect(result.out.startsWith('[null,null,null,null,null,"x",null')).toBe(true);
  });

  it('walks 100,000 levels without recursion, and reports the depth; maxDepth describes what is deeper', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i++) deep = [deep];
    const full = text(deep, 1 << 22);
    expect(full.complete).toBe(true);
    expect(full.depth).toBe(100_000);
    expect(full.out.length).toBe(200_001);
    const cut = text(deep, 1 << 22, 3);
    expect(cut.out).toBe('[[["[nested deeper than 3 levels]"]]]');
    expect(cut.depth).toBe(4);
    expect(cut.described).toBe(true);
  });

  it('escapes a huge string in pieces and keeps surrogate pairs whole', () => {
    const value = `${'a'.repeat(65_535)}👋${'b'.repeat(70_000)}`;
    expect(text(value).out).toBe(JSON.stringify(value));
    const cut = text(value, 1000);
    expect(cut.complete).toBe(false);
    expect(cut.bytes).toBeLessThanOrEqual(1000);
  });
});
