import { describe, expect, it } from 'vitest';
import { resolveStreamNames } from '../names.js';
import { encodeLastFrame, encodeRecordFrame, encodeStreamFrame, FrameBuffer, parseSegment, SegmentReader } from './frame.js';

const names = resolveStreamNames('Audit');

function segment(lines: readonly string[]): Buffer {
  const frames = new FrameBuffer();
  const parts = [encodeStreamFrame(0, names)];
  lines.forEach((line, i) => {
    const length = encodeRecordFrame(frames, 0, 1_700_000_000_000 + i, line);
    parts.push(Buffer.from(frames.buffer.subarray(0, length)));
  });
  return Buffer.concat(parts);
}

describe('write-ahead frames', () => {
  it('read back every line byte for byte, with its stream and time (any Unicode, escapes, long lines)', () => {
    // Prepare
    const lines = ['{"a":"é ü 👋 \\u0000 \\" \\\\"}\n', `{"b":"${'x'.repeat(200_000)}"}\n`, '{"c":1}\n'];
    // Act
    const parsed = parseSegment(segment(lines));
    // Assess
    expect(parsed).toMatchObject({ corrupt: 0, tornBytes: 0 });
    expect(parsed.frames[0]).toEqual({ kind: 'stream', ref: 0, names });
    expect(parsed.frames.slice(1)).toEqual(lines.map((line, i) => ({ kind: 'record', ref: 0, time: 1_700_000_000_000 + i, line })));
  });

  it('are one text line each: `<crc32 hex> s0 {names}` and `<crc32 hex> r0 <time> <stored line>`', () => {
    const text = segment(['{"a":1}\n']).toString('utf8');
    expect(text).toMatch(/^[0-9a-f]{8} s0 \{"stream":"Audit","table":"audit","prefix":"audit\/","deliveryStream":"fiat-audit"\}\n[0-9a-f]{8} r0 1700000000000 \{"a":1\}\n$/);
  });

  it('tell a stream\'s latest line (state, never delivered again) from a record, and can be read one at a time', () => {
    const frames = new FrameBuffer();
    const length = encodeLastFrame(frames, 0, 7, '{"a":1}\n');
    const data = Buffer.concat([encodeStreamFrame(0, names), Buffer.from(frames.buffer.subarray(0, length)), Buffer.from('torn')]);
    const reader = new SegmentReader(data);
    expect([reader.next()?.kind, reader.next(), reader.next()]).toEqual(['stream', { kind: 'last', ref: 0, time: 7, line: '{"a":1}\n' }, undefined]);
    expect(reader).toMatchObject({ corrupt: 0, tornBytes: 4 });
  });

  it('detect every single-bit change of a frame (CRC-32) and skip only that frame', () => {
    const data = segment(['{"a":1}\n', '{"b":2}\n']);
    const second = data.indexOf('r0 1700000000000');
    const end = data.indexOf('\n', second);
    for (let byte = second - 9; byte < end; byte++) {
      for (let bit = 0; bit < 8; bit++) {
        const damaged = Buffer.from(data);
        damaged[byte]! ^= 1 << bit;
        const parsed = parseSegment(damaged);
        const lines = parsed.frames.flatMap((f) => (f.kind === 'record' ? [f.line] : []));
        expect(lines, `byte ${byte} bit ${bit}`).toEqual(['{"b":2}\n']);
        expect(parsed.corrupt, `byte ${byte} bit ${bit}`).toBe(1);
      }
    }
  });

  it('count a last frame without its newline as a torn write, and garbage lines as corrupt', () => {
    const whole = segment(['{"a":1}\n', '{"b":2}\n']);
    const torn = whole.subarray(0, whole.length - 4);
    expect(parseSegment(torn)).toMatchObject({ corrupt: 0, tornBytes: whole.length - 4 - (whole.lastIndexOf('\n', whole.length - 2) + 1) });
    expect(parseSegment(Buffer.concat([Buffer.from('\n\0\0\0\nnot a frame at all\n'), whole])).corrupt).toBe(3);
    expect(parseSegment(Buffer.alloc(4096)).tornBytes).toBe(4096);
  });
});
