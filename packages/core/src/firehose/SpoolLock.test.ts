import { mkdtemp, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { acquireSpoolLock, LOCK_FILE } from './SpoolLock.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fiat-lock-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A pid that is not running: the highest pid Linux hands out is far below this. */
const DEAD_PID = 2 ** 22 + 12_345;

describe('acquireSpoolLock', () => {
  it('is exclusive: a second replay, even in the same process, is told who holds the lock', async () => {
    // Prepare
    const first = await acquireSpoolLock(dir);
    // Act
    const second = await acquireSpoolLock(dir);
    // Assess
    expect(first.acquired).toBe(true);
    expect(second).toMatchObject({ acquired: false, path: join(dir, LOCK_FILE), holder: { pid: process.pid, hostname: hostname() } });
  });

  it('can be taken again once released', async () => {
    const first = await acquireSpoolLock(dir);
    if (!first.acquired) throw new Error('expected the lock');
    await first.release();
    expect((await acquireSpoolLock(dir)).acquired).toBe(true);
  });

  it('takes over a lock whose owner on this host is no longer running', async () => {
    // Prepare
    await writeFile(join(dir, LOCK_FILE), JSON.stringify({ pid: DEAD_PID, hostname: hostname(), startedAt: '2026-01-01T00:00:00.000Z', token: 'old' }));
    // Act
    const lock = await acquireSpoolLock(dir);
    // Assess
    expect(lock.acquired).toBe(true);
    expect(JSON.parse(await readFile(join(dir, LOCK_FILE), 'utf8'))).toMatchObject({ pid: process.pid });
  });

  it('never takes over a lock from another host, nor a fresh unreadable one; an old unreadable one is stale', async () => {
    // Prepare
    await writeFile(join(dir, LOCK_FILE), JSON.stringify({ pid: DEAD_PID, hostname: 'another-host', startedAt: '2026-01-01T00:00:00.000Z', token: 't' }));
    const otherHost = await acquireSpoolLock(dir);
    await writeFile(join(dir, LOCK_FILE), '');
    const freshUnreadable = await acquireSpoolLock(dir);
    const old = new Date(Date.now() - 120_000);
    await utimes(join(dir, LOCK_FILE), old, old);
    // Act
    const oldUnreadable = await acquireSpoolLock(dir);
    // Assess
    expect(otherHost).toMatchObject({ acquired: false, holder: { hostname: 'another-host' } });
    expect(freshUnreadable).toMatchObject({ acquired: false, holder: undefined });
    expect(oldUnreadable.acquired).toBe(true);
  });

  it('does not remove a lock that another replay took over meanwhile', async () => {
    const first = await acquireSpoolLock(dir);
    if (!first.acquired) throw new Error('expected the lock');
    await writeFile(join(dir, LOCK_FILE), JSON.stringify({ pid: process.pid, hostname: hostname(), startedAt: 'now', token: 'someone-else' }));
    await first.release();
    expect(JSON.parse(await readFile(join(dir, LOCK_FILE), 'utf8'))).toMatchObject({ token: 'someone-else' });
  });
});
