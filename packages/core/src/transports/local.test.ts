import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdir, rm, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FiatError } from '../errors.js';
import { resolveStreamNames } from '../names.js';
import { listFiles, readLakeLines, tempDir } from '../test-helpers/lake.js';
import type { TransportRecord } from '../transport.js';
import { createLocalTransport, type LocalTransport, type LocalTransportOptions } from './local.js';

const names = resolveStreamNames('Orders');
const other = resolveStreamNames('Payments');

function record(i: number, stream = names, pad = 100, random = false): TransportRecord {
  const eventId = `id-${i}`;
  const text = random ? randomBytes(pad / 2).toString('hex') : 'x'.repeat(pad);
  return { names: stream, line: `${JSON.stringify({ event_id: eventId, i, pad: text })}\n`, eventId, time: Date.UTC(2026, 10, 26) };
}

const open: LocalTransport[] = [];
function transport(options: LocalTransportOptions): LocalTransport {
  const created = createLocalTransport(options);
  open.push(created);
  return created;
}

/** A lake folder that cannot be written: a file stands where the folder should be (ENOTDIR, as root too). */
async function brokenLake(): Promise<{ lakeDir: string; repair: () => Promise<void> }> {
  const lakeDir = join(await tempDir(), 'lake');
  await writeFile(lakeDir, 'not a folder');
  return { lakeDir, repair: () => rm(lakeDir) };
}

/** Lets pending I/O callbacks and Node's unhandled-rejection check run. */
const turns = async (n = 3): Promise<void> => {
  for (let i = 0; i < n; i++) await new Promise((resolve) => setImmediate(resolve));
};

const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown): void => void unhandled.push(reason);
beforeEach(() => {
  unhandled.length = 0;
  process.on('unhandledRejection', onUnhandled);
});
afterEach(async () => {
  process.off('unhandledRejection', onUnhandled);
  await Promise.all(open.splice(0).map((t) => t.close()));
});

function countsAddUp(stats: ReturnType<LocalTransport['stats']>): void {
  expect(stats.received).toBe(stats.delivered + stats.failed + stats.lost + stats.pending);
}

describe('local transport: a write that fails on the timer path', () => {
  it.each([
    ['with onError', true, false],
    ['without onError', false, false],
    ['with an onError that throws', true, true],
  ])('never rejects unhandled (%s): the error goes to onError and stats, the records are kept and written later', async (_label, withOnError, throwing) => {
    // Prepare
    const { lakeDir, repair } = await brokenLake();
    const errors: FiatError[] = [];
    const onError = (error: FiatError): void => {
      errors.push(error);
      if (throwing) throw new Error('onError failed');
    };
    const lake = transport({ lakeDir, bufferIntervalMs: 20, ...(withOnError ? { onError } : {}) });
    // Act: the timer seals the buffer and the write fails.
    lake.write(record(1));
    lake.write(record(2));
    await expect.poll(() => lake.stats().failed, { timeout: 20_000 }).toBe(2);
    await turns();
    // Assess
    expect(unhandled).toEqual([]);
    if (withOnError) expect(errors[0]).toMatchObject({ code: 'IO_FAILED', message: expect.stringContaining('could not write lake file') });
    countsAddUp(lake.stats());
    // Once the folder is writable, the timer retries the kept records.
    await repair();
    await expect.poll(() => lake.stats().delivered, { timeout: 20_000 }).toBe(2);
    expect((await readLakeLines(lakeDir, 'orders/')).map((l) => l.i)).toEqual([1, 2]);
    expect(lake.stats()).toMatchObject({ received: 2, delivered: 2, failed: 0, pending: 0, lost: 0, bufferedBytes: 0 });
    expect(unhandled).toEqual([]);
  });

  it.skipIf(process.getuid?.() === 0)('never rejects unhandled when the lake folder is read-only (EACCES)', async () => {
    const { chmod } = await import('node:fs/promises');
    const lakeDir = await tempDir();
    await chmod(lakeDir, 0o555);
    const lake = transport({ lakeDir, bufferIntervalMs: 20 });
    lake.write(record(1));
    await expect.poll(() => lake.stats().failed, { timeout: 20_000 }).toBe(1);
    await turns();
    expect(unhandled).toEqual([]);
    await chmod(lakeDir, 0o755);
  });

  it('flush() still rejects with IO_FAILED for its caller, and close() reports the records as undelivered', async () => {
    const { lakeDir } = await brokenLake();
    const lake = createLocalTransport({ lakeDir });
    lake.write(record(1));
    await expect(lake.flush()).rejects.toMatchObject({ code: 'IO_FAILED' });
    expect(await lake.close()).toEqual({ delivered: 0, undelivered: 1, lost: 0 });
    expect(unhandled).toEqual([]);
  });
});

