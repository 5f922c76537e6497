import { cpSync, readdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import './durable/index.js';
import { defineStream } from './defineStream.js';
import { isFiatError, type FiatError } from './errors.js';
import { firehoseTransport } from './firehose/index.js';
import type { FirehoseBatchClient, PutRecordBatchInput } from './firehose/options.js';
import { readLakeText, tempDir } from './test-helpers/lake.js';
import { ValidatedLog } from './ValidatedLog.js';
import { nodeWalFs } from './wal/walFs.js';

const Orders = defineStream({ name: 'Orders', schema: z.object({ order_id: z.string(), qty: z.int() }) });
const base = { app: 'shop', email: 'team@example.com', streams: [Orders] } as const;

let dir: string;
const open: ValidatedLog<any>[] = [];
beforeEach(async () => {
  dir = await tempDir('fiat-vwal-');
});
afterEach(async () => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
  for (const logger of open.splice(0)) await logger.close().catch(() => undefined);
  rmSync(dir, { recursive: true, force: true });
});

function local(options: Record<string, unknown> = {}): ValidatedLog<readonly [typeof Orders]> {
  const logger = ValidatedLog.configure('local', { ...base, lakeDir: join(dir, 'lake'), durability: 'disk', walDir: join(dir, 'wal'), ...options });
  open.push(logger);
  return logger;
}

function segments(folder = join(dir, 'wal', 'shop')): string[] {
  return readdirSync(folder).filter((f) => f.endsWith('.wal'));
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

describe("ValidatedLog durability 'disk' with the local lake", () => {
  it('leaves the write-ahead folder free when configure() refuses the options, so that a corrected configure works', () => {
    // Prepare: the options chain Orders, whose definition has no chain columns
    const refused = thrown(() => local({ integrity: { Orders: 'chain' } }));
    // Act
    const logger = local();
    logger.log(Orders, { order_id: 'o-1', qty: 1 });
    // Assess
    expect(refused.code).toBe('CONFIG_INVALID');
    expect(logger.stats().logged).toBe(1);
  });

  it('writes every record to the write-ahead log before log() returns, delivers on close() and leaves no segment', async () => {
    // Prepare
    const logger = local();
    // Act
    for (let i = 0; i < 20; i++) logger.log('Orders', { order_id: `o-${i}`, qty: i });
    const during = { segments: segments().length, wal: logger.stats().wal! };
    const report = await logger.close();
    // Assess
    expect(during.segments).toBe(1);
    expect(during.wal).toMatchObject({ dir: join(dir, 'wal', 'shop'), records: 20, segments: 1, recovered: 0 });
    expect(report).toMatchObject({ delivered: 20, undelivered: 0 });
    expect((await readLakeText(join(dir, 'lake'), 'orders/')).join('').split('\n').filter(Boolean)).toHaveLength(20);
    expect(segments()).toEqual([]);
  });

  it('flush() resolves once the records are fdatasync\'d and delivered, and empties the write-ahead log', async () => {
    const logger = local();
    logger.log('Orders', { order_id: 'o-1', qty: 1 });
    await logger.flush();
    expect(logger.stats().wal).toMatchObject({ waitingRecords: 0 });
    expect(logger.stats().transport).toMatchObject({ delivered: 1, pending: 0 });
  });

  it('the next configure on the folder delivers what was left, byte for byte and before new records', async () => {
    // Prepare: a logger whose records are only in its write-ahead log (the lake's 60 s interval has not passed)
    const first = local();
    const lines: string[] = [];
    for (let i = 0; i < 5; i++) first.log('Orders', { order_id: `o-${i}`, qty: i });
    first.log(Orders, { order_id: 'dead', qty: 1.5 }, { onInvalid: 'deadletter' });
    cpSync(join(dir, 'wal', 'shop'), join(dir, 'copy', 'shop'), { recursive: true, filter: (src) => !src.endsWith('.lock') });
    // Act: the copy is what a crash at this moment leaves
    const second = ValidatedLog.configure('local', { ...base, lakeDir: join(dir, 'lake2'), durability: 'disk', walDir: join(dir, 'copy') });
    second.log('Orders', { order_id: 'new', qty: 9 });
    await second.close();
    await first.close();
    for (const text of await readLakeText(join(dir, 'lake'), 'orders/')) lines.push(...text.split('\n').filter(Boolean));
    // Assess
    const recovered = (await readLakeText(join(dir, 'lake2'), 'orders/')).join('').split('\n').filter(Boolean);
    expect(recovered.slice(0, 5)).toEqual(lines);
    expect(JSON.parse(recovered[5]!)).toMatchObject({ order_id: 'new' });
    expect((await readLakeText(join(dir, 'lake2'), '_fiat_deadletter/')).join('')).toContain('"stream":"Orders"');
    expect(second.stats().wal).toMatchObject({ recovered: 6 });
  });

  it('log() throws IO_FAILED when the record cannot be made durable (ENOSPC), and nothing reaches the transport', async () => {
    // Prepare
    const logger = local();
    logger.log('Orders', { order_id: 'o-1', qty: 1 });
    vi.spyOn(nodeWalFs, 'write').mockImplementationOnce(() => {
      throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    });
    // Act
    const error = thrown(() => logger.log('Orders', { order_id: 'o-2', qty: 2 }));
    logger.log('Orders', { order_id: 'o-3', qty: 3 });
    // Assess
    expect(error.code).toBe('IO_FAILED');
    expect(error.message).toMatch(/^the record could not be made durable: writing the write-ahead log .* failed: ENOSPC/);
    expect(logger.stats()).toMatchObject({ logged: 2, rejected: 1, transport: { received: 2 }, wal: { records: 2, failures: 1 } });
  });

  it('refuses a second logger on the same write-ahead folder, naming the holder', () => {
    local();
    const error = thrown(() => local());
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.message).toMatch(/write-ahead folder .*wal\/shop is in use by pid \d+ on host .*, this process/);
  });

  it("puts the folder under FIAT_WAL_DIR by default, one folder per app; memory mode creates none", async () => {
    // Prepare
    vi.stubEnv('FIAT_WAL_DIR', join(dir, 'env-wal'));
    // Act
    const disk = ValidatedLog.configure('local', { ...base, app: 'billing/eu', lakeDir: join(dir, 'lake'), durability: 'disk' });
    open.push(disk);
    const memory = ValidatedLog.configure('local', { ...base, app: 'other', lakeDir: join(dir, 'lake'), walDir: join(dir, 'unused'), walSyncMs: 0 });
    open.push(memory);
    // Assess
    expect(disk.stats().wal?.dir).toBe(resolve(dir, 'env-wal', 'billing_eu'));
    expect(memory.stats().wal).toBeUndefined();
    expect(readdirSync(dir).sort()).toEqual(['env-wal']);
  });

  it.each([
    [{ durability: 'fast' }, "option durability must be 'memory' or 'disk', got \"fast\""],
    [{ walSyncMs: -1 }, 'option walSyncMs must be a number >= 0, got -1'],
    [{ walSegmentBytes: 0 }, 'option walSegmentBytes must be a number >= 1, got 0'],
    [{ walDir: '' }, 'option walDir must be a non-empty string, got ""'],
  ])('refuses %j with CONFIG_INVALID naming the option', (options, message) => {
    const error = thrown(() => local(options));
    expect(error).toMatchObject({ code: 'CONFIG_INVALID', message });
  });
});

