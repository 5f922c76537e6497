import { describe, expect, it } from 'vitest';
import { BufferPool } from './BufferPool.js';
import { Dispatcher, type Batch } from './Dispatcher.js';
import { OutboundRecord } from './OutboundRecord.js';
import { Packer } from './Packer.js';

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe('Dispatcher', () => {
  it('cuts full batches as records are sealed, and the rest on dispatchAll', async () => {
    // Prepare
    const batches: Batch[] = [];
    const packer = new Packer({ packing: false, pool: new BufferPool({ bufferBytes: 64, maxPooled: 1, recycle: true }) });
    const dispatcher = new Dispatcher({ maxBatchRecords: 3, maxBatchBytes: 1 << 20, maxInFlight: 10, run: async (batch) => void batches.push(batch) });
    // Act
    for (let i = 0; i < 7; i++) {
      packer.add('s', `${i}\n`, 2);
      dispatcher.dispatchFull(packer, 's');
    }
    const beforeFlush = batches.map((b) => b.records.length);
    dispatcher.dispatchAll(packer);
    await dispatcher.idle();
    // Assess
    expect(beforeFlush).toEqual([3, 3]);
    expect(batches.map((b) => b.records.length)).toEqual([3, 3, 1]);
  });

  it('keeps each batch within maxBatchBytes', () => {
    const batches: Batch[] = [];
    const dispatcher = new Dispatcher({ maxBatchRecords: 500, maxBatchBytes: 100, maxInFlight: 10, run: async (batch) => void batches.push(batch) });
    dispatcher.dispatchRecords('s', [40, 40, 40, 90, 10].map((n) => OutboundRecord.of(Buffer.alloc(n))));
    expect(batches.map((b) => b.records.map((r) => r.bytes))).toEqual([[40, 40], [40], [90, 10]]);
  });

  it('runs at most maxInFlight batches at once and resolves idle() when all have ended', async () => {
    // Prepare: every batch waits for its gate
    const gates = Array.from({ length: 5 }, deferred);
    let running = 0;
    let peak = 0;
    let started = 0;
    const dispatcher = new Dispatcher({
      maxBatchRecords: 1,
      maxBatchBytes: 1 << 20,
      maxInFlight: 2,
      run: async () => {
        const gate = gates[started++]!;
        running += 1;
        peak = Math.max(peak, running);
        await gate.promise;
        running -= 1;
      },
    });
    // Act
    dispatcher.dispatchRecords('s', Array.from({ length: 5 }, () => OutboundRecord.of(Buffer.from('x\n'))));
    const waitingAtFirst = dispatcher.batches().length;
    let idle = false;
    const done = dispatcher.idle().then(() => (idle = true));
    for (const gate of gates) {
      gate.resolve();
      await new Promise((r) => setImmediate(r));
    }
    await done;
    // Assess
    expect(waitingAtFirst).toBe(5);
    expect(peak).toBe(2);
    expect(started).toBe(5);
    expect(idle).toBe(true);
    expect(dispatcher.batches()).toEqual([]);
  });

  it('settled() waits for the batches cut so far only', async () => {
    // Prepare
    const gates = [deferred(), deferred()];
    let started = 0;
    const dispatcher = new Dispatcher({ maxBatchRecords: 1, maxBatchBytes: 1 << 20, maxInFlight: 2, run: () => gates[started++]!.promise });
    dispatcher.dispatchRecords('s', [OutboundRecord.of(Buffer.from('a\n'))]);
    // Act
    let settled = false;
    const waiting = dispatcher.settled().then(() => (settled = true));
    dispatcher.dispatchRecords('s', [OutboundRecord.of(Buffer.from('b\n'))]);
    gates[0]!.resolve();
    await waiting;
    // Assess
    expect(settled).toBe(true);
    expect(dispatcher.batches()).toHaveLength(1);
    gates[1]!.resolve();
    await dispatcher.idle();
  });

  it('finishes a batch whose run rejects, without an unhandled rejection', async () => {
    const dispatcher = new Dispatcher({ maxBatchRecords: 1, maxBatchBytes: 1 << 20, maxInFlight: 1, run: () => Promise.reject(new Error('bug')) });
    dispatcher.dispatchRecords('s', [OutboundRecord.of(Buffer.from('x\n')), OutboundRecord.of(Buffer.from('y\n'))]);
    await dispatcher.idle();
    expect(dispatcher.batches()).toEqual([]);
  });
});
