import { describe, expect, it } from 'vitest';
import { BufferPool } from '../firehose/BufferPool.js';
import { ChunkedLines } from './ChunkedLines.js';

function pool(bufferBytes: number, maxPooled = 64): BufferPool {
  return new BufferPool({ bufferBytes, maxPooled, recycle: true });
}

const text = (lines: ChunkedLines): string => Buffer.concat(lines.parts()).toString('utf8');

describe('ChunkedLines', () => {
  it('keeps lines byte for byte when they straddle chunks, multi-byte characters included', () => {
    // Prepare: 16-byte chunks, lines of 1 to 40 bytes with 2-, 3- and 4-byte characters.
    const lines = new ChunkedLines(pool(16));
    const written = ['a\n', 'Zürich €\n', `${'x'.repeat(30)}😀\n`, '{"k":"\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9"}\n', 'b\n'];
    // Act
    const counted = written.map((line) => lines.append(line));
    // Assess
    expect(text(lines)).toBe(written.join(''));
    expect(counted).toEqual(written.map((line) => Buffer.byteLength(line)));
    expect(lines.count).toBe(written.length);
    expect(lines.bytes).toBe(Buffer.byteLength(written.join('')));
    expect(lines.parts().every((part) => part.length <= 16)).toBe(true);
  });

  it('fills every chunk before taking the next one (no chunk left part-empty)', () => {
    const lines = new ChunkedLines(pool(10));
    for (let i = 0; i < 7; i++) lines.append('abcdef\n'); // 49 bytes
    expect(lines.parts().map((part) => part.length)).toEqual([10, 10, 10, 10, 9]);
  });

  it('takes a byte length given by the caller instead of counting it', () => {
    const lines = new ChunkedLines(pool(8));
    lines.append('ééééé\n', 11);
    expect(lines.bytes).toBe(11);
    expect(text(lines)).toBe('ééééé\n');
  });

  it('joined() is the bytes appended as one buffer', () => {
    const lines = new ChunkedLines(pool(5));
    for (let i = 0; i < 10; i++) lines.append(`line ${i}\n`);
    expect(lines.joined().toString('utf8')).toBe(Array.from({ length: 10 }, (_, i) => `line ${i}\n`).join(''));
  });

  it('release() gives the chunks back to the pool; the next lines reuse them instead of allocating', () => {
    // Prepare
    const shared = pool(8192);
    const first = new ChunkedLines(shared);
    for (let i = 0; i < 20; i++) first.append(`${'x'.repeat(999)}\n`);
    // A chunk is known by its memory: its ArrayBuffer and offset (Buffer's slab may hold several chunks, by Node version).
    const ids = new Map<ArrayBufferLike, number>();
    const chunkOf = (part: Buffer): string => {
      if (!ids.has(part.buffer)) ids.set(part.buffer, ids.size + 1);
      return `${ids.get(part.buffer)}:${part.byteOffset}`;
    };
    const chunks = new Set(first.parts().map(chunkOf));
    // Act
    first.release();
    first.release(); // a second call gives nothing back twice
    const second = new ChunkedLines(shared);
    for (let i = 0; i < 20; i++) second.append(`${'y'.repeat(999)}\n`);
    // Assess
    expect(first.bytes).toBe(0);
    expect(first.parts()).toEqual([]);
    expect(chunks.size).toBe(3);
    expect(second.parts().every((part) => chunks.has(chunkOf(part)))).toBe(true);
    expect(shared.inUse).toBe(second.chunkCount);
    expect(text(second)).toBe(`${'y'.repeat(999)}\n`.repeat(20));
  });
});
