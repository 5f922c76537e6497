import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { isFiatError, type FiatError } from '../errors.js';
import { resolveStreamNames } from '../names.js';
import { tempDir } from '../test-helpers/lake.js';
import { MemoryWalFs } from '../test-helpers/memoryWalFs.js';
import { walTestRecord as rec, walTestTransport, type WalTestTransport } from '../test-helpers/walTransport.js';
import { parseSegment, type Frame } from './frame.js';
import { WAL_LOCK_FILE, WriteAheadLog, type WriteAheadLogOptions } from './WriteAheadLog.js';

let dir: string;
let opened: WriteAheadLog[] = [];
beforeEach(async () => {
  dir = await tempDir('fiat-wal-');
});
afterEach(async () => {
  vi.useRealTimers();
  for (const wal of opened.splice(0)) await wal.close().catch(() => undefined);
  rmSync(dir, { recursive: true, force: true });
});

function open(fs: MemoryWalFs, transport: WalTestTransport, options: Partial<WriteAheadLogOptions> = {}): { wal: WriteAheadLog; errors: FiatError[] } {
  const errors: FiatError[] = [];
  const wal = WriteAheadLog.open({ dir, syncMs: 5, segmentBytes: 1 << 20, segmentMs: 60_000, transport, fs, onError: (e) => errors.push(e), ...options });
  opened.push(wal);
  return { wal, errors };
}

/** Logs as ValidatedLog does: the log first, then the transport (taking the record back if it refuses). */
function log(wal: WriteAheadLog, transport: WalTestTransport, n: number, text?: string): void {
  const record = rec(n, text);
  wal.append(record);
  try {
    transport.write(record);
  } catch (error) {
    wal.undoLast();
    throw error;
  }
}

/** Ends a log as a crash does: its lock file goes with the process, its files stay as `fs` says. */
function crash(): void {
  opened = [];
  rmSync(join(dir, WAL_LOCK_FILE), { force: true });
}

function segmentLines(fs: MemoryWalFs): string[] {
  return [...fs.files.entries()]
    .filter(([path]) => path.endsWith('.wal'))
    .sort(([a], [b]) => a.localeCompare(b))
    .flatMap(([, file]) => parseSegment(file.data).frames.flatMap((f) => (f.kind === 'record' ? [f.line] : [])));
}

function frames(fs: MemoryWalFs): Frame[] {
  return [...fs.files.entries()]
    .filter(([path]) => path.endsWith('.wal'))
    .sort(([a], [b]) => a.localeCompare(b))
    .flatMap(([, file]) => parseSegment(file.data).frames);
}

function thrown(fn: () => unknown): FiatError {
  try {
    fn();
  } catch (error) {
    if (isFiatError(error)) return error;
    throw error;
  }
  throw new Error('expected a FiatError');
}

describe('WriteAheadLog: appending and group commit', () => {
  it('appends each line before returning, and one fdatasync covers every record of the window', async () => {
    // Prepare
    vi.useFakeTimers();
    const fs = new MemoryWalFs();
    const transport = walTestTransport();
    const { wal } = open(fs, transport);
    // Act
    for (let n = 1; n <= 50; n++) log(wal, transport, n);
    const before = wal.stats();
    await vi.advanceTimersByTimeAsync(5);
    // Assess
    expect(segmentLines(fs)).toEqual(transport.received.map((r) => r.line));
    expect(before).toMatchObject({ records: 50, syncs: 0, segments: 1 });
    expect(before.unsyncedBytes).toBeGreaterThan(0);
    expect(fs.calls.filter((c) => c === 'datasync')).toHaveLength(1);
    expect(wal.stats()).toMatchObject({ syncs: 1, unsyncedBytes: 0, syncLagMs: 0 });
  });

  it('flush() resolves only after the fdatasync covering every record logged before it, then empties the delivered segment', async () => {
    // Prepare
    const fs = new MemoryWalFs();
    fs.holdSyncs = true;
    const transport = walTestTransport();
    const { wal } = open(fs, transport);
    for (let n = 1; n <= 3; n++) log(wal, transport, n);
    // Act
    let done = false;
    const flushed = wal.flush().then(() => (done = true));
    await new Promise((resolve) => setImmediate(resolve));
    const whileHeld = done;
    fs.holdSyncs = false;
    fs.releaseSyncs();
    await flushed;
    // Assess
    expect(whileHeld).toBe(false);
    expect(transport.delivered).toHaveLength(3);
    expect(wal.stats()).toMatchObject({ waitingRecords: 0, segments: 1 });
    expect(segmentLines(fs)).toEqual([]);
    expect(frames(fs).map((f) => f.kind)).toEqual(['stream', 'last']); // only the stream's latest line is kept
  });

  it('with walSyncMs 0, fdatasyncs inside append (every returned record survives a power cut)', () => {
    // Prepare
    const fs = new MemoryWalFs();
    const transport = walTestTransport();
    const { wal } = open(fs, transport, { syncMs: 0 });
    // Act
    for (let n = 1; n <= 5; n++) log(wal, transport, n);
    // Assess
    expect(fs.calls.filter((c) => c === 'datasyncSync')).toHaveLength(5);
    expect(segmentLines(fs.powerCut())).toHaveLength(5);
    expect(wal.stats().unsyncedBytes).toBe(0);
  });

  it('after a power cut keeps every record whose flush() resolved (group commit), and loses at most the unsynced window', async () => {
    // Prepare
    const fs = new MemoryWalFs();
    const transport = walTestTransport();
    transport.flushMode = 'hold'; // nothing is delivered: the log alone must keep the records
    const { wal } = open(fs, transport);
    for (let n = 1; n <= 10; n++) log(wal, transport, n);
    void wal.flush().catch(() => undefined); // starts the covering fdatasync at once
    await vi.waitFor(() => expect(wal.stats().unsyncedBytes).toBe(0));
    for (let n = 11; n <= 12; n++) log(wal, transport, n);
    // Act
    const survived = segmentLines(fs.powerCut());
    // Assess
    expect(survived).toEqual(transport.received.slice(0, 10).map((r) => r.line)); // 11 and 12 were in no fdatasync yet
    transport.releaseFlushes();
  });
});

