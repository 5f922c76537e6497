import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { FirehoseClient } from '@aws-sdk/client-firehose';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { Audit } from '@fiat/audit';
import { ChainWriter, createChainSigner, defineStream, FiatCheckpoint, ValidatedLog, type FirehoseTransportStats, type VerifyReport } from '@fiat/core';
import '@fiat/core/firehose';
import { writeStreamFolder } from '@fiat/schemas';
import { startFakeFirehoseServer, startFakeS3Server, type FakeFirehoseServer, type FakeS3Server } from '@fiat/testing';
import { runFiat } from './test-helpers.js';

// `fiat verify` over lakes written by the loggers themselves (Audit.configure and ValidatedLog), untouched and
// tampered with in each way the issue lists; and over what the logger sent through the fake Firehose with lost
// responses, read back through the fake S3.

const KEY = 'a-checkpoint-key-of-at-least-32-bytes';
const env = { FIAT_CHAIN_KEY: KEY };
const START = Date.UTC(2026, 10, 26, 9);

/** A chained application stream, logged through ValidatedLog; fiat verify finds it through its schema folder. */
const Ledger = defineStream({ name: 'Ledger', schema: z.object({ account: z.string(), amount: z.number() }), integrity: 'chain' });

interface Lake {
  readonly dir: string;
  /** The stream's name and lake prefix. */
  readonly stream: string;
  readonly prefix: string;
  /** Record files and checkpoint files, in chain order (their names hold the time of their first record). */
  readonly files: string[];
  readonly checkpointFiles: string[];
  readonly chainId: string;
}

/** What writes 12 records, in 3 files of 4 (a flush after each 4, one second apart), with a checkpoint after each 4. */
interface Writer {
  readonly label: string;
  readonly stream: string;
  readonly prefix: string;
  write(dir: string, lakeDir: string, clock: () => number, next: () => Promise<void>): Promise<void>;
}

const options = { app: 'verify-test', email: 'qa@example.com', chainKey: KEY, checkpointEvery: 4, checkpointIntervalMs: 0 };

const writers: Writer[] = [
  {
    label: "Audit.configure('local')",
    stream: 'Audit',
    prefix: 'audit/',
    async write(_dir, lakeDir, clock, next) {
      const logger = Audit.configure('local', { ...options, lakeDir, clock });
      for (let file = 0; file < 3; file++) {
        for (let k = 0; k < 2; k++) logger.run('_add', { x: file, y: k }, () => file + k, { ticket_id: `t-${file}` });
        await logger.flush();
        await next();
      }
      await logger.close();
    },
  },
  {
    label: "ValidatedLog.configure('local') with an application stream",
    stream: 'Ledger',
    prefix: 'ledger/',
    async write(dir, lakeDir, clock, next) {
      await writeStreamFolder(join(dir, 'schemas'), Ledger);
      const logger = ValidatedLog.configure('local', { ...options, lakeDir, clock, streams: [Ledger] });
      for (let n = 1; n <= 12; n++) {
        logger.log(Ledger, { account: `acc-${n % 3}`, amount: n * 1.5 });
        if (n % 4 === 0) {
          await logger.flush();
          await next();
        }
      }
      await logger.close();
    },
  },
];

async function gzFiles(lakeDir: string, prefix: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(join(lakeDir, prefix), { recursive: true, withFileTypes: true })) {
    if (entry.isFile() && entry.name.endsWith('.gz')) out.push(join(entry.parentPath, entry.name).slice(lakeDir.length + 1));
  }
  return out.sort();
}

async function writeLake(writer: Writer): Promise<Lake> {
  const dir = await mkdtemp(join(tmpdir(), 'fiat-verify-logger-'));
  const lakeDir = join(dir, 'lake');
  let now = START;
  await writer.write(dir, lakeDir, () => now, async () => void (now += 1000));
  const files = await gzFiles(lakeDir, writer.prefix);
  const checkpointFiles = await gzFiles(lakeDir, '_fiat_checkpoint/');
  const first = JSON.parse((await readGz({ dir } as Lake, files[0]!)).split('\n')[0]!) as { chain_id: string };
  return { dir, stream: writer.stream, prefix: writer.prefix, files, checkpointFiles, chainId: first.chain_id };
}

async function readGz(lake: Pick<Lake, 'dir'>, key: string): Promise<string> {
  return gunzipSync(await readFile(join(lake.dir, 'lake', key))).toString('utf8');
}

async function edit(lake: Lake, key: string, change: (text: string) => string): Promise<void> {
  await writeFile(join(lake.dir, 'lake', key), gzipSync(change(await readGz(lake, key))));
}

