import { describe, expect, it } from 'vitest';
import { buildChain, withText, type BuiltChain } from '../../test-helpers/chain.js';
import { FiatCheckpoint } from '../checkpointStream.js';
import { ChainWriter } from '../ChainWriter.js';
import { createChainSigner } from '../signing.js';
import { ChainVerifier, type ChainVerifierOptions, type StoredChunk } from './ChainVerifier.js';
import type { ChainReport, VerifyReport } from './report.js';
import { describeChainFinding } from './report.js';
import { verifyChains } from './verifyChains.js';

const KEY = 'a-checkpoint-key-of-at-least-32-bytes';

async function verify(files: readonly StoredChunk[], checkpoints: readonly StoredChunk[], options: ChainVerifierOptions = {}): Promise<VerifyReport> {
  return verifyChains({ checkpoints, records: files }, options);
}

function only(report: VerifyReport): ChainReport {
  expect(report.chains).toHaveLength(1);
  return report.chains[0]!;
}

function lines(file: StoredChunk): string[] {
  return file.text.split('\n').filter((l) => l !== '');
}

describe('verifyChains on an untouched chain', () => {
  it('verifies every record and checkpoint', async () => {
    // Prepare
    const chain = buildChain();
    // Act
    const report = await verify(chain.files, chain.checkpoints, { strictOrder: true });
    // Assess
    expect(report.ok).toBe(true);
    expect(only(report)).toMatchObject({ chainId: chain.chainId, stream: 'Audit', fromSeq: 1, lastSeq: 12, records: 12, verified: 12, duplicates: 0, checkpoints: { valid: 3, lastSeq: 12 }, findings: [] });
    expect(report.streams).toEqual([{ stream: 'Audit', lines: 12, chained: 12, unchained: 0, findings: [], ok: true }]);
    expect(report.checkpoints).toEqual({ lines: 3, duplicates: 0, findings: [] });
  });

  it('drops exact duplicates, in the same or another object, and counts them', async () => {
    // Prepare: a lost response resent the second file's records into a later object, and one line twice.
    const chain = buildChain();
    const resent: StoredChunk = { source: 'audit/dt=2026-11-26/fiat-audit-1-2026-11-26-09-00-09-resend.gz', stream: 'Audit', text: chain.files[1]!.text };
    const files = [...withText(chain.files, 2, (t) => t + lines(chain.files[2]!)[0] + '\n'), resent];
    // Act
    const report = await verify(files, [...chain.checkpoints, chain.checkpoints[0]!]);
    // Assess
    expect(report.ok).toBe(true);
    expect(only(report)).toMatchObject({ records: 12, verified: 12, duplicates: 5 });
    expect(report.checkpoints.duplicates).toBe(1);
  });

  it('verifies records that arrive in any order', async () => {
    const chain = buildChain({ records: 40, perFile: 3 });
    const shuffled = [...chain.files].reverse().map((f) => ({ ...f, text: `${lines(f).reverse().join('\n')}\n` }));
    const report = await verify(shuffled, chain.checkpoints);
    expect(report.ok).toBe(true);
    expect(only(report)).toMatchObject({ records: 40, verified: 40 });
  });

  it('verifies signed checkpoints with the key, with only the public key for Ed25519', async () => {
    const hmac = buildChain({ signer: createChainSigner({ chainKey: KEY }, {}) });
    expect((await verify(hmac.files, hmac.checkpoints, { keys: { hmacKeys: [KEY] } })).ok).toBe(true);
    const { generateKeyPairSync } = await import('node:crypto');
    const pair = generateKeyPairSync('ed25519');
    const ed = buildChain({ signer: createChainSigner({ signingKey: pair.privateKey }) });
    expect((await verify(ed.files, ed.checkpoints, { keys: { publicKeys: [pair.publicKey.export({ type: 'spki', format: 'pem' }).toString()] } })).ok).toBe(true);
  });
});

