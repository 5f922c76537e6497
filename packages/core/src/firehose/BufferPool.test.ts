import { describe, expect, it } from 'vitest';
import { BufferPool } from './BufferPool.js';

describe('BufferPool', () => {
  it('reuses a buffer given back instead of allocating another', () => {
    // Prepare
    const pool = new BufferPool({ bufferBytes: 1024, maxPooled: 2, recycle: true });
    const first = pool.take();
    // Act
    pool.give(first);
    const second = pool.take();
    // Assess
    expect(second).toBe(first);
    expect(pool.inUse).toBe(1);
  });

  it('keeps at most maxPooled free buffers', () => {
    const pool = new BufferPool({ bufferBytes: 16, maxPooled: 2, recycle: true });
    const taken = [pool.take(), pool.take(), pool.take()];
    for (const buffer of taken) pool.give(buffer);
    expect(pool.pooled).toBe(2);
    expect(pool.inUse).toBe(0);
  });

  it('leaves buffers to the collector when recycling is off, or when they are of another size', () => {
    const off = new BufferPool({ bufferBytes: 16, maxPooled: 4, recycle: false });
    off.give(off.take());
    const on = new BufferPool({ bufferBytes: 16, maxPooled: 4, recycle: true });
    on.take();
    on.give(Buffer.alloc(8));
    expect([off.pooled, on.pooled]).toEqual([0, 0]);
  });

  it('trim() lets go of the buffers that stayed free since the previous trim, keeping the asked-for floor', () => {
    // Prepare: four buffers made free, then two of them needed again before the first trim.
    const pool = new BufferPool({ bufferBytes: 16, maxPooled: 8, recycle: true });
    const taken = [pool.take(), pool.take(), pool.take(), pool.take()];
    for (const buffer of taken) pool.give(buffer);
    pool.trim();
    const busy = [pool.take(), pool.take()];
    for (const buffer of busy) pool.give(buffer);
    // Act: two of the four were never taken in this interval.
    pool.trim();
    const afterFirst = pool.pooled;
    pool.trim(1);
    // Assess
    expect(afterFirst).toBe(2);
    expect(pool.pooled).toBe(1);
  });
});
