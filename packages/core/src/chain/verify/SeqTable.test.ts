import { describe, expect, it } from 'vitest';
import { SeqTable } from './SeqTable.js';

const hash = (n: number): string => n.toString(16).padStart(64, '0');

describe('SeqTable', () => {
  it('keeps the hash of each seq, across chunks', () => {
    // Prepare
    const table = new SeqTable();
    // Act
    for (const seq of [1, 4095, 4096, 4097, 1_000_000]) table.set(seq, hash(seq));
    // Assess
    expect(table.get(4096)).toBe(hash(4096));
    expect(table.get(1_000_000)).toBe(hash(1_000_000));
    expect(table.has(2)).toBe(false);
    expect(table.get(2)).toBeUndefined();
  });

  it('lists the missing ranges, including whole chunks never touched', () => {
    const table = new SeqTable();
    for (let seq = 1; seq <= 10_000; seq++) if (seq < 5 || (seq > 9 && seq < 4090) || seq > 8200) table.set(seq, hash(seq));
    expect(table.missing(1, 10_000)).toEqual([
      { from: 5, to: 9 },
      { from: 4090, to: 8200 },
    ]);
    expect(table.missing(1, 4)).toEqual([]);
    expect(new SeqTable().missing(3, 20_000)).toEqual([{ from: 3, to: 20_000 }]);
  });
});
