import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { bundleScript } from '../test-helpers/child.js';
import { listFiles, tempDir } from '../test-helpers/lake.js';
import { expectEveryLoggedRecord, killAfter } from '../test-helpers/walKill.js';
import '../durable/index.js';
import { ValidatedLog } from '../ValidatedLog.js';

const TRIALS = 24;

/** Every line of every `.gz` in the lake, with its number: throws on a partial file. */
async function storedLines(lakeDir: string): Promise<{ n: number; line: string }[]> {
  const stored: { n: number; line: string }[] = [];
  for (const file of (await listFiles(lakeDir)).filter((f) => f.endsWith('.gz'))) {
    const text = gunzipSync(await readFile(join(lakeDir, file))).toString('utf8');
    expect(text.endsWith('\n'), file).toBe(true);
    for (const line of text.slice(0, -1).split('\n')) stored.push({ n: (JSON.parse(line) as { n: number }).n, line });
  }
  return stored;
}

describe("durability 'disk': SIGKILL at random moments while logging continuously to the local lake", () => {
  it(`delivers, after the next configure, every record whose log() returned — group commit and walSyncMs 0 (${TRIALS} kills)`, async () => {
    const script = await bundleScript('walCrashChild');
    const trials = Array.from({ length: TRIALS }, (_, i) => ({
      i,
      walSyncMs: i % 2 === 0 ? 0 : 5,
      // fdatasync in every log() is slow on a loaded disk: those children are killed sooner.
      lines: 20 + Math.floor(Math.random() * (i % 2 === 0 ? 400 : 1500)),
      extraMs: Math.floor(Math.random() * 20),
    }));
    const run = async (trial: (typeof trials)[number]): Promise<void> => {
      const lakeDir = await tempDir(`fiat-walcrash-${trial.i}-`);
      const walDir = await tempDir(`fiat-walcrash-wal-${trial.i}-`);
      const killed = await killAfter(script, [lakeDir, walDir, String(trial.walSyncMs)], trial.lines, trial.extraMs);
      // The application starts again: configure on the same folder delivers what the killed process left.
      const next = ValidatedLog.configure('local', { app: 'crash', email: 'crash@example.com', lakeDir, durability: 'disk', walDir });
      const recovered = next.stats().wal!.recovered;
      const report = await next.close();
      const label = `trial ${JSON.stringify(trial)} in ${lakeDir} (recovered ${recovered})`;
      expect(report.undelivered, label).toBe(0);
      expectEveryLoggedRecord(killed, await storedLines(lakeDir), label);
      expect((await listFiles(join(walDir, 'crash'))).filter((f) => f.endsWith('.wal')), label).toEqual([]);
    };
    // Four children at a time: each mostly waits (start-up, fsync), which bounds the wall time on a small machine.
    for (let at = 0; at < trials.length; at += 4) await Promise.all(trials.slice(at, at + 4).map(run));
  }, 180_000);
});
