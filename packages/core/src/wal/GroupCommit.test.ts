import { afterEach, describe, expect, it, vi } from 'vitest';
import type { FiatError } from '../errors.js';
import { MemoryWalFs } from '../test-helpers/memoryWalFs.js';
import { GroupCommit } from './GroupCommit.js';

afterEach(() => vi.useRealTimers());

function setUp(): { fs: MemoryWalFs; commit: GroupCommit; errors: FiatError[]; fd: number } {
  const fs = new MemoryWalFs();
  const errors: FiatError[] = [];
  const commit = new GroupCommit({ fs, dir: '/wal', syncMs: 5, report: (e) => errors.push(e) });
  const fd = fs.openAppend('/wal/1.wal');
  return { fs, commit, errors, fd };
}

function append(fs: MemoryWalFs, commit: GroupCommit, fd: number, text: string): void {
  fs.write(fd, Buffer.from(text), 0, text.length);
  commit.appended(fd, text.length);
}

describe('GroupCommit', () => {
  it('a sync() during a round waits for the next round when it has bytes the running round does not cover', async () => {
    // Prepare
    const { fs, commit, fd } = setUp();
    fs.holdSyncs = true;
    append(fs, commit, fd, 'aaaa');
    const first = commit.sync();
    await Promise.resolve();
    append(fs, commit, fd, 'bb');
    let secondDone = false;
    const second = commit.sync().then(() => (secondDone = true));
    // Act
    fs.releaseSyncs();
    await first;
    const afterFirst = { synced: commit.syncedBytes, secondDone };
    await vi.waitFor(() => expect(fs.calls.filter((c) => c === 'datasync')).toHaveLength(2));
    fs.releaseSyncs();
    await second;
    // Assess
    expect(afterFirst).toEqual({ synced: 4, secondDone: false });
    expect(commit.syncedBytes).toBe(6);
    expect(fs.files.get('/wal/1.wal')!.synced).toBe(6);
  });

  it('syncs the folder once after a file is created, and closes a retired file once it is synced', async () => {
    // Prepare
    vi.useFakeTimers();
    const { fs, commit, fd } = setUp();
    commit.created();
    append(fs, commit, fd, 'abc');
    // Act
    commit.retire(fd);
    const open = fs.openFds;
    await vi.advanceTimersByTimeAsync(5);
    // Assess
    expect(open).toBe(1);
    expect(fs.openFds).toBe(0);
    expect(fs.calls.filter((c) => c === 'syncDir')).toHaveLength(1);
    expect(fs.powerCut().files.get('/wal/1.wal')?.data.toString()).toBe('abc');
  });

  it('never closes a file under a running round (its number could be reused by another file meanwhile)', async () => {
    // Prepare
    const { fs, commit, fd } = setUp();
    fs.holdSyncs = true;
    append(fs, commit, fd, 'abc');
    const synced = commit.sync();
    await Promise.resolve();
    // Act
    commit.retire(fd);
    const duringRound = fs.openFds;
    fs.releaseSyncs();
    await synced;
    await new Promise((resolve) => setImmediate(resolve));
    // Assess
    expect(duringRound).toBe(1);
    expect(fs.openFds).toBe(0);
  });

  it('after a failed round retries no sooner than a second later (a failing disk is not hammered) and reports once per round', async () => {
    // Prepare
    vi.useFakeTimers();
    const { fs, commit, errors, fd } = setUp();
    fs.fail({ op: 'datasync', code: 'EIO' });
    fs.fail({ op: 'datasync', code: 'EIO' }); // the retry fails too
    append(fs, commit, fd, 'abc');
    // Act
    await vi.advanceTimersByTimeAsync(5);
    await vi.advanceTimersByTimeAsync(500);
    const soon = errors.length;
    await vi.advanceTimersByTimeAsync(600);
    await vi.advanceTimersByTimeAsync(1100);
    // Assess
    expect(soon).toBe(1);
    expect(errors.map((e) => e.code)).toEqual(['IO_FAILED', 'IO_FAILED']);
    expect(commit.syncedBytes).toBe(3);
    expect(commit.failures).toBe(2);
  });
});
