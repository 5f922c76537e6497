import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { auditFields, LOGGER_OPTIONS } from './records.mjs';
import { checkLine, verifyOutput } from './verify.mjs';

const stored = (i) => {
  const fields = auditFields(i);
  return { event_id: '0190b2a4-8e4c-7cc1-9f43-3c1f2b1c9a10', event_time: '2026-11-28 10:00:00.123', ...LOGGER_OPTIONS, ...fields, task_args: JSON.stringify(fields.task_args) };
};
const pinoLine = (i) => ({ level: 30, time: 1_795_000_000_000, ...LOGGER_OPTIONS, ...auditFields(i) });
const ndjson = (records) => records.map((r) => `${JSON.stringify(r)}\n`).join('');

let dir;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bench-verify-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('verifyOutput', () => {
  it('counts the lines of every gzip file and checks samples against the records logged', async () => {
    // Prepare
    await mkdir(join(dir, 'audit', 'dt=2026-11-28'), { recursive: true });
    await writeFile(join(dir, 'audit', 'dt=2026-11-28', 'a.gz'), gzipSync(ndjson([0, 1, 2].map(stored))));
    await writeFile(join(dir, 'audit', 'dt=2026-11-28', 'b.gz'), gzipSync(ndjson([3, 4].map(stored))));
    // Act
    const found = await verifyOutput(dir, { expectedLines: 5, shape: 'stored', size: 'audit' });
    // Assess
    expect(found).toMatchObject({ files: 2, lines: 5 });
    expect(found.sampled).toBeGreaterThanOrEqual(2);
  });

  it('fails on a missing line, a partial last line, a temporary file left behind, or a wrong record', async () => {
    await writeFile(join(dir, 'out.ndjson'), ndjson([0, 1].map(pinoLine)));
    await expect(verifyOutput(dir, { expectedLines: 3, shape: 'pino', size: 'audit' })).rejects.toThrow(/2 lines, expected 3/);

    await writeFile(join(dir, 'out.ndjson'), `${ndjson([pinoLine(0)])}{"level":30`);
    await expect(verifyOutput(dir, { expectedLines: 2, shape: 'pino', size: 'audit' })).rejects.toThrow(/partial/);

    await writeFile(join(dir, 'out.ndjson'), ndjson([{ ...pinoLine(1), task_args: { x: 1, y: 2 } }]));
    await expect(verifyOutput(dir, { expectedLines: 1, shape: 'pino', size: 'audit' })).rejects.toThrow(/task_args/);

    await writeFile(join(dir, 'out.ndjson'), ndjson([pinoLine(0)]));
    await mkdir(join(dir, '_tmp'));
    await writeFile(join(dir, '_tmp', 'x.partial'), 'half');
    await expect(verifyOutput(dir, { expectedLines: 1, shape: 'pino', size: 'audit' })).rejects.toThrow(/temporary file/);
  });
});

describe('checkLine', () => {
  it("tells Fiat's stored shape from pino's", () => {
    expect(() => checkLine('stored', 'audit', stored(7))).not.toThrow();
    expect(() => checkLine('pino', 'audit', pinoLine(7))).not.toThrow();
    expect(() => checkLine('stored', 'audit', pinoLine(7))).toThrow(/event_id/);
    expect(() => checkLine('stored', 'audit', { ...stored(7), event_time: '2026-11-28T10:00:00.123Z' })).toThrow(/event_time/);
    expect(() => checkLine('pino', 'audit', { ...pinoLine(7), app: 'other' })).toThrow(/app/);
  });
});
