import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { acquireLockFile, describeHolder } from './lockFile.js';
import { tempDir } from './test-helpers/lake.js';

let dir: string;
beforeEach(async () => {
  dir = await tempDir('fiat-lockfile-');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('acquireLockFile', () => {
  it('takes over a lock naming this very pid that this process does not hold (a restarted container with the same pid)', () => {
    // Prepare
    const path = join(dir, '.lock');
    writeFileSync(path, JSON.stringify({ pid: process.pid, hostname: hostname(), startedAt: 'a previous life', token: 'old' }));
    // Act
    const lock = acquireLockFile(path);
    const again = acquireLockFile(path);
    // Assess
    expect(lock.acquired).toBe(true);
    expect(JSON.parse(readFileSync(path, 'utf8'))).toMatchObject({ pid: process.pid, token: lock.holder?.token });
    expect(again).toMatchObject({ acquired: false, holder: { token: lock.holder?.token } });
    expect(describeHolder(again.holder)).toMatch(new RegExp(`^pid ${process.pid} on host .*, this process \\(since `));
  });

  it('release() removes only its own lock', () => {
    const path = join(dir, '.lock');
    const lock = acquireLockFile(path);
    if (!lock.acquired) throw new Error('expected the lock');
    lock.release();
    expect(acquireLockFile(path).acquired).toBe(true);
  });

  it('IO_FAILED when the lock file cannot be created', () => {
    expect(() => acquireLockFile(join(dir, 'missing', '.lock'))).toThrow(/cannot create the lock file .*missing\/\.lock: ENOENT/);
  });
});
