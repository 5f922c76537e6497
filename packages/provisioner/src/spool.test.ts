import { appendFile, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Audit } from '@fiat/audit';
import { createFakeFirehose, startFakeFirehoseServer, type FakeFirehoseServer } from '@fiat/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runFiat, type FiatRun } from './test-helpers.js';

// `fiat spool replay` checks every spooled line against its stream's stored-record schema before it is
// sent, quarantines the bad ones with the reason, and never sends a file twice when two replays run.

let dir: string;
let spoolDir: string;
let server: FakeFirehoseServer | undefined;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fiat-spool-cli-'));
  spoolDir = join(dir, 'spool');
});
afterEach(async () => {
  await server?.close();
  server = undefined;
  await rm(dir, { recursive: true, force: true });
});

function fiat(argv: string[]): Promise<FiatRun> {
  return runFiat(argv, { cwd: dir, env: { FIAT_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'AKIDFAKE', AWS_SECRET_ACCESS_KEY: 'fake-secret' } });
}

/** Spools `count` valid Audit records (the delivery stream does not exist) and returns their event ids. */
async function spoolAudit(count: number): Promise<string[]> {
  const logger = Audit.configure('firehose', { app: 'spool-test', email: 'qa@example.com', client: createFakeFirehose({ autoCreateStreams: false }), spoolDir });
  const ids: string[] = [];
  for (let i = 0; i < count; i++) ids.push(logger.validatedLog.log(Audit.stream, { audit_id: `a${i}`, phase: 'start', task: 'charge', task_args: { i } }).eventId);
  const report = await logger.close();
  expect(report).toMatchObject({ spooled: count + 1 }); // and the chain's checkpoint, written at close()
  return ids;
}

async function spoolFiles(): Promise<string[]> {
  return (await readdir(join(spoolDir, 'fiat-audit'))).filter((f) => f.endsWith('.ndjson'));
}