describe('WriteAheadLog: failures', () => {
  it('a write that fails (ENOSPC) throws IO_FAILED and leaves nothing behind, not even a partial frame', () => {
    // Prepare
    const fs = new MemoryWalFs();
    const transport = walTestTransport();
    const { wal } = open(fs, transport);
    log(wal, transport, 1);
    fs.fail({ op: 'write', code: 'ENOSPC', partial: 7 });
    // Act
    const error = thrown(() => log(wal, transport, 2));
    log(wal, transport, 3);
    // Assess
    expect(error.code).toBe('IO_FAILED');
    expect(error.message).toMatch(/could not be made durable: writing the write-ahead log .*00000000000000000001\.wal failed: ENOSPC/);
    expect(transport.received.map((r) => r.eventId)).toEqual([rec(1).eventId, rec(3).eventId]);
    expect(segmentLines(fs)).toEqual([rec(1).line, rec(3).line]);
    expect(wal.stats()).toMatchObject({ records: 2, failures: 1 });
  });

  it('when even the truncation fails, the torn frame ends its segment and later records go to a new one', () => {
    // Prepare
    const fs = new MemoryWalFs();
    const transport = walTestTransport();
    const { wal } = open(fs, transport);
    log(wal, transport, 1);
    fs.fail({ op: 'write', code: 'EIO', partial: 5 });
    fs.fail({ op: 'truncate', code: 'EIO' });
    // Act
    expect(thrown(() => log(wal, transport, 2)).code).toBe('IO_FAILED');
    log(wal, transport, 3);
    // Assess
    const segments = [...fs.files.keys()].filter((p) => p.endsWith('.wal')).sort();
    expect(segments).toHaveLength(2);
    expect(parseSegment(fs.files.get(segments[0]!)!.data)).toMatchObject({ corrupt: 0, tornBytes: 5 });
    expect(segmentLines(fs)).toEqual([rec(1).line, rec(3).line]);
  });

  it('with walSyncMs 0, a failed fdatasync throws IO_FAILED and takes the record back', () => {
    // Prepare
    const fs = new MemoryWalFs();
    const transport = walTestTransport();
    const { wal } = open(fs, transport, { syncMs: 0 });
    fs.fail({ op: 'datasyncSync', code: 'EIO' });
    // Act
    const error = thrown(() => log(wal, transport, 1));
    // Assess
    expect(error).toMatchObject({ code: 'IO_FAILED' });
    expect(error.message).toMatch(/fdatasync .* failed: EIO/);
    expect(transport.received).toEqual([]);
    expect(segmentLines(fs)).toEqual([]);
  });

  it('a failed group fdatasync rejects flush() with IO_FAILED; unawaited, it goes to onError; a timer never throws', async () => {
    // Prepare
    vi.useFakeTimers();
    const fs = new MemoryWalFs();
    const transport = walTestTransport();
    const { wal, errors } = open(fs, transport);
    log(wal, transport, 1);
    fs.fail({ op: 'datasync', code: 'EIO' });
    // Act: the window's own round fails with nobody waiting
    await vi.advanceTimersByTimeAsync(5);
    log(wal, transport, 2);
    fs.fail({ op: 'datasync', code: 'EIO' });
    const flushed = wal.flush().then(
      () => undefined,
      (e: FiatError) => e,
    );
    await vi.advanceTimersByTimeAsync(0);
    // Assess
    expect(errors.map((e) => e.code)).toEqual(['IO_FAILED']);
    expect((await flushed)?.code).toBe('IO_FAILED');
    await vi.advanceTimersByTimeAsync(1000);
    expect(wal.stats()).toMatchObject({ unsyncedBytes: 0, failures: 2 });
  });

  it('a record the transport refuses is taken back from the log (it must not be delivered after a restart)', () => {
    // Prepare
    const fs = new MemoryWalFs();
    const transport = walTestTransport();
    const { wal } = open(fs, transport);
    log(wal, transport, 1);
    transport.full = true;
    // Act
    expect(thrown(() => log(wal, transport, 2)).code).toBe('BUFFER_FULL');
    transport.full = false;
    log(wal, transport, 3);
    // Assess
    expect(segmentLines(fs)).toEqual([rec(1).line, rec(3).line]);
    expect(wal.stats().records).toBe(2);
  });
});

