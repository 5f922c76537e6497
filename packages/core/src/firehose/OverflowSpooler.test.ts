import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FiatError } from '../errors.js';
import { DeliveryLedger } from './DeliveryLedger.js';
import { OverflowSpooler } from './OverflowSpooler.js';
import { Spool } from './Spool.js';
import { SpoolWriter } from './SpoolWriter.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fiat-overflow-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function setup(capBytes: number, maxFileBytes?: number, spoolDir = dir) {
  const spool = new Spool(spoolDir);
  const ledger = new DeliveryLedger();
  const errors: FiatError[] = [];
  const writer = new SpoolWriter(spool, ledger, (e) => errors.push(e));
  const overflow = new OverflowSpooler({ spool, writer, ledger, capBytes, reason: 'test overflow', ...(maxFileBytes !== undefined ? { maxFileBytes } : {}) });
  /** What the transport does with a line past the bound. */
  const add = (deliveryStream: string, line: string) => {
    const bytes = Buffer.byteLength(line);
    overflow.reserve(bytes);
    ledger.accepted(bytes);
    overflow.add(deliveryStream, line, bytes);
  };
  return { spool, ledger, errors, overflow, add };
}

async function spooledLines(stream: string): Promise<string[]> {
  const out: string[] = [];
  for (const file of (await readdir(join(dir, stream))).sort()) out.push(...(await readFile(join(dir, stream, file), 'utf8')).split('\n').filter((l) => l !== ''));
  return out;
}

describe('OverflowSpooler', () => {
  it('never holds more than its share in memory, even in a synchronous loop, and spools every line once', async () => {
    // Prepare
    const { ledger, overflow, add, errors } = setup(1000);
    let peak = 0;
    // Act: 10,000 lines of 50 bytes without yielding
    for (let i = 0; i < 10_000; i++) {
      add('fiat-audit', `${JSON.stringify({ i, pad: 'x'.repeat(30) })}\n`.padEnd(50, ' '));
      peak = Math.max(peak, overflow.heldBytes, ledger.bufferedBytes);
    }
    const pendingBeforeSeal = ledger.stats().pending;
    await overflow.idle();
    // Assess
    expect(peak).toBeLessThanOrEqual(1000);
    expect(pendingBeforeSeal).toBe(10_000);
    expect(ledger.stats()).toMatchObject({ received: 10_000, spooled: 10_000, pending: 0, bufferedBytes: 0 });
    expect((await spooledLines('fiat-audit')).map((l) => JSON.parse(l).i)).toEqual(Array.from({ length: 10_000 }, (_, i) => i));
    expect(errors.map((e) => e.code)).toEqual(['BUFFER_FULL']);
    expect(errors[0]!.message).toMatch(/^10000 records for delivery stream fiat-audit were spooled to .* \(test overflow\)/);
  });

  it('seals a file at once when it passes maxFileBytes, and keeps streams apart', async () => {
    const { add, overflow } = setup(100, 1000);
    for (let i = 0; i < 100; i++) add(i % 2 === 0 ? 'a' : 'b', `${JSON.stringify({ i })}`.padEnd(49, ' ') + '\n');
    await overflow.idle();
    expect(await readdir(join(dir, 'a'))).toHaveLength(3);
    expect((await spooledLines('a')).length + (await spooledLines('b')).length).toBe(100);
  });

  it('sealAllSync writes what is staged and open before the process exits', async () => {
    const { add, overflow, ledger } = setup(1 << 20);
    for (let i = 0; i < 5; i++) add('fiat-audit', `{"i":${i}}\n`);
    overflow.sealAllSync();
    expect(await spooledLines('fiat-audit')).toHaveLength(5);
    expect(ledger.stats()).toMatchObject({ spooled: 5, pending: 0 });
  });

  it('counts the records lost and reports IO_FAILED when the spool cannot be written', async () => {
    // Prepare: the spool folder is a file
    await writeFile(join(dir, 'not-a-folder'), '');
    const { add, overflow, ledger, errors } = setup(100, undefined, join(dir, 'not-a-folder'));
    // Act
    for (let i = 0; i < 10; i++) add('fiat-audit', `${JSON.stringify({ i })}`.padEnd(29, ' ') + '\n');
    await overflow.idle();
    // Assess
    expect(ledger.stats()).toMatchObject({ received: 10, spooled: 0, lost: 10, pending: 0, bufferedBytes: 0 });
    expect(errors.every((e) => e.code === 'IO_FAILED')).toBe(true);
  });
});
