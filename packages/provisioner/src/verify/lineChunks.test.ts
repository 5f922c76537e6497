import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { CHUNK_CHARS, gunzipped, lineChunks } from './lineChunks.js';
import { sortKeys, inRange } from './reader.js';

async function collect(source: AsyncIterable<Buffer | string>): Promise<{ text: string; firstLine: number }[]> {
  const out = [];
  for await (const chunk of lineChunks(source)) out.push(chunk);
  return out;
}

describe('lineChunks', () => {
  it('hands on whole lines with the number of the first, decoding UTF-8 split across pieces', async () => {
    // Prepare: '☕' is 3 bytes, split between two pieces; lines long enough to make several chunks.
    const line = `{"v":"${'x'.repeat(1000)}☕"}\n`;
    const bytes = Buffer.from(line.repeat(600));
    const pieces = [bytes.subarray(0, 1005), bytes.subarray(1005, 300_000), bytes.subarray(300_000)];
    // Act
    const chunks = await collect(Readable.from(pieces));
    // Assess
    expect(chunks.length).toBeGreaterThan(1);
    expect(chunks.map((c) => c.text).join('')).toBe(line.repeat(600));
    expect(chunks.every((c) => c.text.endsWith('\n'))).toBe(true);
    expect(chunks[1]!.firstLine).toBe(chunks[0]!.text.split('\n').length);
    expect(chunks[0]!.text.length).toBeGreaterThanOrEqual(CHUNK_CHARS);
  });

  it('hands on a last line without a newline', async () => {
    expect(await collect(Readable.from([Buffer.from('a\nb')]))).toEqual([{ text: 'a\nb', firstLine: 1 }]);
  });

  it('raises a corrupt gzip stream instead of hanging', async () => {
    await expect(collect(gunzipped(Readable.from([Buffer.from('not gzip')])))).rejects.toThrow(/incorrect header check/);
    expect(await collect(gunzipped(Readable.from([gzipSync('x\n')])))).toEqual([{ text: 'x\n', firstLine: 1 }]);
  });
});

describe('partition ranges and key order', () => {
  it('orders keys by partition, then by the time in their names', () => {
    const keys = [
      'audit/dt=2026-11-27/fiat-audit-1-2026-11-27-00-00-01-a.gz',
      'audit/dt=2026-11-26/fiat-audit-2-2026-11-26-10-00-00-b.gz',
      'audit/dt=2026-11-26/fiat-audit-1-2026-11-26-11-00-00-a.gz',
    ];
    expect(sortKeys(keys)).toEqual([keys[1], keys[2], keys[0]]);
    expect(inRange(keys[0]!, { from: '2026-11-27' })).toBe(true);
    expect(inRange(keys[1]!, { from: '2026-11-27' })).toBe(false);
    expect(inRange(keys[1]!, { to: '2026-11-27' })).toBe(true);
    expect(inRange('audit/x.gz', {})).toBe(false);
  });
});