describe('fiat spool replay', () => {
  it("quarantines lines that are truncated, not JSON or not valid Audit records, delivers the file's good lines, and exits 1", async () => {
    // Prepare: 20 good records, then a schema-invalid record, a garbage line and a line cut by a crash
    const ids = await spoolAudit(20);
    const [file] = await spoolFiles();
    await appendFile(join(spoolDir, 'fiat-audit', file!), '{"event_id":"not-a-record"}\nGARBAGE\n{"event_id":"0192');
    server = await startFakeFirehoseServer({ port: 0 });
    // Act
    const run = await fiat(['spool', 'replay', '--spool-dir', spoolDir, '--endpoint', server.endpoint, '--json']);
    // Assess: the good lines arrived, once each; the bad ones did not
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout);
    expect(report).toMatchObject({ records: 24, delivered: 21, failed: 0, rejected: 3, remainingFiles: [], filesRemoved: 2 });
    expect(server.records('fiat-audit').map((r) => r.event_id)).toEqual(ids);
    expect(server.records('fiat-checkpoint')).toMatchObject([{ stream: 'Audit', last_seq: 20 }]);
    expect(await spoolFiles()).toEqual([]);
    const quarantined = (await readFile(report.rejectedFiles[0], 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
    expect(quarantined.map((q) => [q.line, q.text])).toEqual([
      [21, '{"event_id":"not-a-record"}'],
      [22, 'GARBAGE'],
      [23, '{"event_id":"0192'],
    ]);
    expect(quarantined[0].reason).toMatch(/^not a valid record of its stream: .*event_id: must match format "uuid"/);
    expect(quarantined[1].reason).toMatch(/^not JSON/);
    expect(quarantined[2].reason).toMatch(/^truncated: the line has no final newline/);
    expect(run.stderr).toMatch(/3 line\(s\) were not valid records/);
  });

  it('delivers every record once when two replays run at the same time', async () => {
    // Prepare: several spool files
    const ids = [...(await spoolAudit(300)), ...(await spoolAudit(300)), ...(await spoolAudit(300))];
    server = await startFakeFirehoseServer({ port: 0, latencyMs: 2 });
    const args = ['spool', 'replay', '--spool-dir', spoolDir, '--endpoint', server.endpoint, '--json'];
    // Act
    const runs = await Promise.all([fiat(args), fiat(args)]);
    // Assess: each event_id arrived exactly once, whichever replay sent it
    const arrived = server.records('fiat-audit').map((r) => r.event_id as string);
    expect(arrived.length).toBe(ids.length);
    expect(new Set(arrived)).toEqual(new Set(ids));
    const reports = runs.map((r) => JSON.parse(r.stdout));
    expect(reports.reduce((n, r) => n + r.delivered, 0)).toBe(ids.length + 3); // and three checkpoints
    expect(server.records('fiat-checkpoint')).toHaveLength(3);
    expect(await spoolFiles()).toEqual([]);
  });
});

describe('fiat spool replay: the spool folder', () => {
  // The same rule as the transport's (core's resolveSpoolDir, whose tests cover /tmp/fiat-spool in AWS Lambda);
  // the Lambda default is not run here, as it would read the machine's real /tmp/fiat-spool.
  it('resolves it as the transport does: FIAT_SPOOL_DIR, else .fiat/spool, an empty variable counting as unset', async () => {
    // Prepare
    const env = { FIAT_REGION: 'eu-west-1', AWS_ACCESS_KEY_ID: 'AKIDFAKE', AWS_SECRET_ACCESS_KEY: 'fake' };
    const replay = async (extra: Record<string, string>): Promise<string> => {
      const run = await runFiat(['spool', 'replay', '--json'], { cwd: dir, env: { ...env, ...extra } });
      return JSON.parse(run.stdout).spoolDir as string;
    };
    // Act
    const here = await replay({});
    const named = await replay({ AWS_LAMBDA_FUNCTION_NAME: 'orders-api', FIAT_SPOOL_DIR: spoolDir });
    const empty = await replay({ FIAT_SPOOL_DIR: '' });
    // Assess
    expect([here, named, empty]).toEqual([join(dir, '.fiat', 'spool'), spoolDir, join(dir, '.fiat', 'spool')]);
  });
});

describe('fiat spool replay progress', () => {
  it('draws progress and a final count on a terminal, and nothing on a pipe', async () => {
    const env = { FIAT_REGION: 'eu-west-1', AWS_ACCESS_KEY_ID: 'AKIDFAKE', AWS_SECRET_ACCESS_KEY: 'fake' };
    const tty = await runFiat(['spool', 'replay', '--spool-dir', spoolDir, '--json'], { cwd: dir, env, stderrIsTTY: true });
    const pipe = await runFiat(['spool', 'replay', '--spool-dir', spoolDir, '--json'], { cwd: dir, env, stderrIsTTY: false });
    expect(tty.code).toBe(0);
    expect(tty.stderr).toBe(`\r\x1b[2Kfiat spool: replaying spool files under ${spoolDir}…\r\x1b[2Kfiat spool: replayed 0 of 0 records from 0 file(s)\n`);
    expect(pipe.stderr).toBe('');
    expect(JSON.parse(pipe.stdout)).toMatchObject({ spoolDir, files: 0, records: 0 });
  });

  it('prints each file on a terminal as it is done, with its counts', async () => {
    // Prepare: two spool files, the second with a garbage line
    await spoolAudit(3);
    await spoolAudit(2);
    const [first, second] = (await spoolFiles()).sort();
    await appendFile(join(spoolDir, 'fiat-audit', second!), 'GARBAGE\n');
    server = await startFakeFirehoseServer({ port: 0 });
    const env = { FIAT_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'AKIDFAKE', AWS_SECRET_ACCESS_KEY: 'fake-secret' };
    // Act
    const run = await runFiat(['spool', 'replay', '--spool-dir', spoolDir, '--endpoint', server.endpoint, '--json'], { cwd: dir, env, stderrIsTTY: true });
    // Assess
    const lines = run.stderr.split('\n').map((line) => line.split('\r\x1b[2K').pop());
    // The Audit stream is chained: each logger also spooled its checkpoint, in the checkpoint stream's folder.
    const audit = lines.filter((line) => line?.startsWith('  fiat-audit/'));
    const checkpoints = lines.filter((line) => line?.startsWith('  fiat-checkpoint/'));
    expect(audit).toEqual([`  fiat-audit/${first}: 3 of 3 records resent`, `  fiat-audit/${second}: 2 of 3 records resent, 1 quarantined`]);
    expect(checkpoints.length).toBeGreaterThan(0);
    expect(checkpoints.every((line) => / 1 of 1 records resent$/.test(line!))).toBe(true);
    expect(lines).toContain(`fiat spool: replayed ${5 + checkpoints.length} of ${6 + checkpoints.length} records from ${2 + checkpoints.length} file(s)`);
    expect(run.stderr).toContain(`fiat spool: replaying spool files under ${spoolDir}… 1 file(s), 3 records resent so far`);
  });
});
