import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeFileAtomic, writeFileAtomicSync } from './atomicFile.js';

describe('writeFileAtomic', () => {
  it('writes one buffer or several, creating the folders, and leaves nothing in _tmp', async () => {
    const root = await mkdtemp(join(tmpdir(), 'fiat-atomic-'));
    const a = await writeFileAtomic(root, 'x/y/a.txt', Buffer.from('one\n'));
    const b = await writeFileAtomic(root, 'x/b.txt', [Buffer.from('two\n'), Buffer.from('three\n')]);
    const c = writeFileAtomicSync(root, 'z/c.txt', [Buffer.from('four\n'), Buffer.alloc(0), Buffer.from('five\n')]);
    expect(await readFile(a, 'utf8')).toBe('one\n');
    expect(await readFile(b, 'utf8')).toBe('two\nthree\n');
    expect(await readFile(c, 'utf8')).toBe('four\nfive\n');
    expect(await readdir(join(root, '_tmp'))).toEqual([]);
  });

  it('removes its temporary file and throws when the target cannot be created', async () => {
    const root = await mkdtemp(join(tmpdir(), 'fiat-atomic-'));
    await writeFile(join(root, 'blocked'), 'a file where a folder should be');
    await expect(writeFileAtomic(root, 'blocked/a.txt', Buffer.from('x'))).rejects.toThrow();
    expect(() => writeFileAtomicSync(root, 'blocked/b.txt', [Buffer.from('x')])).toThrow();
    expect(await readdir(join(root, '_tmp'))).toEqual([]);
  });
});
