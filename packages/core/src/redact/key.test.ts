import { describe, expect, it } from 'vitest';
import { isFiatError } from '../errors.js';
import { HASH_TOKEN_PATTERN, REDACTION_KEY_ENV, resolveRedactionKey } from './key.js';

const KEY_A = 'a'.repeat(32);
const KEY_B = 'b'.repeat(32);

describe('redaction keys', () => {
  it('hash deterministically per key, differently across keys, with the key id as prefix', () => {
    const a = resolveRedactionKey(KEY_A)!;
    const a2 = resolveRedactionKey(Buffer.from(KEY_A))!;
    const b = resolveRedactionKey(KEY_B)!;
    expect(a.token('rich@example.com')).toBe(a2.token('rich@example.com'));
    expect(a.token('rich@example.com')).not.toBe(b.token('rich@example.com'));
    expect(a.token('rich@example.com')).not.toBe(a.token('rich@example.org'));
    expect(a.token('x')).toMatch(new RegExp(HASH_TOKEN_PATTERN));
    expect(a.token('x').split(':')[1]).toBe(a.keyId);
    expect(a.keyId).not.toBe(b.keyId);
  });

  it('read FIAT_REDACTION_KEY when no option is given, and give none when neither is set', () => {
    expect(resolveRedactionKey(undefined, { [REDACTION_KEY_ENV]: KEY_A })?.keyId).toBe(resolveRedactionKey(KEY_A)?.keyId);
    expect(resolveRedactionKey(undefined, {})).toBeUndefined();
    expect(resolveRedactionKey(undefined, { [REDACTION_KEY_ENV]: '' })).toBeUndefined();
  });

  it('refuse a short key with CONFIG_INVALID that never contains the key', () => {
    const secret = 'short-secret-key';
    for (const given of [() => resolveRedactionKey(secret), () => resolveRedactionKey(undefined, { [REDACTION_KEY_ENV]: secret })]) {
      let thrown: unknown;
      try {
        given();
      } catch (error) {
        thrown = error;
      }
      expect(isFiatError(thrown, 'CONFIG_INVALID')).toBe(true);
      expect((thrown as Error).message).not.toContain(secret);
      expect((thrown as Error).message).toMatch(/at least 32 bytes/);
    }
  });

  it('never shows the key when printed or serialized', () => {
    const key = resolveRedactionKey(KEY_A)!;
    expect(JSON.stringify({ key })).not.toContain(KEY_A);
    expect(String(key)).not.toContain(KEY_A);
    expect(Object.keys(key)).toEqual(['keyId']);
  });
});
