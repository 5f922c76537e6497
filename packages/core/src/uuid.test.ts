import { describe, expect, it } from 'vitest';
import { uuidv7 } from './uuid.js';

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('uuidv7', () => {
  it('ignores a clock value that is no 48-bit millisecond count, so that later ids keep the real time', () => {
    for (const bad of [2 ** 50, Number.NaN, -1, 1.5]) uuidv7(bad);
    const id = uuidv7();
    const ms = Number.parseInt(id.slice(0, 8) + id.slice(9, 13), 16);
    expect(Math.abs(ms - Date.now())).toBeLessThan(60_000);
  });

  it('writes the millisecond time in its first 48 bits, version 7 and variant 10', () => {
    const ms = Date.UTC(2026, 10, 28, 5, 44, 20, 123);
    const id = uuidv7(ms + 10_000_000); // later than any id made so far in this process
    expect(id).toMatch(UUID_V7);
    expect(Number.parseInt(id.slice(0, 8) + id.slice(9, 13), 16)).toBe(ms + 10_000_000);
  });

  it('makes distinct, increasing ids within one millisecond and across a pool refill', () => {
    const ms = Date.UTC(2027, 0, 1);
    const ids = Array.from({ length: 2000 }, () => uuidv7(ms));
    for (const id of ids) expect(id).toMatch(UUID_V7);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
  });

  it('gives the largest time of years 0001-9999 its 12 hex digits', () => {
    expect(uuidv7(253402300799999).slice(0, 13)).toBe('e677d21f-dbff');
  });
});
