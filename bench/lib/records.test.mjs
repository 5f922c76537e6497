import { describe, expect, it } from 'vitest';
import { fieldsFor, makePool, poolCount, poolIndexOf, sizedFields } from './records.mjs';

describe('records', () => {
  it('makes sized records at least as large as asked, and not much larger', () => {
    for (const bytes of [200, 2048, 20_480, 204_800]) {
      const length = JSON.stringify(sizedFields(3, bytes)).length;
      expect(length).toBeGreaterThanOrEqual(bytes);
      expect(length).toBeLessThan(bytes + 100);
    }
  });

  it('regenerates the record a line came from, by its audit_id', () => {
    const pool = makePool(2048);
    expect(pool).toHaveLength(poolCount(2048));
    const k = 17;
    expect(fieldsFor(2048, poolIndexOf(pool[k].audit_id))).toEqual(pool[k]);
    expect(() => poolIndexOf('x-1')).toThrow(/unexpected audit_id/);
  });

  it('keeps a pool within 4,096 records and 16 MiB', () => {
    expect(poolCount('audit')).toBe(4096);
    expect(poolCount(204_800) * 204_800).toBeLessThanOrEqual(16 * 1024 * 1024);
  });
});