describe('WriteAheadLog: recovery', () => {
  it('delivers what a killed process left first, byte for byte and in order, and exposes the last line per stream', async () => {
    // Prepare
    const fs = new MemoryWalFs();
    const first = walTestTransport();
    first.flushMode = 'hold';
    const a = open(fs, first);
    log(a.wal, first, 1, 'é ü 👋 "quoted" \\ back');
    log(a.wal, first, 2);
    const other = { ...rec(3), names: resolveStreamNames('Other') };
    a.wal.append(other);
    crash();
    // Act
    const second = walTestTransport();
    const b = open(fs.kill(), second);
    log(b.wal, second, 4);
    // Assess
    expect(second.received.map((r) => r.line)).toEqual([rec(1, 'é ü 👋 "quoted" \\ back').line, rec(2).line, other.line, rec(4).line]);
    expect(second.received.slice(0, 3).map((r) => [r.eventId, r.time, r.names])).toEqual([
      [rec(1).eventId, rec(1).time, rec(1).names],
      [rec(2).eventId, rec(2).time, rec(2).names],
      [other.eventId, other.time, other.names],
    ]);
    expect(b.wal.recovery).toMatchObject({ records: 3, segments: 1, corrupt: 0, tornBytes: 0 });
    expect([...b.wal.recovery.lastLines]).toEqual([
      ['Events', rec(2).line],
      ['Other', other.line],
    ]);
    expect(b.wal.stats().recovered).toBe(3);
    first.releaseFlushes();
  });

  it('deletes the recovered segments once the transport delivered them', async () => {
    // Prepare
    const fs = new MemoryWalFs();
    const first = walTestTransport();
    const a = open(fs, first);
    for (let n = 1; n <= 3; n++) log(a.wal, first, n);
    crash();
    const after = fs.kill();
    // Act
    const second = walTestTransport();
    const b = open(after, second);
    await vi.waitFor(() => expect(b.wal.stats().released).toBe(1));
    // Assess
    expect(second.delivered).toHaveLength(3);
    expect(segmentLines(after)).toEqual([]);
    expect(frames(after).flatMap((f) => (f.kind === 'last' ? [f.line] : []))).toEqual([rec(3).line]);
  });

  it('drops a torn last frame, skips a damaged one (reported, segment kept as .corrupt) and delivers the rest', async () => {
    // Prepare
    const fs = new MemoryWalFs();
    const first = walTestTransport();
    const a = open(fs, first);
    for (let n = 1; n <= 3; n++) log(a.wal, first, n);
    crash();
    const after = fs.kill();
    const [path, file] = [...after.files.entries()][0]!;
    const at = file.data.indexOf('"n":2');
    file.data[at + 4]! ^= 0x01; // one bit of record 2
    file.data = Buffer.concat([file.data, Buffer.from('0badc0de r0 17 {"event_id":')]);
    // Act
    const transport = walTestTransport();
    const b = open(after, transport);
    await vi.waitFor(() => expect(b.wal.stats().released).toBe(1));
    // Assess
    expect(transport.received.map((r) => r.line)).toEqual([rec(1).line, rec(3).line]);
    expect(b.wal.recovery).toMatchObject({ records: 2, corrupt: 1, tornBytes: 27 });
    expect(b.errors.map((e) => e.message)).toEqual([expect.stringMatching(/holds 1 damaged frame\(s\), skipped; the file is kept as .*\.corrupt/)]);
    expect(after.files.has(`${path}.corrupt`)).toBe(true);
  });

  it('refuses stream names from a segment that could leave the lake folder', () => {
    // Prepare
    const fs = new MemoryWalFs();
    const first = walTestTransport();
    const a = open(fs, first);
    a.wal.append({ ...rec(1), names: { stream: 'Events', table: 'events', prefix: '../../etc/', deliveryStream: 'fiat-events' } });
    crash();
    // Act
    const transport = walTestTransport();
    const b = open(fs.kill(), transport);
    // Assess
    expect(transport.received).toEqual([]);
    expect(b.wal.recovery.corrupt).toBe(2); // the declaration, then its record
  });

  it('when the transport has no room, writes out what it holds (flushSync) and goes on, keeping the order', () => {
    // Prepare
    const fs = new MemoryWalFs();
    const first = walTestTransport();
    const a = open(fs, first);
    for (let n = 1; n <= 4; n++) log(a.wal, first, n);
    crash();
    const transport = walTestTransport({ flushSync: true });
    let writes = 0;
    const write = transport.write.bind(transport);
    transport.write = (record) => {
      if (++writes === 3) transport.full = true;
      write(record);
    };
    // Act
    const b = open(fs.kill(), transport);
    // Assess
    expect(transport.received.map((r) => r.eventId)).toEqual([1, 2, 3, 4].map((n) => rec(n).eventId));
    expect(b.wal.recovery.records).toBe(4);
  });
});

