import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { ValidatedLog, defineStream } from '@fiat/core';
import { z } from 'zod';
import { readLakeRecords } from './lake.js';

const Ping = defineStream({ name: 'Ping', schema: z.object({ n: z.int() }) });

describe('readLakeRecords', () => {
  it('reads back what the local transport wrote, in order, with its partition', async () => {
    const lakeDir = await mkdtemp(join(tmpdir(), 'fiat-testing-'));
    const logger = ValidatedLog.configure('local', { app: 'a', email: 'e', streams: [Ping], lakeDir, bufferBytes: 500 });
    for (let n = 0; n < 30; n++) logger.log(Ping, { n });
    await logger.close();
    const records = await readLakeRecords(lakeDir, Ping.names);
    expect(records.map((r) => r.record.n)).toEqual(Array.from({ length: 30 }, (_, n) => n));
    expect(records[0]!.dt).toBe(new Date().toISOString().slice(0, 10));
    expect(records[0]!.key).toMatch(/^ping\/dt=[\d-]+\/fiat-ping-1-.*\.gz$/);
  });

  it('returns nothing for a stream with no files', async () => {
    expect(await readLakeRecords(await mkdtemp(join(tmpdir(), 'fiat-testing-')), Ping.names)).toEqual([]);
  });

  it('refuses a file whose last line lacks its newline', async () => {
    const lakeDir = await mkdtemp(join(tmpdir(), 'fiat-testing-'));
    await mkdir(join(lakeDir, 'ping', 'dt=2026-01-01'), { recursive: true });
    await writeFile(join(lakeDir, 'ping', 'dt=2026-01-01', 'f.gz'), gzipSync('{"n":1}'));
    await expect(readLakeRecords(lakeDir, Ping.names)).rejects.toThrow(/does not end with/);
  });
});
