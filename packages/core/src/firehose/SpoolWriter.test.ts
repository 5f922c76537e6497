import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FiatError } from '../errors.js';
import { DeliveryLedger } from './DeliveryLedger.js';
import { Spool } from './Spool.js';
import { SpoolWriter, type SpoolEntry } from './SpoolWriter.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fiat-writer-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function entry(lines: string[]): SpoolEntry {
  const chunks = lines.map((l) => Buffer.from(`${l}\n`));
  return { deliveryStream: 'fiat-audit', chunks, count: lines.length, bytes: chunks.reduce((n, c) => n + c.length, 0), reason: 'test', cause: undefined, code: 'DELIVERY_FAILED' };
}

describe('SpoolWriter', () => {
  it('writes an entry, then counts it spooled and reports where it is', async () => {
    // Prepare
    const ledger = new DeliveryLedger();
    ledger.accepted(3);
    ledger.accepted(3);
    const errors: FiatError[] = [];
    const writer = new SpoolWriter(new Spool(dir), ledger, (e) => errors.push(e));
    // Act
    await writer.write(entry(['{}', '[]']));
    // Assess
    expect(ledger.stats()).toMatchObject({ spooled: 2, pending: 0, bufferedBytes: 0 });
    expect(errors[0]!.message).toMatch(/^2 records for delivery stream fiat-audit were spooled to .*\.ndjson \(test\); resend them with fiat spool replay$/);
  });

  it('lets flushSync take over a write under way: written once, counted once', async () => {
    // Prepare
    const ledger = new DeliveryLedger();
    ledger.accepted(3);
    const spool = new Spool(dir);
    const writer = new SpoolWriter(spool, ledger, () => undefined);
    // Act
    const writing = writer.write(entry(['{}']));
    const taken = writer.takeOverPending();
    for (const e of taken) writer.writeSync(e);
    await writing;
    // Assess
    expect(taken).toHaveLength(1);
    const files = await readdir(join(dir, 'fiat-audit'));
    expect(files).toHaveLength(1);
    expect(await readFile(join(dir, 'fiat-audit', files[0]!), 'utf8')).toBe('{}\n');
    expect(ledger.stats()).toMatchObject({ spooled: 1, pending: 0 });
  });
});
