import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FiatError } from '../errors.js';
import type { FirehoseBatchClient, PutRecordBatchInput } from './options.js';
import { replaySpool, type ReplayedFile } from './replaySpool.js';
import { acquireSpoolLock } from './SpoolLock.js';

let spoolDir: string;
beforeEach(async () => {
  spoolDir = await mkdtemp(join(tmpdir(), 'fiat-replay-'));
});
afterEach(async () => {
  await rm(spoolDir, { recursive: true, force: true });
});

/** A client that records every line it receives; `failLines` are answered with an ErrorCode. */
function recordingClient(options: { failLines?: (line: string) => boolean; gate?: Promise<void> } = {}) {
  const lines: string[] = [];
  const client: FirehoseBatchClient = {
    async putRecordBatch(input: PutRecordBatchInput) {
      await options.gate;
      return {
        RequestResponses: input.Records.map((r) => {
          const text = Buffer.from(r.Data).toString('utf8');
          if (options.failLines?.(text)) return { ErrorCode: 'InternalFailure', ErrorMessage: 'no' };
          lines.push(...text.split('\n').filter((l) => l !== ''));
          return { RecordId: 'r' };
        }),
      };
    },
  };
  return { client, lines };
}

async function spoolFile(stream: string, name: string, text: string): Promise<string> {
  await mkdir(join(spoolDir, stream), { recursive: true });
  const path = join(spoolDir, stream, name);
  await writeFile(path, text);
  return path;
}

const good = (i: number) => `{"event_id":"id-${i}"}\n`;
const goods = (from: number, to: number) => Array.from({ length: to - from }, (_, k) => good(from + k)).join('');

