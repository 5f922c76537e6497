import { describe, expect, it } from 'vitest';
import { createStreamDefinition } from '../stream.js';
import type { TransportRecord } from '../transport.js';
import { ChainWriter } from './ChainWriter.js';
import { FiatCheckpoint } from './checkpointStream.js';
import { chainHash, splitSealedLine } from './hash.js';
import { LoggerChains } from './LoggerChains.js';
import { UNSIGNED } from './signing.js';

const Ledger = createStreamDefinition({
  name: 'Ledger',
  fields: [{ name: 'n', plan: { kind: 'bigint' }, required: true, nullable: false }],
  sources: {},
  integrity: 'chain',
  validator: { check: () => true, issues: () => [] },
});

function chains(records: TransportRecord[]): LoggerChains {
  return new LoggerChains({
    signer: UNSIGNED,
    every: 3,
    intervalMs: 0,
    clock: () => Date.UTC(2026, 10, 26, 9),
    envelope: { app: 'a', email: 'a@b.c', tags: {} },
    checkpointNames: FiatCheckpoint.names,
    write: (record) => void records.push(record),
    onError: () => undefined,
    overrides: {},
  });
}

describe('LoggerChains.resume', () => {
  it('continues a recovered chain: the next record follows its last seq and hash, and checkpoints count from its last checkpoint', () => {
    // Prepare: a chain whose first two records were sealed by an earlier process (checkpoint after seq 1).
    const earlier = new ChainWriter({ stream: 'Ledger', table: 'ledger' });
    earlier.seal('{"n":1}');
    earlier.checkpoint(0);
    earlier.seal('{"n":2}');
    const records: TransportRecord[] = [];
    const logger = chains(records);
    // Act
    const writer = logger.resume(Ledger, Ledger.names, earlier.chainId, { lastSeq: 2, lastHash: earlier.lastHash, checkpointSeq: 1 });
    const line = writer.seal('{"n":3}');
    logger.sealed(writer);
    logger.checkpointAll();
    // Assess
    expect(logger.writerFor(Ledger, Ledger.names)).toBe(writer);
    expect(JSON.parse(line)).toMatchObject({ chain_id: earlier.chainId, chain_seq: 3 });
    const parts = splitSealedLine(line.slice(0, -1))!;
    expect(parts.hash).toBe(chainHash(earlier.lastHash, parts.unsealed));
    expect(records.map((r) => JSON.parse(r.line))).toMatchObject([{ chain_id: earlier.chainId, last_seq: 3, record_count: 2 }]);
  });

  it('refuses to resume a stream whose chain already sealed a record in this logger', () => {
    const logger = chains([]);
    logger.writerFor(Ledger, Ledger.names)!.seal('{"n":1}');
    expect(() => logger.resume(Ledger, Ledger.names, '019abc12-3def-7123-8456-789abcdef012', { lastSeq: 5, lastHash: '0'.repeat(64) })).toThrow(
      /stream Ledger already started chain .*: resume a chain before its first record/,
    );
  });
});
