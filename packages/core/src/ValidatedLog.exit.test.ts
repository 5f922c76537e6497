import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineStream } from './defineStream.js';
import { bundleScript, startNode } from './test-helpers/child.js';
import { readLakeLines, tempDir } from './test-helpers/lake.js';
import type { Transport } from './transport.js';
import { ValidatedLog } from './ValidatedLog.js';

/** Runs the exit child: it logs 100 records (the default 60 s interval never passes), then ends as `mode` says. */
async function endChild(mode: string): Promise<{ code: number | null; signal: string | null; stderr: string; kept: number[]; checkpoints: Record<string, unknown>[] }> {
  const script = await bundleScript('exitChild');
  const lakeDir = await tempDir();
  const { child, done } = startNode(script, [lakeDir, mode]);
  if (mode.startsWith('sigterm')) {
    child.stdout!.on('data', (chunk: string) => {
      if (chunk.includes('ready')) child.kill('SIGTERM');
    });
  }
  const result = await done;
  const kept = (await readLakeLines(lakeDir, 'events/')).map((line) => Number(line.n));
  const checkpoints = await readLakeLines(lakeDir, '_fiat_checkpoint/');
  return { code: result.code, signal: result.signal, stderr: result.stderr, kept: kept.sort((a, b) => a - b), checkpoints };
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
