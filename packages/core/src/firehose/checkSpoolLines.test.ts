import { describe, expect, it } from 'vitest';
import { checkSpoolLines, quarantineLines } from './checkSpoolLines.js';

describe('checkSpoolLines', () => {
  it('keeps well-formed JSON object lines, newline-terminated, and skips blank lines', () => {
    const { good, rejected, goodBytes } = checkSpoolLines(Buffer.from('{"n":1}\n\n  \n{"n":2}\n'));
    expect(good.map(String)).toEqual(['{"n":1}\n', '{"n":2}\n']);
    expect(goodBytes).toBe(16);
    expect(rejected).toEqual([]);
  });

  it('rejects a truncated last line, garbage, non-objects, invalid UTF-8 and oversize lines, with line numbers', () => {
    // Prepare
    const oversize = `{"pad":"${'x'.repeat(1_024_000)}"}`;
    const data = Buffer.concat([
      Buffer.from(`{"n":1}\nGARBAGE\n[1,2]\n`),
      Buffer.from([0x7b, 0xff, 0x7d, 0x0a]),
      Buffer.from(`${oversize}\n{"n":2}\n{"n":`),
    ]);
    // Act
    const { good, rejected } = checkSpoolLines(data);
    // Assess
    expect(good.map(String)).toEqual(['{"n":1}\n', '{"n":2}\n']);
    expect(rejected.map((r) => [r.line, r.reason.split(/[:(]/)[0]!.trim()])).toEqual([
      [2, 'not JSON'],
      [3, 'not a JSON object'],
      [4, 'not valid UTF-8'],
      [5, 'oversize'],
      [7, 'truncated'],
    ]);
    expect(rejected[3]!.reason).toBe("oversize: 1024011 bytes, over Firehose's 1,024,000-byte record limit");
  });

  it("applies the stream's check to each record", () => {
    const { good, rejected } = checkSpoolLines(Buffer.from('{"n":1}\n{"n":"x"}\n'), (record) => (typeof record.n === 'number' ? undefined : 'n: must be number'));
    expect(good.map(String)).toEqual(['{"n":1}\n']);
    expect(rejected).toMatchObject([{ line: 2, reason: 'not a valid record of its stream: n: must be number' }]);
  });
});

describe('quarantineLines', () => {
  it('writes one JSON line per rejected line, with its text or, when not UTF-8, its base64', () => {
    const lines = quarantineLines('f.ndjson', [
      { line: 2, reason: 'not JSON', raw: Buffer.from('GARBAGE') },
      { line: 4, reason: 'not valid UTF-8', raw: Buffer.from([0xff]) },
    ]);
    expect(lines.map((l) => JSON.parse(l.toString()))).toEqual([
      { file: 'f.ndjson', line: 2, reason: 'not JSON', bytes: 7, text: 'GARBAGE' },
      { file: 'f.ndjson', line: 4, reason: 'not valid UTF-8', bytes: 1, base64: '/w==' },
    ]);
  });
});
