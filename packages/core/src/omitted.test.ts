import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { isOmittedString, isOmittedValue, omissionReason, omittedString, omittedValue, OMITTED_HASH_LIMIT_BYTES } from './omitted.js';

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

describe('omitted markers', () => {
  it('carries the byte length and SHA-256 of the JSON text of a value', () => {
    const value = { rows: ['é', 1, { x: null }] };
    const json = JSON.stringify(value);
    expect(omittedValue(value, 'too_large')).toEqual({ fiat_omitted: true, reason: 'too_large', bytes: Buffer.byteLength(json), sha256: sha256(json) });
    expect(isOmittedValue(omittedValue(value, 'too_deep'))).toBe(true);
    expect(isOmittedValue({ fiat_omitted: 'yes' })).toBe(false);
  });

  it('hashes at most 16 MiB of a huge value and says so', () => {
    const value = Array.from({ length: 20 }, () => 'x'.repeat(1024 * 1024));
    const marker = omittedValue(value, 'too_large');
    expect(marker.truncated).toBe(true);
    expect(marker.bytes).toBeLessThanOrEqual(OMITTED_HASH_LIMIT_BYTES);
    expect(marker.sha256).toBe(sha256(JSON.stringify(value).slice(0, marker.bytes)));
  });

  it('hashes values JSON cannot carry through their description', () => {
    expect(omittedValue({ n: 1n }, 'not_json').sha256).toBe(sha256('{"n":"[BigInt 1]"}'));
  });

  it('writes string markers of the full UTF-8 string', () => {
    const text = `${'x'.repeat(2_000_000)}é`;
    const marker = omittedString(text);
    expect(marker).toBe(`[fiat omitted 2000002 bytes, sha256:${sha256(text)}]`);
    expect(isOmittedString(marker)).toBe(true);
    expect(isOmittedString('[fiat omitted 1 bytes]')).toBe(false);
  });

  it('says why a value cannot be stored, with bounded work', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 10_000; i++) deep = { a: deep };
    const sparse: unknown[] = [];
    sparse.length = 1e8;
    expect(omissionReason({ ok: [1, 'two'] }, 1024)).toBeUndefined();
    expect(omissionReason(deep, 1 << 20)).toBe('too_deep');
    expect(omissionReason(sparse, 1 << 20)).toBe('too_large');
    expect(omissionReason('x'.repeat(2000), 1024)).toBe('too_large');
    expect(omissionReason({ n: 1n }, 1024)).toBe('not_json');
  });
});
