import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import './durable/index.js';
import { defineStream } from './defineStream.js';
import { bundleScript, startNode } from './test-helpers/child.js';
import { ChildEvents, ChildLedger } from './test-helpers/childStream.js';
import { listFiles, readLakeLines, tempDir } from './test-helpers/lake.js';
import type { Transport } from './transport.js';
import { ValidatedLog } from './ValidatedLog.js';

/**
 * Runs the exit child: it logs 100 records (the default 60 s interval never passes), then ends as `mode` says. With
 * `disk`, the child logs with durability 'disk', and afterwards a logger configured on the same write-ahead folder
 * (as the application's next start would) delivers what it left; `leftSegments` counts its segments before that.
 */
async function endChild(
  mode: string,
  disk = false,
): Promise<{ code: number | null; signal: string | null; stderr: string; kept: number[]; ledger: Record<string, unknown>[]; checkpoints: Record<string, unknown>[]; leftSegments: number }> {
  const script = await bundleScript('exitChild');
  const lakeDir = await tempDir();
  const walDir = disk ? await tempDir('fiat-wal-') : '';
  const { child, done } = startNode(script, [lakeDir, mode, '100', ...(disk ? [walDir] : [])]);
  if (mode.startsWith('sigterm')) {
    child.stdout!.on('data', (chunk: string) => {
      if (chunk.includes('ready')) child.kill('SIGTERM');
    });
  }
  const result = await done;
  let leftSegments = 0;
  if (disk) {
    leftSegments = (await listFiles(join(walDir, 'child'))).filter((f) => f.endsWith('.wal')).length;
    const next = ValidatedLog.configure('local', { app: 'child', email: 'child@example.com', streams: [ChildEvents, ChildLedger], lakeDir, durability: 'disk', walDir });
    await next.close();
  }
  const kept = (await readLakeLines(lakeDir, 'events/')).map((line) => Number(line.n));
  const ledger = await readLakeLines(lakeDir, 'ledger/');
  const checkpoints = await readLakeLines(lakeDir, '_fiat_checkpoint/');
  return { code: result.code, signal: result.signal, stderr: result.stderr, kept: kept.sort((a, b) => a - b), ledger, checkpoints, leftSegments };
}

const all = Array.from({ length: 100 }, (_, n) => n);

describe('what each way of ending the process keeps (a real node child, 100 buffered records)', () => {
  it.each([
    ['close()', 'close', 0],
    ["'beforeExit' without close()", 'beforeExit', 0],
    ['process.exit()', 'process.exit', 3],
    ['an uncaught exception', 'uncaught', 1],
    ['an unhandled rejection', 'rejection', 1],
    ['SIGTERM with a handler that calls process.exit()', 'sigterm-handled', 143],
  ])('%s keeps every record, and the checkpoint of the chained stream', async (_label, mode, code) => {
    const result = await endChild(mode);
    expect(result.kept).toEqual(all);
    expect(result.checkpoints).toMatchObject([{ stream: 'Ledger', last_seq: 10, record_count: 10 }]);
    expect(result.code).toBe(code);
    if (mode === 'uncaught') expect(result.stderr).toContain('boom from the application');
  });

  it('SIGTERM without a handler keeps nothing buffered: Fiat installs no signal handler (Node runs no exit handler then)', async () => {
    const result = await endChild('sigterm');
    expect(result.signal).toBe('SIGTERM');
    expect(result.kept).toEqual([]);
    expect(result.checkpoints).toEqual([]);
  });
});

describe("what each way of ending the process keeps with durability 'disk' (the next configure delivers what is left)", () => {
  it.each([
    ['close()', 'close', 0],
    ["'beforeExit' without close()", 'beforeExit', 0],
    ['process.exit()', 'process.exit', 3],
    ['an uncaught exception', 'uncaught', 1],
  ])('%s keeps every record, all delivered before the exit (no write-ahead segment left)', async (_label, mode, code) => {
    const result = await endChild(mode, true);
    expect(result.kept).toEqual(all);
    expect(result.code).toBe(code);
    expect(result.leftSegments).toBe(0);
  });

  it('SIGTERM without a handler keeps every record too: the write-ahead log has them, the next configure delivers them', async () => {
    const result = await endChild('sigterm', true);
    expect(result.signal).toBe('SIGTERM');
    expect(result.leftSegments).toBe(1);
    expect(result.kept).toEqual(all);
    // The next logger continues the recovered Ledger chain, and its checkpoint covers the records the child sealed.
    const chainIds = new Set(result.ledger.map((line) => line.chain_id));
    expect(chainIds.size).toBe(1);
    expect(result.checkpoints).toMatchObject([{ stream: 'Ledger', chain_id: [...chainIds][0], last_seq: 10, record_count: 10 }]);
  });
});

describe("the process 'exit' handler", () => {
  function memory(): Transport & { syncFlushes: number } {
    const transport = {
      kind: 'memory',
      syncFlushes: 0,
      write: () => undefined,
      flush: async () => undefined,
      flushSync: () => void (transport.syncFlushes += 1),
      close: async () => ({ delivered: 0, undelivered: 0 }),
      stats: () => ({ received: 0, delivered: 0, pending: 0, failed: 0, objects: 0, bytes: 0 }),
    };
    return transport;
  }
  const Events = defineStream({ name: 'Events', schema: z.object({ n: z.int() }) });
  const options = { app: 'a', email: 'a@b.c', streams: [Events] };

  it('is one handler shared by all open loggers, removed when the last one closes, and never throws', async () => {
    // Prepare
    const before = process.listenerCount('exit');
    const a = memory();
    const b = memory();
    const throwing = { ...memory(), flushSync: () => { throw new Error('broken transport'); } };
    const loggers = [ValidatedLog.configure(a, options), ValidatedLog.configure(throwing, options), ValidatedLog.configure(b, options)];
    // Act + Assess
    expect(process.listenerCount('exit')).toBe(before + 1);
    const handler = process.listeners('exit').at(-1) as (code: number) => void;
    expect(() => handler(0)).not.toThrow();
    expect([a.syncFlushes, b.syncFlushes]).toEqual([1, 1]);
    await loggers[0]!.close();
    handler(0);
    expect([a.syncFlushes, b.syncFlushes]).toEqual([1, 2]);
    await Promise.all(loggers.map((l) => l.close()));
    expect(process.listenerCount('exit')).toBe(before);
  });
});
