import { Audit } from '@fiat/audit';
import { DEFAULT_CHECKPOINT_EVERY, verifyChains, type FirehoseTransportStats } from '@fiat/core';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFakeFirehose } from './fake.js';

let spoolDir: string;
beforeEach(async () => {
  spoolDir = await mkdtemp(join(tmpdir(), 'fiat-fault-'));
});
afterEach(async () => {
  await rm(spoolDir, { recursive: true, force: true });
});

const RECORDS = 100_000;
/** Audit is chained: a checkpoint every 10,000 records is written before the flush. */
const CHECKPOINTS = RECORDS / DEFAULT_CHECKPOINT_EVERY;

describe('the firehose transport under faults', () => {
  it.each([
    { label: 'one line per Firehose record', packing: false },
    { label: 'packed into 5 KB Firehose records', packing: true, maxRecordBytes: 5120 },
  ])(
    'delivers every event_id of 100,000 records ($label) with 30% of calls throttled, 10% of records failed and lost responses; duplicates only from lost responses',
    async ({ packing, maxRecordBytes }) => {
      // Prepare
      const fake = createFakeFirehose({
        seed: 42,
        faults: { throttleRate: 0.3, failRecordRate: 0.1, failRecordCode: 'mixed', loseResponseRate: 0.03, loseResponseNext: 2 },
      });
      const logger = Audit.configure('firehose', {
        app: 'fault-test',
        email: 'qa@example.com',
        client: fake,
        spoolDir,
        packing,
        ...(maxRecordBytes !== undefined ? { maxRecordBytes } : {}),
        retry: { maxAttempts: 60, maxRetryTimeMs: 60_000, baseDelayMs: 1, maxDelayMs: 8 },
      });
      const logged: string[] = [];
      // Act
      for (let i = 0; i < RECORDS; i++) {
        logged.push(logger.validatedLog.log(Audit.stream, { audit_id: `a${i}`, phase: 'start', task: 'charge', task_args: { i } }).eventId);
      }
      await logger.flush();
      const stats = logger.stats().transport as FirehoseTransportStats;
      await logger.close();
      // Assess: every event_id arrived
      const lines = fake.lines('fiat-audit');
      const arrived = new Map<string, number>();
      for (const line of lines) {
        const id = line.slice(13, 49);
        arrived.set(id, (arrived.get(id) ?? 0) + 1);
      }
      expect(logged.filter((id) => !arrived.has(id))).toEqual([]);
      expect(arrived.size).toBe(RECORDS);
      // Duplicates only where a response was lost
      const lostIds = new Set<string>();
      const idsOf = (data: Buffer) => data.toString('utf8').split('\n').filter((l) => l !== '').map((l) => l.slice(13, 49));
      const byRecordId = new Map(fake.stored.map((r) => [r.recordId, idsOf(r.data)]));
      const lostCalls = fake.calls.filter((c) => c.outcome === 'lost');
      for (const call of lostCalls) for (const recordId of call.recordIds) for (const id of byRecordId.get(recordId)!) lostIds.add(id);
      const duplicated = [...arrived].filter(([, n]) => n > 1).map(([id]) => id);
      expect(lostCalls.length).toBeGreaterThan(0);
      expect(duplicated.length).toBeGreaterThan(0);
      expect(duplicated.filter((id) => !lostIds.has(id))).toEqual([]);
      // stats() accounts for every record
      expect(stats).toMatchObject({ received: RECORDS + CHECKPOINTS, delivered: RECORDS + CHECKPOINTS, spooled: 0, lost: 0, pending: 0 });
      expect(stats.putRecordBatchCalls).toBe(fake.calls.filter((c) => c.operation === 'PutRecordBatch').length);
      expect(stats.retried).toBeGreaterThan(RECORDS * 0.3);
      expect(stats.uncertainResends).toBeGreaterThanOrEqual(duplicated.length);
      expect(lines.length - RECORDS).toBe(duplicated.reduce((n, id) => n + arrived.get(id)! - 1, 0));
      // The chain verifies as delivered, duplicates and all: exact duplicates are dropped, no record is missing.
      const chunk = (stream: string, list: string[]) => list.map((text, i) => ({ source: `${stream}-${i}`, stream, text }));
      const report = await verifyChains({ checkpoints: chunk('FiatCheckpoint', fake.lines('fiat-checkpoint')), records: chunk('Audit', lines) });
      expect(report.ok).toBe(true);
      expect(report.chains).toMatchObject([{ records: RECORDS, verified: RECORDS, duplicates: lines.length - RECORDS, checkpoints: { valid: CHECKPOINTS, lastSeq: RECORDS } }]);
      console.log(
        `fault test (${packing ? 'packed' : 'unpacked'}): ${stats.putRecordBatchCalls} PutRecordBatch calls (${fake.calls.filter((c) => c.outcome === 'ServiceUnavailableException').length} throttled, ${lostCalls.length} lost responses), ${stats.retried} record resends, ${lines.length - RECORDS} duplicates`,
      );
    },
    120_000,
  );
});