describe('replaySpool', () => {
  it("quarantines a truncated and a garbage line, with the reason, and still delivers the file's good lines", async () => {
    // Prepare
    await spoolFile('fiat-audit', 'a.ndjson', `${goods(0, 3)}GARBAGE\n${goods(3, 5)}{"event_id":"id-`);
    const { client, lines } = recordingClient();
    const errors: FiatError[] = [];
    // Act
    const report = await replaySpool({ client, spoolDir, onError: (e) => errors.push(e) });
    // Assess
    expect(lines).toEqual(goods(0, 5).trim().split('\n'));
    expect(report).toMatchObject({ files: 1, filesRemoved: 1, records: 7, delivered: 5, failed: 0, rejected: 2, remainingFiles: [] });
    expect(report.rejectedFiles).toEqual([join(spoolDir, 'fiat-audit', 'rejected', 'a.ndjson')]);
    const quarantined = (await readFile(report.rejectedFiles[0]!, 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
    expect(quarantined.map((q) => [q.line, q.text, q.reason.split(/[:(]/)[0].trim()])).toEqual([
      [4, 'GARBAGE', 'not JSON'],
      [7, '{"event_id":"id-', 'truncated'],
    ]);
    expect(errors.map((e) => e.code)).toEqual(['VALIDATION_FAILED']);
    expect(await readdir(join(spoolDir, 'fiat-audit'))).toEqual(['rejected']);
  });

  it('does not let one oversize line block the other files', async () => {
    // Prepare
    await spoolFile('fiat-audit', 'a.ndjson', `${good(0)}{"pad":"${'x'.repeat(1_100_000)}"}\n${good(1)}`);
    await spoolFile('fiat-audit', 'b.ndjson', goods(2, 4));
    const { client, lines } = recordingClient();
    // Act
    const report = await replaySpool({ client, spoolDir });
    // Assess
    expect(lines.sort()).toEqual(goods(0, 4).trim().split('\n').sort());
    expect(report).toMatchObject({ files: 2, filesRemoved: 2, delivered: 4, rejected: 1 });
  });

  it('lets two replays at once send each file once', async () => {
    // Prepare: the first replay's calls wait until both replays have started
    for (let f = 0; f < 4; f++) await spoolFile('fiat-audit', `${f}.ndjson`, goods(f * 100, f * 100 + 100));
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const { client, lines } = recordingClient({ gate });
    // Act
    const both = Promise.all([replaySpool({ client, spoolDir }), replaySpool({ client, spoolDir })]);
    setImmediate(open);
    const reports = await both;
    // Assess
    expect(lines.length).toBe(400);
    expect(new Set(lines).size).toBe(400);
    expect(reports.map((r) => r.delivered).sort()).toEqual([0, 400]);
    expect(reports.find((r) => r.delivered === 0)!.lockedStreams).toEqual(['fiat-audit']);
  });

  it('skips a stream folder another replay holds, and says so', async () => {
    // Prepare
    await spoolFile('fiat-audit', 'a.ndjson', goods(0, 2));
    await spoolFile('fiat-other', 'a.ndjson', goods(2, 3));
    const held = await acquireSpoolLock(join(spoolDir, 'fiat-audit'));
    const { client, lines } = recordingClient();
    const errors: FiatError[] = [];
    // Act
    const report = await replaySpool({ client, spoolDir, onError: (e) => errors.push(e) });
    // Assess
    expect(held.acquired).toBe(true);
    expect(lines).toEqual([good(2).trim()]);
    expect(report).toMatchObject({ lockedStreams: ['fiat-audit'], delivered: 1 });
    expect(errors[0]!.message).toMatch(/^spool replay skipped .*fiat-audit: another replay \(pid \d+ on .*\) holds its lock .*\.lock$/);
  });

  it('rewrites a file with only the records left when some were not acknowledged', async () => {
    // Prepare
    const path = await spoolFile('fiat-audit', 'a.ndjson', goods(0, 4));
    const failing = recordingClient({ failLines: (text) => text.includes('id-2') });
    // Act
    const first = await replaySpool({ client: failing.client, spoolDir, packing: false, retry: { maxAttempts: 1 } });
    const left = await readFile(path, 'utf8');
    const second = await replaySpool({ client: recordingClient().client, spoolDir });
    // Assess
    expect(first).toMatchObject({ delivered: 3, failed: 1, remainingFiles: [path] });
    expect(left).toBe(good(2));
    expect(second).toMatchObject({ delivered: 1, records: 1, remainingFiles: [] });
  });

  it('tells onFile about each file as it is done: records, delivered, rejected', async () => {
    // Prepare: a clean file, a file with a garbage line, a file whose third record is refused
    const clean = await spoolFile('fiat-audit', 'a.ndjson', goods(0, 3));
    const dirty = await spoolFile('fiat-audit', 'b.ndjson', `${goods(3, 5)}GARBAGE\n`);
    const failing = await spoolFile('fiat-orders', 'c.ndjson', goods(10, 13));
    const { client } = recordingClient({ failLines: (text) => text.includes('id-12') });
    const files: ReplayedFile[] = [];
    // Act
    const report = await replaySpool({ client, spoolDir, packing: false, retry: { maxAttempts: 1 }, onFile: (file) => files.push(file) });
    // Assess
    expect(files).toEqual([
      { path: clean, records: 3, delivered: 3, rejected: 0 },
      { path: dirty, records: 3, delivered: 2, rejected: 1 },
      { path: failing, records: 3, delivered: 2, rejected: 0 },
    ]);
    expect(report).toMatchObject({ files: 3, records: 9, delivered: 7, rejected: 1, failed: 1 });
  });

  it('ignores an onFile that throws', async () => {
    await spoolFile('fiat-audit', 'a.ndjson', goods(0, 2));
    const report = await replaySpool({
      client: recordingClient().client,
      spoolDir,
      onFile: () => {
        throw new Error('progress broke');
      },
    });
    expect(report).toMatchObject({ delivered: 2, filesRemoved: 1 });
  });

  it("checks each record with its delivery stream's validator", async () => {
    await spoolFile('fiat-audit', 'a.ndjson', `${good(0)}{"other":1}\n`);
    const { client, lines } = recordingClient();
    const report = await replaySpool({
      client,
      spoolDir,
      validators: { 'fiat-audit': (record) => (typeof record.event_id === 'string' ? undefined : 'event_id: is required') },
    });
    expect(lines).toEqual([good(0).trim()]);
    expect(report).toMatchObject({ delivered: 1, rejected: 1 });
  });
});
