import { describe, expect, it } from 'vitest';
import { BufferPool } from './BufferPool.js';
import { Packer, takeBatch } from './Packer.js';
import { OutboundRecord } from './OutboundRecord.js';

function pool(bufferBytes: number): BufferPool {
  return new BufferPool({ bufferBytes, maxPooled: 8, recycle: true });
}

function lines(n: number, size: number): string[] {
  return Array.from({ length: n }, (_, i) => `${String(i).padStart(size - 1, '0')}\n`);
}

function texts(records: readonly OutboundRecord[]): string[] {
  return records.map((r) => r.data.toString('utf8'));
}

describe('Packer', () => {
  it('fills a record up to its buffer size, then starts the next, keeping every line whole and in order', () => {
    // Prepare: 10-byte lines, 35-byte records: three lines each
    const packer = new Packer({ packing: true, pool: pool(35) });
    // Act
    for (const line of lines(7, 10)) packer.add('s', line, 10);
    packer.sealAll();
    const records = packer.take('s', 500, 1 << 20);
    // Assess
    expect(records.map((r) => [r.count, r.bytes])).toEqual([
      [3, 30],
      [3, 30],
      [1, 10],
    ]);
    expect(texts(records).join('')).toBe(lines(7, 10).join(''));
  });

  it('gives a line larger than a packing buffer a record of its own instead of truncating it', () => {
    // Prepare
    const packer = new Packer({ packing: true, pool: pool(20) });
    const big = `${'x'.repeat(49)}\n`;
    // Act
    packer.add('s', 'a\n', 2);
    packer.add('s', big, 50);
    packer.add('s', 'b\n', 2);
    packer.sealAll();
    // Assess
    expect(texts(packer.take('s', 500, 1 << 20))).toEqual(['a\n', big, 'b\n']);
  });

  it('makes one record per line without packing', () => {
    const packer = new Packer({ packing: false, pool: pool(1024) });
    for (const line of lines(3, 5)) packer.add('s', line, 5);
    expect(texts(packer.take('s', 500, 1 << 20))).toEqual(lines(3, 5));
  });

  it('keeps each delivery stream apart and says when one fills a batch', () => {
    // Prepare
    const packer = new Packer({ packing: false, pool: pool(1024) });
    // Act
    for (const line of lines(3, 5)) packer.add('a', line, 5);
    packer.add('b', 'x\n', 2);
    // Assess
    expect(packer.hasFullBatch('a', 3, 1 << 20)).toBe(true);
    expect(packer.hasFullBatch('b', 3, 1 << 20)).toBe(false);
    expect(packer.hasFullBatch('a', 500, 15)).toBe(true);
    expect(packer.streamsWithSealed().sort()).toEqual(['a', 'b']);
  });

  it('copies a record sealed less than half full out of its big buffer, which goes back to the pool', () => {
    // Prepare
    const buffers = pool(1000);
    const packer = new Packer({ packing: true, pool: buffers });
    packer.add('s', 'small\n', 6);
    // Act
    packer.sealAll();
    // Assess
    const [record] = packer.take('s', 500, 1 << 20);
    expect([buffers.inUse, buffers.pooled]).toEqual([0, 1]);
    buffers.take().fill(0x7a); // the big buffer, reused: the record's bytes must not change
    expect(record!.data.toString()).toBe('small\n');
  });

  it('drain() hands over every record, open ones sealed, by stream', () => {
    const packer = new Packer({ packing: true, pool: pool(100) });
    packer.add('a', 'one\n', 4);
    packer.add('b', 'two\n', 4);
    const drained = packer.drain();
    expect([...drained.keys()].sort()).toEqual(['a', 'b']);
    expect(texts(drained.get('a')!)).toEqual(['one\n']);
    expect(packer.streamsWithSealed()).toEqual([]);
  });
});

describe('takeBatch', () => {
  it('takes at most maxRecords records and maxBytes bytes, but always one', () => {
    const records = [10, 10, 10, 50].map((n) => OutboundRecord.of(Buffer.alloc(n)));
    expect(takeBatch([...records], 2, 1000)).toHaveLength(2);
    expect(takeBatch([...records], 500, 25)).toHaveLength(2);
    const rest = records.slice(3);
    expect(takeBatch(rest, 500, 1)).toHaveLength(1);
    expect(rest).toHaveLength(0);
  });
});