describe('verifyChains on a tampered chain', () => {
  it('reports a record whose byte was edited as modified, at its seq', async () => {
    // Prepare: seq 6 is the second line of the second file.
    const chain = buildChain();
    const files = withText(chain.files, 1, (t) => t.replace('"n":6', '"n":7'));
    // Act
    const report = await verify(files, chain.checkpoints);
    // Assess
    expect(report.ok).toBe(false);
    expect(only(report).findings).toEqual([{ kind: 'modified', from: 6, to: 6, at: { source: chain.files[1]!.source, line: 2 } }]);
    expect(only(report).verified).toBe(11);
  });

  it('reports a deleted record as missing', async () => {
    const chain = buildChain();
    const files = withText(chain.files, 1, (t) => t.split('\n').filter((_, i) => i !== 1).join('\n'));
    const report = await verify(files, chain.checkpoints);
    expect(only(report).findings).toEqual([{ kind: 'missing', from: 6, to: 6 }]);
  });

  it('reports a deleted file as its missing range', async () => {
    const chain = buildChain();
    const report = await verify(chain.files.filter((_, i) => i !== 1), chain.checkpoints);
    expect(only(report).findings).toEqual([{ kind: 'missing', from: 5, to: 8 }]);
  });

  it('reports files swapped between names as reordered in the local lake, and accepts them for S3', async () => {
    // Prepare: the first two files' contents exchanged (as if their names were swapped).
    const chain = buildChain();
    const swapped = withText(withText(chain.files, 0, () => chain.files[1]!.text), 1, () => chain.files[0]!.text);
    // Act
    const strict = await verify(swapped, chain.checkpoints, { strictOrder: true });
    const relaxed = await verify(swapped, chain.checkpoints);
    // Assess
    expect(only(strict).findings).toEqual([{ kind: 'reordered', from: 1, to: 4, at: { source: chain.files[1]!.source, line: 1 }, after: chain.files[0]!.source }]);
    expect(relaxed.ok).toBe(true);
  });

  it('reports lines reordered within a file in the local lake', async () => {
    const chain = buildChain();
    const files = withText(chain.files, 2, (t) => {
      const [a, b, ...rest] = lines({ ...chain.files[2]!, text: t });
      return `${[b, a, ...rest].join('\n')}\n`;
    });
    const report = await verify(files, chain.checkpoints, { strictOrder: true });
    expect(only(report).findings).toEqual([{ kind: 'reordered', from: 9, to: 9, at: { source: chain.files[2]!.source, line: 2 }, after: 'seq 10 in the same file' }]);
  });

  it('reports a file in another dt folder than its name as misplaced in the local lake', async () => {
    const chain = buildChain();
    const files = chain.files.map((f, i) => (i === 2 ? { ...f, source: f.source.replace('dt=2026-11-26', 'dt=2026-11-27') } : f));
    const report = await verify(files, chain.checkpoints, { strictOrder: true });
    expect(report.ok).toBe(false);
    expect(report.streams[0]!.findings).toEqual([{ kind: 'misplaced', reason: 'in dt=2026-11-27, named 2026-11-26', at: { source: files[2]!.source, line: 1 } }]);
  });

  it('reports an appended forged record as a tail no checkpoint covers', async () => {
    // Prepare: the forger continues the chain correctly (the hash needs no key) but cannot write a signed checkpoint.
    const chain = buildChain({ signer: createChainSigner({ chainKey: KEY }, {}) });
    const last = lines(chain.files[2]!).at(-1)!;
    const record = JSON.parse(last) as { chain_id: string; chain_seq: number; chain_hash: string };
    const forger = new ChainWriter({ stream: 'Audit', table: 'audit', chainId: record.chain_id, resume: { lastSeq: record.chain_seq, lastHash: record.chain_hash } });
    const forged = forger.seal('{"event_id":"x","event_time":"2026-11-26 09:00:02.999","app":"test","email":"t@example.com","tags":{},"n":13}');
    // Act
    const report = await verify(withText(chain.files, 2, (t) => t + forged), chain.checkpoints, { keys: { hmacKeys: [KEY] } });
    // Assess
    expect(only(report).findings).toEqual([{ kind: 'truncated', reason: 'uncovered-tail', from: 13, to: 13 }]);
  });

  it('reports a dropped tail that a checkpoint covers as truncated', async () => {
    const chain = buildChain();
    const report = await verify(chain.files.slice(0, 2), chain.checkpoints);
    expect(only(report).findings).toEqual([{ kind: 'truncated', reason: 'checkpoint-past-end', from: 9, to: 12, at: { source: chain.checkpoints[2]!.source, line: 1 } }]);
  });

  it('reports a chain whose every record was removed as truncated from seq 1', async () => {
    const chain = buildChain();
    const report = await verify([], chain.checkpoints);
    expect(only(report).findings).toEqual([{ kind: 'truncated', reason: 'checkpoint-past-end', from: 1, to: 12, at: { source: chain.checkpoints[2]!.source, line: 1 } }]);
  });

  it('reports a replaced checkpoint by its signature, and the tail it no longer covers', async () => {
    // Prepare: the last checkpoint replaced by an unsigned one claiming the chain ends at seq 8.
    const chain = buildChain({ signer: createChainSigner({ chainKey: KEY }, {}) });
    const forged = replaceCheckpoint(chain, 2, { last_seq: 8, record_count: 4, signature_alg: 'none', key_id: '', signature: '' });
    // Act
    const report = await verify(chain.files, forged, { keys: { hmacKeys: [KEY] } });
    // Assess
    expect(only(report).findings).toEqual([
      { kind: 'bad-signature', lastSeq: 8, verdict: 'unsigned', keyId: '', at: { source: forged[2]!.source, line: 1 } },
      { kind: 'truncated', reason: 'uncovered-tail', from: 9, to: 12 },
    ]);
  });

  it('reports a checkpoint signed with an unknown key, and one whose signature does not verify', async () => {
    const chain = buildChain({ signer: createChainSigner({ chainKey: KEY }, {}) });
    const other = createChainSigner({ chainKey: 'another-key-another-key-another-key' }, {});
    const forged = replaceCheckpoint(chain, 1, { key_id: other.keyId });
    const tampered = replaceCheckpoint({ ...chain, checkpoints: forged }, 0, { signature: 'ab'.repeat(32) });
    const report = await verify(chain.files, tampered, { keys: { hmacKeys: [KEY] } });
    expect(only(report).findings).toEqual([
      { kind: 'bad-signature', lastSeq: 4, verdict: 'invalid', keyId: createChainSigner({ chainKey: KEY }, {}).keyId, at: { source: tampered[0]!.source, line: 1 } },
      { kind: 'bad-signature', lastSeq: 8, verdict: 'unknown-key', keyId: other.keyId, at: { source: tampered[1]!.source, line: 1 } },
    ]);
  });

  it('reports an unsigned checkpoint that disagrees with the chain when no key is used', async () => {
    const chain = buildChain();
    const forged = replaceCheckpoint(chain, 1, { last_hash: 'f'.repeat(64) });
    const report = await verify(chain.files, forged);
    expect(only(report).findings).toEqual([
      { kind: 'checkpoint-mismatch', lastSeq: 8, reason: expect.stringMatching(/^signed last_hash ffffffffffff…, but record 8 has [0-9a-f]{12}…$/), at: { source: forged[1]!.source, line: 1 } },
    ]);
  });

  it('reports a removed checkpoint through the record_count of the next one', async () => {
    const chain = buildChain();
    const report = await verify(chain.files, chain.checkpoints.filter((_, i) => i !== 1));
    expect(only(report).findings).toEqual([{ kind: 'checkpoint-missing', from: 5, to: 8, at: { source: chain.checkpoints[2]!.source, line: 1 } }]);
  });

  it('reports a second record with the same seq and other bytes as a conflicting duplicate', async () => {
    const chain = buildChain();
    const copy = lines(chain.files[1]!)[2]!.replace('"app":"test"', '"app":"evil"');
    const extra: StoredChunk = { source: 'audit/dt=2026-11-26/fiat-audit-1-2026-11-26-09-00-05-x.gz', stream: 'Audit', text: `${copy}\n` };
    const report = await verify([...chain.files, extra], chain.checkpoints);
    expect(only(report).findings).toEqual([{ kind: 'conflicting-duplicate', seq: 7, at: { source: extra.source, line: 1 } }]);
  });

  it('tells a genuine copy of a modified record from a byte-identical copy of it', async () => {
    // Prepare
    const chain = buildChain();
    const files = withText(chain.files, 1, (t) => t.replace('"n":6', '"n":7'));
    const genuine = lines(chain.files[1]!)[1]!;
    const edited = lines(files[1]!)[1]!;
    const copy = (text: string, name: string): StoredChunk => ({ source: `audit/dt=2026-11-26/fiat-audit-1-2026-11-26-09-00-05-${name}.gz`, stream: 'Audit', text: `${text}\n` });
    // Act
    const report = await verify([...files, copy(edited, 'a'), copy(genuine, 'b')], chain.checkpoints);
    // Assess
    expect(only(report).findings).toEqual([
      { kind: 'modified', from: 6, to: 6, at: { source: chain.files[1]!.source, line: 2 } },
      { kind: 'conflicting-duplicate', seq: 6, at: { source: copy(genuine, 'b').source, line: 1 } },
    ]);
    expect(only(report).duplicates).toBe(1);
  });

  it('reports records without chain fields in a chained stream, and malformed lines', async () => {
    const chain = buildChain();
    const files = withText(chain.files, 0, (t) => `${t}{"event_id":"u","app":"test"}\nnot json\n`);
    const report = await verify(files, [...chain.checkpoints, { source: 'cp-bad', stream: 'FiatCheckpoint', text: '{"chain_id":"nope"}\n' }]);
    expect(report.ok).toBe(false);
    expect(only(report).ok).toBe(true);
    expect(report.streams[0]!.findings).toEqual([
      { kind: 'malformed', reason: 'not JSON', at: { source: chain.files[0]!.source, line: 6 } },
      { kind: 'unchained', reason: '1 record(s) without chain fields in a chained stream', at: { source: chain.files[0]!.source, line: 5 } },
    ]);
    expect(report.checkpoints.findings).toEqual([{ kind: 'malformed', reason: 'chain_id is missing or invalid', at: { source: 'cp-bad', line: 1 } }]);
  });

  it('accepts a stream that has no chained record at all', async () => {
    const report = await verify([{ source: 'page_view/x.gz', stream: 'PageView', text: '{"event_id":"1"}\n{"event_id":"2"}\n' }], []);
    expect(report).toMatchObject({ ok: true, chains: [], streams: [{ stream: 'PageView', chained: 0, unchained: 2, ok: true }] });
  });

  it('describes each finding in one sentence', () => {
    expect(describeChainFinding({ kind: 'missing', from: 5, to: 8 })).toBe('records 5–8 missing');
    expect(describeChainFinding({ kind: 'modified', from: 6, to: 6, at: { source: 'f.gz', line: 2 } })).toBe(
      'record 6 modified: hash does not follow from the previous record (first at f.gz:2)',
    );
  });
});

