import { describe, expect, it } from 'vitest';
import { billedBytesOf, DeliveryLedger } from './DeliveryLedger.js';

describe('billedBytesOf', () => {
  it('rounds billed bytes up to the 5 KB step', () => {
    expect([1, 5120, 5121, 12_000, 1_024_000].map(billedBytesOf)).toEqual([5120, 5120, 10_240, 15_360, 1_024_000]);
  });
});

describe('DeliveryLedger', () => {
  it('moves every record from pending to exactly one outcome', () => {
    // Prepare
    const ledger = new DeliveryLedger();
    for (let i = 0; i < 10; i++) ledger.accepted(100);
    // Act
    ledger.acknowledged({ count: 4, bytes: 400 });
    ledger.spooled(3, 300);
    ledger.lost(1, 100);
    // Assess
    expect(ledger.stats()).toMatchObject({ received: 10, delivered: 4, spooled: 3, lost: 1, failed: 4, pending: 2, bufferedBytes: 200, peakBufferedBytes: 1000 });
    expect(() => ledger.check()).not.toThrow();
  });

  it('counts what was sent: Firehose records, bytes, billed bytes, calls and resends', () => {
    const ledger = new DeliveryLedger();
    ledger.accepted(6000);
    ledger.called();
    ledger.resent(1, false);
    ledger.called();
    ledger.resent(1, true);
    ledger.called();
    ledger.acknowledged({ count: 1, bytes: 6000 });
    expect(ledger.stats()).toMatchObject({ objects: 1, bytes: 6000, billedBytes: 10_240, putRecordBatchCalls: 3, retried: 2, uncertainResends: 1 });
  });

  it('counts replayed records apart from the records received', () => {
    const ledger = new DeliveryLedger();
    ledger.held(500);
    ledger.replayAcknowledged({ count: 5, bytes: 500 });
    ledger.replayRejected(2);
    ledger.released(500);
    expect(ledger.stats()).toMatchObject({ received: 0, delivered: 0, pending: 0, replayed: 5, replayRejected: 2, objects: 1, bytes: 500, bufferedBytes: 0 });
    expect(() => ledger.check()).not.toThrow();
  });

  it('check() throws when a record settles twice', () => {
    const ledger = new DeliveryLedger();
    ledger.accepted(10);
    ledger.acknowledged({ count: 1, bytes: 10 });
    ledger.spooled(1, 0);
    expect(() => ledger.check()).toThrow(/out of balance/);
  });
});