describe("ValidatedLog durability 'disk' with the Firehose transport", () => {
  function client(): FirehoseBatchClient & { lines: string[] } {
    const lines: string[] = [];
    return {
      lines,
      async putRecordBatch(input: PutRecordBatchInput) {
        for (const record of input.Records) lines.push(...Buffer.from(record.Data).toString('utf8').split('\n').filter(Boolean));
        return { FailedPutCount: 0, RequestResponses: input.Records.map((_, i) => ({ RecordId: `r${i}` })) };
      },
    };
  }

  it('appends before log() returns, deletes segments once acknowledged, and a restart delivers what is left', async () => {
    // Prepare
    const sink = client();
    const options = { ...base, client: sink, spoolDir: join(dir, 'spool'), durability: 'disk' as const, walDir: join(dir, 'wal') };
    const logger = ValidatedLog.configure(firehoseTransport, options);
    // Act
    for (let i = 0; i < 10; i++) logger.log('Orders', { order_id: `o-${i}`, qty: i });
    cpSync(join(dir, 'wal', 'shop'), join(dir, 'copy', 'shop'), { recursive: true, filter: (src) => !src.endsWith('.lock') });
    await logger.flush();
    const afterFlush = logger.stats().wal!;
    await logger.close();
    const again = client();
    const restarted = ValidatedLog.configure(firehoseTransport, { ...options, client: again, walDir: join(dir, 'copy') });
    await restarted.close();
    // Assess
    expect(sink.lines).toHaveLength(10);
    expect(afterFlush).toMatchObject({ records: 10, waitingRecords: 0 });
    expect(segments()).toEqual([]);
    expect(again.lines).toEqual(sink.lines);
    expect(segments(join(dir, 'copy', 'shop'))).toEqual([]);
  });
});