async function verify(lake: Lake): Promise<{ code: number; report: VerifyReport; stdout: string }> {
  const run = await runFiat(['verify', lake.stream, '--lake-dir', 'lake', '--json'], { cwd: lake.dir, env });
  return { code: run.code, report: JSON.parse(run.stdout) as VerifyReport, stdout: run.stdout };
}

function findingsOf(report: VerifyReport): unknown[] {
  expect(report.chains).toHaveLength(1);
  return [...report.chains[0]!.findings];
}

const lakes: string[] = [];
afterEach(async () => {
  await Promise.all(lakes.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

async function lakeBy(writer: Writer): Promise<Lake> {
  const lake = await writeLake(writer);
  lakes.push(lake.dir);
  return lake;
}

describe.each(writers)('fiat verify on a lake written by $label', (writer) => {
  it('verifies the untouched lake with exit 0: 12 records in 3 files, 3 signed checkpoints', async () => {
    // Prepare
    const lake = await lakeBy(writer);
    // Act
    const run = await runFiat(['verify', '--lake-dir', 'lake'], { cwd: lake.dir, env });
    const { code, report } = await verify(lake);
    // Assess
    expect([lake.files.length, lake.checkpointFiles.length]).toEqual([3, 3]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`${lake.chainId} \\| ${writer.stream} +\\| 1–12 \\| 12 +\\| 12 +\\| 0 +\\| 3 \\(to 12\\) +\\| OK`));
    expect(code).toBe(0);
    expect(report.chains[0]).toMatchObject({ chainId: lake.chainId, stream: writer.stream, records: 12, verified: 12, checkpoints: { valid: 3, lastSeq: 12 }, ok: true });
  });

  it('reports an edited byte of one record as modified, with its seq and file', async () => {
    const lake = await lakeBy(writer);
    // One byte of record 6 (the second line of the second file): a digit of its event_time's milliseconds.
    await edit(lake, lake.files[1]!, (text) => {
      const lines = text.split('\n');
      lines[1] = lines[1]!.replace(/("event_time":"[^"]*)\d"/, (_m, head: string) => `${head}9"`);
      return lines.join('\n');
    });
    const { code, report, stdout } = await verify(lake);
    expect(code).toBe(1);
    expect(findingsOf(report)).toEqual([{ kind: 'modified', from: 6, to: 6, at: { source: lake.files[1], line: 2 } }]);
    expect(stdout).not.toContain('"ok": true\n}');
  });

  it('reports a deleted record as missing', async () => {
    const lake = await lakeBy(writer);
    await edit(lake, lake.files[1]!, (text) => text.split('\n').filter((_, i) => i !== 1).join('\n'));
    const { code, report } = await verify(lake);
    expect(code).toBe(1);
    expect(findingsOf(report)).toEqual([{ kind: 'missing', from: 6, to: 6 }]);
  });

  it('reports a deleted file as its missing range', async () => {
    const lake = await lakeBy(writer);
    await rm(join(lake.dir, 'lake', lake.files[1]!));
    const { code, report } = await verify(lake);
    expect(code).toBe(1);
    expect(findingsOf(report)).toEqual([{ kind: 'missing', from: 5, to: 8 }]);
  });

  it('reports files whose contents were swapped as reordered', async () => {
    const lake = await lakeBy(writer);
    const [first, second] = [await readGz(lake, lake.files[0]!), await readGz(lake, lake.files[1]!)];
    await edit(lake, lake.files[0]!, () => second);
    await edit(lake, lake.files[1]!, () => first);
    const { code, report } = await verify(lake);
    expect(code).toBe(1);
    expect(findingsOf(report)).toEqual([{ kind: 'reordered', from: 1, to: 4, at: { source: lake.files[1], line: 1 }, after: lake.files[0] }]);
  });

  it('reports an appended forged record (correctly hashed) as an uncovered tail', async () => {
    const lake = await lakeBy(writer);
    const lastLine = (await readGz(lake, lake.files[2]!)).trim().split('\n').at(-1)!;
    const last = JSON.parse(lastLine) as { chain_seq: number; chain_hash: string };
    const forger = new ChainWriter({ stream: writer.stream, table: writer.stream.toLowerCase(), chainId: lake.chainId, resume: { lastSeq: last.chain_seq, lastHash: last.chain_hash } });
    const unsealed = lastLine.slice(0, lastLine.indexOf(',"chain_id"')) + '}';
    await edit(lake, lake.files[2]!, (text) => text + forger.seal(unsealed.replace('"verify-test"', '"forger"')));
    const { code, report } = await verify(lake);
    expect(code).toBe(1);
    expect(findingsOf(report)).toEqual([{ kind: 'truncated', reason: 'uncovered-tail', from: 13, to: 13 }]);
  });

  it('reports a dropped tail that the last checkpoint covers as truncated', async () => {
    const lake = await lakeBy(writer);
    await rm(join(lake.dir, 'lake', lake.files[2]!));
    const { code, report } = await verify(lake);
    expect(code).toBe(1);
    expect(findingsOf(report)).toEqual([{ kind: 'truncated', reason: 'checkpoint-past-end', from: 9, to: 12, at: { source: lake.checkpointFiles[2], line: 1 } }]);
  });

  it('reports a replaced checkpoint by its signature and the tail it no longer covers', async () => {
    // Prepare: the last checkpoint replaced by one signed with another key, claiming the chain ends at seq 8.
    const lake = await lakeBy(writer);
    const previous = JSON.parse(await readGz(lake, lake.checkpointFiles[1]!)) as Record<string, unknown>;
    const forged = createChainSigner({ chainKey: 'not-the-key-not-the-key-not-the-key' }, {});
    const chain = new ChainWriter({
      stream: writer.stream,
      table: String(previous.table),
      chainId: lake.chainId,
      signer: forged,
      resume: { lastSeq: 8, lastHash: String(previous.last_hash), checkpointSeq: 4 },
    });
    const fields = chain.checkpoint(START + 2500)!;
    const line = FiatCheckpoint.encode(fields, { eventId: String(previous.event_id), eventTime: START + 2500, app: 'verify-test', email: 'qa@example.com', tags: {} });
    await edit(lake, lake.checkpointFiles[2]!, () => line);
    // Act
    const { code, report } = await verify(lake);
    // Assess
    expect(code).toBe(1);
    const findings = findingsOf(report);
    expect(findings).toContainEqual({ kind: 'bad-signature', lastSeq: 8, verdict: 'unknown-key', keyId: forged.keyId, at: { source: lake.checkpointFiles[2], line: 1 } });
    expect(findings).toContainEqual({ kind: 'truncated', reason: 'uncovered-tail', from: 9, to: 12 });
  });
});

describe('fiat verify --target s3 on what the logger sent through the fake Firehose', () => {
  let firehose: FakeFirehoseServer | undefined;
  let s3: FakeS3Server | undefined;
  afterEach(async () => {
    await firehose?.close();
    await s3?.close();
    firehose = s3 = undefined;
  });

  it('verifies every record with exit 0 while lost responses left duplicates, through the real S3 client', async () => {
    // Prepare: Audit.configure('firehose') with the real SDK client; 30% of responses are lost, so records are resent.
    const dir = await mkdtemp(join(tmpdir(), 'fiat-verify-logger-s3-'));
    lakes.push(dir);
    const lakeDir = join(dir, 'delivered');
    firehose = await startFakeFirehoseServer({ lakeDir, bufferBytes: 16 * 1024, seed: 7, faults: { loseResponseRate: 0.3 } });
    const client = new FirehoseClient({ endpoint: firehose.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
    const logger = Audit.configure('firehose', {
      app: 'verify-s3',
      email: 'qa@example.com',
      client,
      spoolDir: join(dir, 'spool'),
      maxRecordBytes: 2048,
      chainKey: KEY,
      checkpointEvery: 50,
      retry: { maxAttempts: 20, maxRetryTimeMs: 30_000, baseDelayMs: 1, maxDelayMs: 4 },
    });
    // Act
    for (let i = 0; i < 200; i++) {
      logger.run('charge', { invoice: i }, () => i * 2);
      if (i % 25 === 24) await logger.flush();
    }
    await logger.close();
    const stats = logger.stats().transport as FirehoseTransportStats;
    await firehose.flush();
    client.destroy();
    s3 = await startFakeS3Server({ dir: lakeDir, bucket: 'audit-lake' });
    const s3env = { ...env, FIAT_REGION: 'us-east-1', FIAT_BUCKET: 'audit-lake', FIAT_S3_ENDPOINT: s3.endpoint, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test' };
    const run = await runFiat(['verify', 'Audit', '--target', 's3', '--json'], { cwd: dir, env: s3env });
    // Assess
    const report = JSON.parse(run.stdout) as VerifyReport;
    expect(stats.uncertainResends).toBeGreaterThan(0);
    expect(run.code).toBe(0);
    expect(report.chains).toHaveLength(1);
    expect(report.chains[0]).toMatchObject({ records: 400, verified: 400, checkpoints: { valid: 8, lastSeq: 400 }, ok: true });
    expect(report.chains[0]!.duplicates).toBeGreaterThan(0);
    expect(s3.requests.some((r) => r.operation === 'GetObject')).toBe(true);
  });
});
