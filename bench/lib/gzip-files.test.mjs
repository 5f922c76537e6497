import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createGzipFileWriter } from './gzip-files.mjs';
import { LOGGER_OPTIONS, sizedFields } from './records.mjs';
import { verifyOutput } from './verify.mjs';

let dir;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bench-gzip-files-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("the ceiling's file writer", () => {
  it('seals a file per fileBytes, and every line is in place after close', async () => {
    // Prepare: lines of about 2.6 KB, files of 64 KiB.
    const writer = await createGzipFileWriter(join(dir, 'out'), { fileBytes: 64 * 1024 });
    // Act
    for (let i = 0; i < 300; i++) {
      const fields = sizedFields(i, 2048);
      writer.write(`${JSON.stringify({ event_id: '0190b2a4-8e4c-7cc1-9f43-3c1f2b1c9a10', event_time: '2026-11-28 10:00:00.123', ...LOGGER_OPTIONS, ...fields, task_args: JSON.stringify(fields.task_args) })}\n`);
    }
    await writer.close();
    // Assess
    const found = await verifyOutput(join(dir, 'out'), { expectedLines: 300, shape: 'stored', size: 2048 });
    expect(found.files).toBeGreaterThanOrEqual(10);
  });
});