describe('local transport: memory bound', () => {
  it("keeps a synchronous loop within maxBufferBytes by compressing and writing files synchronously ('block')", async () => {
    // Prepare
    const lakeDir = await tempDir();
    const maxBufferBytes = 256 * 1024;
    const lake = transport({ lakeDir, bufferBytes: 16 * 1024, maxBufferBytes });
    // Act: a loop that never yields, so no background write can finish.
    for (let i = 0; i < 20_000; i++) lake.write(record(i, i % 3 === 0 ? other : names));
    // Assess
    const stats = lake.stats();
    expect(stats.peakBufferedBytes).toBeLessThanOrEqual(maxBufferBytes);
    expect(stats.peakBufferedBytes).toBeGreaterThan(maxBufferBytes / 4);
    expect(stats.syncWrites).toBeGreaterThan(0);
    countsAddUp(stats);
    await lake.flush();
    const orders = await readLakeLines(lakeDir, 'orders/');
    const payments = await readLakeLines(lakeDir, 'payments/');
    expect(orders.length + payments.length).toBe(20_000);
    expect(new Set([...orders, ...payments].map((l) => l.i)).size).toBe(20_000);
    expect(lake.stats()).toMatchObject({ received: 20_000, delivered: 20_000, bufferedBytes: 0 });
  });

  it("refuses with BUFFER_FULL past maxBufferBytes with onFull: 'throw', and accepts again once written", async () => {
    const lakeDir = await tempDir();
    const lake = transport({ lakeDir, bufferBytes: 4096, maxBufferBytes: 16 * 1024, onFull: 'throw' });
    let accepted = 0;
    let refused: unknown;
    for (let i = 0; i < 1000 && refused === undefined; i++) {
      try {
        lake.write(record(i));
        accepted += 1;
      } catch (error) {
        refused = error;
      }
    }
    expect(refused).toMatchObject({ code: 'BUFFER_FULL', message: expect.stringContaining('maxBufferBytes (16384)') });
    expect(lake.stats()).toMatchObject({ received: accepted, syncWrites: 0 });
    expect(lake.stats().peakBufferedBytes).toBeLessThanOrEqual(16 * 1024);
    await lake.flush();
    lake.write(record(5000));
    await lake.flush();
    expect(await readLakeLines(lakeDir, 'orders/')).toHaveLength(accepted + 1);
  });

  it('drops the oldest kept records, counted in lost and reported, when the disk fails and memory is full', async () => {
    // Prepare
    const { lakeDir, repair } = await brokenLake();
    const errors: FiatError[] = [];
    const maxBufferBytes = 32 * 1024;
    const lake = transport({ lakeDir, bufferBytes: 4096, maxBufferBytes, onError: (e) => errors.push(e) });
    // Act: incompressible records, so that compressing kept files does not make room either.
    for (let i = 0; i < 2000; i++) lake.write(record(i, names, 100, true));
    await turns(10);
    // Assess
    const stats = lake.stats();
    expect(stats.lost).toBeGreaterThan(0);
    expect(stats.peakBufferedBytes).toBeLessThanOrEqual(maxBufferBytes);
    countsAddUp(stats);
    expect(errors.some((e) => /records dropped: their file could not be written and memory is full/.test(e.message))).toBe(true);
    // What is still kept reaches the lake once the disk works again; nothing else is lost.
    await repair();
    await lake.flush();
    const after = lake.stats();
    expect(after.delivered + after.lost).toBe(2000);
    expect(await readLakeLines(lakeDir, 'orders/')).toHaveLength(after.delivered);
    expect(unhandled).toEqual([]);
  });
});

describe('local transport: flushSync', () => {
  it('writes what is buffered synchronously, before returning', async () => {
    const lakeDir = await tempDir();
    const lake = transport({ lakeDir });
    for (let i = 0; i < 10; i++) lake.write(record(i, i % 2 ? other : names));
    lake.flushSync();
    const files = readdirSync(lakeDir, { recursive: true }).map(String).filter((f) => f.endsWith('.gz'));
    const lines = files.flatMap((f) => gunzipSync(readFileSync(join(lakeDir, f))).toString('utf8').trim().split('\n'));
    expect(lines).toHaveLength(10);
    expect(lake.stats()).toMatchObject({ delivered: 10, pending: 0, bufferedBytes: 0 });
  });

  it('takes over background writes at whatever stage they are: every record once, no duplicate', async () => {
    for (let trial = 0; trial < 12; trial++) {
      // Prepare: a background write is started, and let run for a varying number of event-loop turns.
      const lakeDir = await tempDir();
      const lake = transport({ lakeDir, bufferBytes: 2048 });
      for (let i = 0; i < 40; i++) lake.write(record(i));
      await turns(trial);
      // Act
      lake.flushSync();
      await lake.flush();
      // Assess
      const ids = (await readLakeLines(lakeDir, 'orders/')).map((l) => l.i);
      expect(ids.sort((a, b) => Number(a) - Number(b))).toEqual(Array.from({ length: 40 }, (_, i) => i));
      expect(lake.stats()).toMatchObject({ received: 40, delivered: 40, pending: 0 });
      expect((await listFiles(join(lakeDir, '_tmp'))).length).toBe(0);
    }
  });
});

describe('local transport: leftovers of a crash', () => {
  it('removes _tmp/*.partial files older than a minute when it starts, and keeps younger ones', async () => {
    // Prepare
    const lakeDir = await tempDir();
    const tmp = join(lakeDir, '_tmp');
    await mkdir(tmp, { recursive: true });
    const now = Date.UTC(2026, 10, 26, 12, 0, 0);
    const files = { 'old.partial': now - 61_000, 'young.partial': now - 30_000, 'notes.txt': now - 3_600_000 };
    for (const [name, mtime] of Object.entries(files)) {
      await writeFile(join(tmp, name), 'x');
      await utimes(join(tmp, name), mtime / 1000, mtime / 1000);
    }
    // Act
    const lake = transport({ lakeDir, clock: () => now });
    await lake.flush();
    // Assess
    expect(readdirSync(tmp).sort()).toEqual(['notes.txt', 'young.partial']);
  });
});