describe("WriteAheadLog: each stream's latest line (to continue a hash chain)", () => {
  it('is known after a crash even when every record was delivered and every segment with records deleted', async () => {
    // Prepare
    const fs = new MemoryWalFs();
    const first = walTestTransport();
    const a = open(fs, first, { segmentBytes: 200 });
    const other = { ...rec(100), names: resolveStreamNames('Other') };
    a.wal.append(other);
    first.write(other);
    for (let n = 1; n <= 6; n++) log(a.wal, first, n);
    await a.wal.flush();
    await vi.waitFor(() => expect(a.wal.stats().waitingRecords).toBe(0));
    crash();
    // Act
    const second = walTestTransport();
    const b = open(fs.kill(), second);
    // Assess
    expect(second.received).toEqual([]);
    expect([...b.wal.recovery.lastLines]).toEqual(
      expect.arrayContaining([
        ['Events', rec(6).line],
        ['Other', other.line],
      ]),
    );
    expect(b.wal.recovery.lastLines.size).toBe(2);
  });

  it('carries them on through a second crash, and forgets a line taken back', () => {
    // Prepare
    const fs = new MemoryWalFs();
    const t1 = walTestTransport();
    const a = open(fs, t1);
    log(a.wal, t1, 1);
    t1.full = true;
    expect(() => log(a.wal, t1, 2)).toThrow(/full/);
    crash();
    const t2 = walTestTransport();
    const b = open(fs.kill(), t2, { segmentBytes: 1 });
    b.wal.append({ ...rec(3), names: resolveStreamNames('Other') }); // rotates the recovered state into a new segment
    crash();
    // Act
    const c = open(fs.kill().kill(), walTestTransport());
    // Assess
    expect(b.wal.recovery.lastLines.get('Events')).toBe(rec(1).line);
    expect(c.wal.recovery.lastLines.get('Events')).toBe(rec(1).line);
  });
});

