import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { ChainWriter, createChainSigner, FiatCheckpoint, type VerifyReport } from '@fiat/core';
import { writeChainedLake, type ChainedLake } from '@fiat/testing';
import { runFiat } from './test-helpers.js';

const KEY = 'a-checkpoint-key-of-at-least-32-bytes';
const env = { FIAT_CHAIN_KEY: KEY };

interface Lake extends ChainedLake {
  readonly dir: string;
}

async function lake(): Promise<Lake> {
  const dir = await mkdtemp(join(tmpdir(), 'fiat-verify-'));
  const written = await writeChainedLake({ lakeDir: join(dir, 'lake'), records: 12, perFile: 4, signer: createChainSigner({ chainKey: KEY }, {}) });
  return { ...written, dir };
}

async function readGz(l: Lake, key: string): Promise<string> {
  return gunzipSync(await readFile(join(l.dir, 'lake', key))).toString('utf8');
}

async function edit(l: Lake, key: string, change: (text: string) => string): Promise<void> {
  await writeFile(join(l.dir, 'lake', key), gzipSync(change(await readGz(l, key))));
}

async function verify(l: Lake, ...args: string[]): Promise<{ code: number; report: VerifyReport; stderr: string }> {
  const run = await runFiat(['verify', ...args, '--lake-dir', 'lake', '--json'], { cwd: l.dir, env });
  return { code: run.code, report: JSON.parse(run.stdout) as VerifyReport, stderr: run.stderr };
}

function findings(report: VerifyReport): unknown[] {
  expect(report.chains).toHaveLength(1);
  return [...report.chains[0]!.findings];
}