describe('ChainVerifier with since, open tails and stream filters', () => {
  const DAY = 86_400_000;

  it('anchors each chain at its latest checkpoint before since and skips what that checkpoint covers', async () => {
    // Prepare: one file a day, 2026-11-26 to 2026-11-28.
    const chain = buildChain({ stepMs: DAY });
    const since = Date.UTC(2026, 10, 27);
    // Act: only the partitions from since on.
    const report = await verify(chain.files.slice(1), chain.checkpoints, { since });
    // Assess
    expect(only(report)).toMatchObject({ fromSeq: 5, lastSeq: 12, records: 8, verified: 8, checkpoints: { valid: 2, lastSeq: 12 }, ok: true });
  });

  it('still catches an edit of the first record after the anchor', async () => {
    const chain = buildChain({ stepMs: DAY });
    const files = withText(chain.files, 1, (t) => t.replace('"n":5', '"n":50'));
    const report = await verify(files.slice(1), chain.checkpoints, { since: Date.UTC(2026, 10, 27) });
    expect(only(report).findings).toEqual([{ kind: 'modified', from: 5, to: 5, at: { source: chain.files[1]!.source, line: 1 } }]);
  });

  it('asks to look back when the anchor lies in an earlier partition, and reads only those chains from there', () => {
    // Prepare: checkpoints only after files 1 and 3; since = the day of file 3.
    const chain = buildChain({ stepMs: DAY, checkpointEachFile: false, records: 12 });
    const verifier = new ChainVerifier({ since: Date.UTC(2026, 10, 28), strictOrder: true });
    const other = buildChain({ start: Date.UTC(2026, 10, 26, 10) });
    for (const c of chain.checkpoints) verifier.addCheckpoints(c);
    // Act
    verifier.addRecords(chain.files[2]!);
    const lookback = verifier.lookback();
    for (const file of [...chain.files.slice(0, 2), ...other.files]) verifier.addRecords(file, lookback!.chains);
    const report = verifier.finish();
    // Assess: no checkpoint before since, so the chain starts at seq 1, made at its UUIDv7 time.
    expect(lookback).toEqual({ chains: new Set([chain.chainId]), from: Date.UTC(2026, 10, 26, 9) - 1 });
    expect(report.ok).toBe(true);
    expect(only(report)).toMatchObject({ fromSeq: 1, records: 12, verified: 12 });
  });

  it('reports a recent uncovered tail as open, not truncated, within openTailMs', async () => {
    // Prepare: the last file has no checkpoint yet.
    const chain = buildChain({ start: Date.UTC(2026, 10, 26, 9) });
    const checkpoints = chain.checkpoints.slice(0, 2);
    const now = Date.UTC(2026, 10, 26, 9, 0, 30);
    // Act
    const open = await verify(chain.files, checkpoints, { openTailMs: 60_000, now });
    const late = await verify(chain.files, checkpoints, { openTailMs: 60_000, now: now + 60_000 });
    // Assess
    expect(open.ok).toBe(true);
    expect(only(open).openTail).toEqual({ from: 9, to: 12 });
    expect(only(late).findings).toEqual([{ kind: 'truncated', reason: 'uncovered-tail', from: 9, to: 12 }]);
  });

  it('checks only the checkpoints of the streams given', async () => {
    const chain = buildChain();
    const report = await verify([], chain.checkpoints, { streams: ['PageView'] });
    expect(report).toMatchObject({ ok: true, chains: [] });
  });

  it('refuses checkpoints after records', () => {
    const verifier = new ChainVerifier();
    verifier.addRecords({ source: 's', stream: 'Audit', text: '' });
    expect(() => verifier.addCheckpoints({ source: 'c', stream: 'FiatCheckpoint', text: '' })).toThrow(/before the first record/);
  });
});

function replaceCheckpoint(chain: BuiltChain, index: number, changes: Record<string, unknown>): StoredChunk[] {
  return chain.checkpoints.map((c, i) => {
    if (i !== index) return c;
    const record = JSON.parse(c.text) as Record<string, unknown>;
    const { event_id: _id, event_time: _time, app: _app, email: _email, tags: _tags, ...fields } = record;
    const time = Date.parse(`${String(record.event_time).replace(' ', 'T')}Z`);
    const line = FiatCheckpoint.encode({ ...fields, ...changes }, { eventId: String(record.event_id), eventTime: time, app: 'test', email: 't@example.com', tags: {} });
    return { ...c, text: line };
  });
}