describe('WriteAheadLog: releasing delivered segments', () => {
  it('closes a full segment, flushes the transport and deletes the segment once it resolves', async () => {
    // Prepare
    const fs = new MemoryWalFs();
    const transport = walTestTransport();
    const { wal } = open(fs, transport, { segmentBytes: 300 });
    // Act
    for (let n = 1; n <= 6; n++) log(wal, transport, n);
    await vi.waitFor(() => expect(wal.stats().released).toBeGreaterThan(0));
    // Assess
    expect(transport.flushes).toBeGreaterThan(0);
    expect(segmentLines(fs)).toEqual(transport.received.slice(transport.delivered.length).map((r) => r.line));
  });

  it('keeps the segments while the transport cannot deliver, and deletes them once a later flush succeeds', async () => {
    // Prepare
    const fs = new MemoryWalFs();
    const transport = walTestTransport();
    transport.flushMode = 'fail';
    const { wal } = open(fs, transport, { segmentBytes: 200 });
    for (let n = 1; n <= 4; n++) log(wal, transport, n);
    await new Promise((resolve) => setImmediate(resolve));
    const failing = segmentLines(fs).length;
    // Act
    transport.flushMode = 'deliver';
    await wal.flush();
    // Assess
    expect(failing).toBe(4);
    expect(segmentLines(fs)).toEqual([]);
  });

  it('keeps the segments, for the next start, when the transport dropped records (its lost count grew)', async () => {
    // Prepare
    const fs = new MemoryWalFs();
    const transport = walTestTransport();
    const { wal, errors } = open(fs, transport);
    for (let n = 1; n <= 3; n++) log(wal, transport, n);
    transport.flushMode = 'hold';
    // Act
    const flushed = wal.flush();
    transport.lost = 1; // dropped while the flush ran
    transport.flushMode = 'deliver';
    transport.releaseFlushes();
    await flushed;
    await wal.close();
    // Assess
    expect(segmentLines(fs)).toHaveLength(3);
    expect(errors.map((e) => e.code)).toContain('DELIVERY_FAILED');
    expect(errors.at(-1)?.message).toMatch(/stay in .*: they are delivered at the next configure/);
  });

  it('close() deletes every segment when the transport delivered everything, and releases the lock', async () => {
    // Prepare
    const fs = new MemoryWalFs();
    const transport = walTestTransport();
    const { wal } = open(fs, transport, { segmentBytes: 200 });
    for (let n = 1; n <= 5; n++) log(wal, transport, n);
    // Act
    await wal.close();
    // Assess
    expect([...fs.files.keys()]).toEqual([]);
    expect(fs.openFds).toBe(0);
    expect(existsSync(join(dir, WAL_LOCK_FILE))).toBe(false);
  });

  it('exitSync() fdatasyncs, has the transport write synchronously and then deletes what it covered', () => {
    // Prepare
    const fs = new MemoryWalFs();
    const transport = walTestTransport({ flushSync: true });
    const { wal } = open(fs, transport);
    for (let n = 1; n <= 3; n++) log(wal, transport, n);
    // Act
    wal.exitSync();
    // Assess
    expect(fs.calls).toContain('datasyncSync');
    expect(transport.delivered).toHaveLength(3);
    expect([...fs.files.keys()]).toEqual([]);
    expect(existsSync(join(dir, WAL_LOCK_FILE))).toBe(false);
  });

  it('exitSync() keeps the segments when the transport cannot write synchronously', () => {
    const fs = new MemoryWalFs();
    const transport = walTestTransport();
    const { wal } = open(fs, transport);
    log(wal, transport, 1);
    wal.exitSync();
    expect(segmentLines(fs.powerCut())).toEqual([rec(1).line]);
  });
});

describe('WriteAheadLog: the folder lock', () => {
  it('refuses a second log on the same folder, naming the holder', () => {
    // Prepare
    const fs = new MemoryWalFs();
    open(fs, walTestTransport());
    // Act
    const error = thrown(() => open(new MemoryWalFs(), walTestTransport()));
    // Assess
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.message).toContain(`is in use by pid ${process.pid} on host ${hostname()}, this process`);
    expect(error.message).toContain('give this logger its own walDir');
  });

  it('takes over the lock of a process that is gone, and never one of another host', () => {
    // Prepare
    const fs = new MemoryWalFs();
    fs.mkdirp(dir);
    const lock = join(dir, WAL_LOCK_FILE);
    writeFileSync(lock, JSON.stringify({ pid: 2 ** 22 + 12_345, hostname: hostname(), startedAt: 'then', token: 'dead' }));
    // Act
    const { wal } = open(fs, walTestTransport());
    const taken = JSON.parse(readFileSync(lock, 'utf8')) as { pid: number };
    crash();
    writeFileSync(lock, JSON.stringify({ pid: 1, hostname: 'elsewhere', startedAt: 'now', token: 'other' }));
    const error = thrown(() => open(fs, walTestTransport()));
    // Assess
    expect(wal.dir).toBe(dir);
    expect(taken.pid).toBe(process.pid);
    expect(error.message).toContain('pid 1 on host elsewhere');
  });

  it('IO_FAILED when the folder cannot be created', () => {
    const fs = new MemoryWalFs();
    fs.fail({ op: 'mkdirp', code: 'EACCES' });
    const error = thrown(() => open(fs, walTestTransport()));
    expect(error).toMatchObject({ code: 'IO_FAILED', message: expect.stringMatching(/cannot create the write-ahead folder .*: EACCES/) });
  });
});
