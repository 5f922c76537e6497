import { describe, expect, it } from 'vitest';
import { isFiatError } from '../errors.js';
import { parsePath, PathMatcher, type PathPattern, type PathState } from './paths.js';

const MASK = { action: 'mask' } as const;

function matcher(...paths: string[]): PathMatcher {
  return new PathMatcher(paths.map((path): PathPattern => ({ segments: parsePath(path, 'test'), spec: MASK, declared: false })));
}

/** The state after stepping `keys` from the root, or undefined when nothing can match there. */
function walk(m: PathMatcher, keys: readonly (string | number)[]): PathState | undefined {
  let state = m.root();
  for (const key of keys) state = state?.step(key);
  return state;
}

const matches = (m: PathMatcher, ...keys: (string | number)[]): boolean => walk(m, keys)?.match !== undefined;

describe('parsePath', () => {
  it('reads keys, *, **, [*], [n] and quoted keys', () => {
    // Prepare / Act
    const segments = parsePath('a.*.**.b[*][2]["c.d"]', 'redact.paths[0]');
    // Assess
    expect(segments).toEqual([
      { kind: 'key', name: 'a', loose: false },
      { kind: 'any' },
      { kind: 'deep' },
      { kind: 'key', name: 'b', loose: false },
      { kind: 'item' },
      { kind: 'item', index: 2 },
      { kind: 'key', name: 'c.d', loose: false },
    ]);
  });

  it.each(['', 'a..b', '.a', 'a.', 'a[', 'a[x]', 'a*b', '**', 'a]b', 'a[0]b'])('refuses %j with INVALID_DEFINITION naming where it was', (path) => {
    let thrown: unknown;
    try {
      parsePath(path, 'stream S: redact paths[0]');
    } catch (error) {
      thrown = error;
    }
    expect(isFiatError(thrown, 'INVALID_DEFINITION')).toBe(true);
    expect((thrown as Error).message).toContain('stream S: redact paths[0]');
  });
});

describe('PathMatcher', () => {
  it('matches keys case-insensitively, one level with *, any depth with **', () => {
    const m = matcher('password', '*.token', 'headers.authorization', '**.ssn');
    expect(matches(m, 'password')).toBe(true);
    expect(matches(m, 'PassWord')).toBe(true);
    expect(matches(m, 'user', 'password')).toBe(false);
    expect(matches(m, 'user', 'TOKEN')).toBe(true);
    expect(matches(m, 'a', 'b', 'token')).toBe(false);
    expect(matches(m, 'Headers', 'Authorization')).toBe(true);
    expect(matches(m, 'ssn')).toBe(true);
    expect(matches(m, 'a', 3, 'b', 'SSN')).toBe(true);
    expect(matches(m, 'other')).toBe(false);
  });

  it('matches array items with [*] and [n], and a.0 as item 0', () => {
    const m = matcher('cards[*].number', 'list[1]', 'rows.0');
    expect(matches(m, 'cards', 0, 'number')).toBe(true);
    expect(matches(m, 'cards', 17, 'number')).toBe(true);
    expect(matches(m, 'cards', 'x', 'number')).toBe(false);
    expect(matches(m, 'list', 1)).toBe(true);
    expect(matches(m, 'list', 0)).toBe(false);
    expect(matches(m, 'rows', 0)).toBe(true);
    expect(matches(m, 'rows', '0')).toBe(true);
  });

  it('gives no state where nothing can match, so the walk below costs nothing', () => {
    const m = matcher('a.b');
    expect(walk(m, ['x'])).toBeUndefined();
    expect(walk(m, ['a', 'c'])).toBeUndefined();
  });

  it('keeps the action that reveals least when two patterns end at one value', () => {
    const m = new PathMatcher([
      { segments: parsePath('a', 't'), spec: { action: 'truncate', length: 3 }, declared: false },
      { segments: parsePath('*', 't'), spec: { action: 'hash' }, declared: false },
      { segments: parsePath('**.a', 't'), spec: { action: 'drop' }, declared: false },
    ]);
    expect(walk(m, ['a'])?.match?.spec).toEqual({ action: 'drop' });
    expect(walk(m, ['b'])?.match?.spec).toEqual({ action: 'hash' });
  });

  it('interns states, so stepping the same keys again returns the same state', () => {
    const m = matcher('**.password');
    const root = m.root()!;
    expect(root.step('x')).toBe(root);
    expect(root.step(5)).toBe(root);
    expect(root.step('password')).toBe(root.step('PASSWORD'));
  });

  it('matches the default secret keys ignoring case, _ and -, and as the end of a longer key', () => {
    const m = new PathMatcher([{ segments: [{ kind: 'deep' }, { kind: 'key', name: 'apikey', loose: true }], spec: MASK, declared: false }]);
    for (const key of ['apiKey', 'api_key', 'API-KEY', 'Api_Key', 'apikey', 'x-api-key', 'stripeApiKey']) expect(matches(m, 'deep', key)).toBe(true);
    expect(matches(m, 'apikeys')).toBe(false);
    expect(matches(m, 'apikey_id')).toBe(false);
  });
});
