import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runFiat } from './test-helpers.js';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fiat-spool-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('fiat spool replay progress', () => {
  it('draws progress and a final count on a terminal, and nothing on a pipe', async () => {
    const env = { FIAT_REGION: 'eu-west-1', AWS_ACCESS_KEY_ID: 'AKIDFAKE', AWS_SECRET_ACCESS_KEY: 'fake' };
    const spoolDir = join(dir, 'spool');
    const tty = await runFiat(['spool', 'replay', '--spool-dir', spoolDir, '--json'], { cwd: dir, env, stderrIsTTY: true });
    const pipe = await runFiat(['spool', 'replay', '--spool-dir', spoolDir, '--json'], { cwd: dir, env, stderrIsTTY: false });
    expect(tty.code).toBe(0);
    expect(tty.stderr).toBe(`\r\x1b[2Kfiat spool: replaying spool files under ${spoolDir}…\r\x1b[2Kfiat spool: replayed 0 of 0 records from 0 file(s)\n`);
    expect(pipe.stderr).toBe('');
    expect(JSON.parse(pipe.stdout)).toMatchObject({ spoolDir, files: 0, records: 0 });
  });
});