describe('fiat verify on the local lake', () => {
  it('verifies an untouched lake with exit 0 and prints one row per chain', async () => {
    // Prepare
    const l = await lake();
    // Act
    const run = await runFiat(['verify', '--lake-dir', 'lake'], { cwd: l.dir, env });
    // Assess
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`${l.chainId} | Audit  | 1–12 | 12      | 12       | 0          | 3 (to 12)   | OK`);
    expect(run.stdout).toMatch(/Verified 1 chain\(s\), 12 record\(s\), 3 checkpoint line\(s\) in .*lake\.\n$/);
  });

  it('drops exact duplicates and still exits 0', async () => {
    const l = await lake();
    await edit(l, l.files[1]!, (t) => t + t.split('\n')[3] + '\n');
    const { code, report } = await verify(l, 'Audit');
    expect(code).toBe(0);
    expect(report.chains[0]).toMatchObject({ records: 12, verified: 12, duplicates: 1, ok: true });
  });

  it('reports an edited byte of one record with its seq and file, exit 1', async () => {
    const l = await lake();
    await edit(l, l.files[1]!, (t) => t.replace('"n":6', '"n":7'));
    const run = await runFiat(['verify', 'Audit', '--lake-dir', 'lake'], { cwd: l.dir, env });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(`chain ${l.chainId} (Audit):\n  - record 6 modified: hash does not follow from the previous record (first at ${l.files[1]}:2)`);
    expect(run.stdout).toContain('FAILED: 1 of 1 chain(s) failed');
  });

  it('reports a deleted record as missing', async () => {
    const l = await lake();
    await edit(l, l.files[1]!, (t) => t.split('\n').filter((_, i) => i !== 1).join('\n'));
    const { code, report } = await verify(l);
    expect(code).toBe(1);
    expect(findings(report)).toEqual([{ kind: 'missing', from: 6, to: 6 }]);
  });

  it('reports a deleted file as its missing range', async () => {
    const l = await lake();
    await rm(join(l.dir, 'lake', l.files[1]!));
    const { code, report } = await verify(l);
    expect(code).toBe(1);
    expect(findings(report)).toEqual([{ kind: 'missing', from: 5, to: 8 }]);
  });

  it('reports files whose contents were swapped as reordered', async () => {
    const l = await lake();
    const [first, second] = [await readGz(l, l.files[0]!), await readGz(l, l.files[1]!)];
    await edit(l, l.files[0]!, () => second);
    await edit(l, l.files[1]!, () => first);
    const { code, report } = await verify(l);
    expect(code).toBe(1);
    expect(findings(report)).toEqual([{ kind: 'reordered', from: 1, to: 4, at: { source: l.files[1], line: 1 }, after: l.files[0] }]);
  });

  it('reports an appended forged record as an uncovered tail', async () => {
    const l = await lake();
    const last = JSON.parse((await readGz(l, l.files[2]!)).trim().split('\n').at(-1)!) as { chain_seq: number; chain_hash: string };
    const forger = new ChainWriter({ stream: 'Audit', table: 'audit', chainId: l.chainId, resume: { lastSeq: last.chain_seq, lastHash: last.chain_hash } });
    await edit(l, l.files[2]!, (t) => t + forger.seal('{"event_id":"x","event_time":"2026-11-26 09:00:02.999","app":"test","email":"t@example.com","tags":{},"n":13}'));
    const { code, report } = await verify(l);
    expect(code).toBe(1);
    expect(findings(report)).toEqual([{ kind: 'truncated', reason: 'uncovered-tail', from: 13, to: 13 }]);
  });

  it('reports a dropped tail that the last checkpoint covers as truncated', async () => {
    const l = await lake();
    await rm(join(l.dir, 'lake', l.files[2]!));
    const { code, report } = await verify(l);
    expect(code).toBe(1);
    expect(findings(report)).toEqual([{ kind: 'truncated', reason: 'checkpoint-past-end', from: 9, to: 12, at: { source: l.checkpointFiles[2], line: 1 } }]);
  });

  it('reports a replaced checkpoint by its signature and the tail it no longer covers', async () => {
    // Prepare: the last checkpoint replaced by one, signed with another key, claiming the chain ends at seq 8.
    const l = await lake();
    const previous = JSON.parse(await readGz(l, l.checkpointFiles[1]!)) as Record<string, unknown>;
    const forger = createChainSigner({ chainKey: 'not-the-key-not-the-key-not-the-key' }, {});
    const chain = new ChainWriter({ stream: 'Audit', table: 'audit', chainId: l.chainId, signer: forger, resume: { lastSeq: 8, lastHash: String(previous.last_hash), checkpointSeq: 4 } });
    const time = Date.UTC(2026, 10, 26, 9, 0, 3);
    await edit(l, l.checkpointFiles[2]!, () => FiatCheckpoint.encode(chain.checkpoint(time)!, { eventId: 'x', eventTime: time, app: 'test', email: 't@example.com', tags: {} }));
    // Act
    const { code, report } = await verify(l);
    // Assess
    expect(code).toBe(1);
    expect(findings(report)).toEqual([
      { kind: 'bad-signature', lastSeq: 8, verdict: 'unknown-key', keyId: forger.keyId, at: { source: l.checkpointFiles[2], line: 1 } },
      { kind: 'truncated', reason: 'uncovered-tail', from: 9, to: 12 },
    ]);
  });

  it('fails when the signatures cannot be checked for want of the key', async () => {
    const l = await lake();
    const run = await runFiat(['verify', '--lake-dir', 'lake', '--json'], { cwd: l.dir, env: {} });
    expect(run.code).toBe(1);
    const unchecked = { kind: 'bad-signature', lastSeq: expect.any(Number), verdict: 'unknown-key', keyId: createChainSigner({ chainKey: KEY }, {}).keyId, at: expect.anything() };
    expect(findings(JSON.parse(run.stdout) as VerifyReport)).toEqual([unchecked, unchecked, unchecked, { kind: 'truncated', reason: 'uncovered-tail', from: 1, to: 12 }]);
  });

  it('verifies from --since on, anchored at the last checkpoint before it', async () => {
    // Prepare: one file a day, a checkpoint after each; a record of the first day edited.
    const dir = await mkdtemp(join(tmpdir(), 'fiat-verify-'));
    const written = await writeChainedLake({ lakeDir: join(dir, 'lake'), records: 12, perFile: 4, stepMs: 86_400_000, signer: createChainSigner({ chainKey: KEY }, {}) });
    const l = { ...written, dir };
    await edit(l, l.files[0]!, (t) => t.replace('"n":1', '"n":100'));
    // Act
    const { code, report } = await verify(l, '--since', '2026-11-27');
    // Assess: the edit is before the range, so it is not read.
    expect(code).toBe(0);
    expect(report.chains[0]).toMatchObject({ fromSeq: 5, lastSeq: 12, records: 8, verified: 8 });
  });

  it('with --since, reads earlier partitions back to the anchor when no checkpoint falls on the boundary', async () => {
    // Prepare: a checkpoint only at the end, so the chain's start (day one) anchors a range that begins on day three.
    const dir = await mkdtemp(join(tmpdir(), 'fiat-verify-'));
    const start = Date.UTC(2026, 10, 26, 9);
    const chainId = `${start.toString(16).padStart(12, '0').replace(/^(.{8})/, '$1-')}-7000-8000-000000000001`;
    const written = await writeChainedLake({ lakeDir: join(dir, 'lake'), chainId, stepMs: 86_400_000, checkpoints: 'end', signer: createChainSigner({ chainKey: KEY }, {}) });
    const l = { ...written, dir };
    // Act
    const clean = await verify(l, '--since', '2026-11-28');
    await edit(l, l.files[0]!, (t) => t.replace('"n":2', '"n":20'));
    const tampered = await verify(l, '--since', '2026-11-28');
    // Assess
    expect(clean.code).toBe(0);
    expect(clean.report.chains[0]).toMatchObject({ fromSeq: 1, records: 12, verified: 12 });
    expect(tampered.code).toBe(1);
    expect(findings(tampered.report)).toEqual([{ kind: 'modified', from: 2, to: 2, at: { source: l.files[0], line: 2 } }]);
  });

  it('accepts keys from --key-file and Ed25519 public keys from --public-key', async () => {
    const { generateKeyPairSync } = await import('node:crypto');
    const pair = generateKeyPairSync('ed25519');
    const dir = await mkdtemp(join(tmpdir(), 'fiat-verify-'));
    await writeChainedLake({ lakeDir: join(dir, 'lake'), signer: createChainSigner({ signingKey: pair.privateKey }) });
    await writeFile(join(dir, 'pub.pem'), pair.publicKey.export({ type: 'spki', format: 'pem' }));
    const run = await runFiat(['verify', '--lake-dir', 'lake', '--public-key', 'pub.pem'], { cwd: dir, env: {} });
    expect(run.code).toBe(0);
    const l = await lake();
    await writeFile(join(l.dir, 'key.txt'), `${KEY}\n`);
    expect((await runFiat(['verify', '--lake-dir', 'lake', '--key-file', 'key.txt'], { cwd: l.dir, env: {} })).code).toBe(0);
  });

  it.each([
    [['--since', '2026-13-01'], /--since must be a date yyyy-MM-dd, got '2026-13-01'/],
    [['--target', 'athena'], /--target must be local or s3/],
    [['--open-tail', '1h'], /--open-tail must be a whole number of seconds/],
    [['Nope'], /unknown chained stream 'Nope'/],
    [['--public-key', 'missing.pem'], /cannot read --public-key missing.pem: ENOENT/],
  ])('refuses %j with exit 2', async (args, message) => {
    const l = await lake();
    const run = await runFiat(['verify', ...args, '--lake-dir', 'lake'], { cwd: l.dir, env });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
  });

  it('says so when a named stream has nothing chained, exit 1', async () => {
    const l = await lake();
    const run = await runFiat(['verify', 'FiatDeadletter', '--lake-dir', 'lake'], { cwd: l.dir, env });
    expect(run.code).toBe(1);
    expect(run.stderr).toBe('fiat verify: no chained record or checkpoint found in stream FiatDeadletter\n');
  });
});
