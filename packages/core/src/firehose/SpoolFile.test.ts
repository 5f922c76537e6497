import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SpoolFile } from './SpoolFile.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fiat-spoolfile-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function placed(): Promise<string[]> {
  try {
    return await readdir(join(dir, 'fiat-audit'));
  } catch {
    return [];
  }
}

describe('SpoolFile', () => {
  it('appears in the stream folder only once sealed, with everything appended', async () => {
    // Prepare
    const file = SpoolFile.open(dir, 'fiat-audit');
    // Act
    file.appendSync([Buffer.from('{"n":1}\n'), Buffer.from('{"n":2}\n')]);
    file.appendSync([Buffer.from('{"n":3}\n')]);
    const before = await placed();
    const path = await file.seal();
    // Assess
    expect(before).toEqual([]);
    expect(await readFile(path, 'utf8')).toBe('{"n":1}\n{"n":2}\n{"n":3}\n');
    expect(path).toMatch(/fiat-audit\/\d{8}T\d{9}Z-\d+-[0-9a-f-]{36}\.ndjson$/);
    expect(await readdir(join(dir, '_tmp'))).toEqual([]);
  });

  it('seals synchronously, also while a background seal is under way, and is placed once', async () => {
    const file = SpoolFile.open(dir, 'fiat-audit');
    file.appendSync([Buffer.from('x\n')]);
    const background = file.seal();
    const path = file.sealSync();
    expect(await background).toBe(path);
    expect(await placed()).toHaveLength(1);
  });

  it('discardSync removes the partial file', async () => {
    const file = SpoolFile.open(dir, 'fiat-audit');
    file.appendSync([Buffer.from('x\n')]);
    file.discardSync();
    await expect(file.seal()).rejects.toThrow(/discarded/);
    expect(await readdir(join(dir, '_tmp'))).toEqual([]);
    expect(await placed()).toEqual([]);
  });
});
