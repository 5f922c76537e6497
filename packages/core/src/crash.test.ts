import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { bundleScript, startNode } from './test-helpers/child.js';
import { ChildEvents as Events } from './test-helpers/childStream.js';
import { listFiles, tempDir } from './test-helpers/lake.js';
import { queryLake } from './test-helpers/lakeQuery.js';

const TRIALS = 20;

/** Runs the crash child until it has printed `flushes` lines, waits `extraMs`, then SIGKILLs it. Returns the numbers it reported flushed. */
async function killDuring(script: string, lakeDir: string, flushes: number, extraMs: number): Promise<number[]> {
  const { child, done } = startNode(script, [lakeDir]);
  let seen = '';
  let killing = false;
  child.stdout!.on('data', (chunk: string) => {
    seen += chunk;
    if (!killing && seen.split('\n').length - 1 >= flushes) {
      killing = true;
      setTimeout(() => child.kill('SIGKILL'), extraMs);
    }
  });
  const result = await done;
  expect(result.signal, result.stderr).toBe('SIGKILL');
  // Only complete lines count: a line cut by the kill was not fully reported.
  const complete = result.stdout.slice(0, result.stdout.lastIndexOf('\n') + 1);
  return complete.split('\n').filter((line) => line.startsWith('flushed ')).flatMap((line) => line.slice(8).split(',').map(Number));
}

/** Every `.gz` in the lake, gunzipped and parsed line by line: throws on any partial file. */
async function parseEveryFile(lakeDir: string): Promise<number[]> {
  const files = (await listFiles(lakeDir)).filter((f) => f.endsWith('.gz'));
  const numbers: number[] = [];
  for (const file of files) {
    const text = gunzipSync(await readFile(join(lakeDir, file))).toString('utf8');
    expect(text.endsWith('\n'), file).toBe(true);
    for (const line of text.slice(0, -1).split('\n')) numbers.push((JSON.parse(line) as { n: number }).n);
  }
  return numbers;
}

describe('SIGKILL at random moments while logging continuously', () => {
  it(`never leaves a partial file in the lake, and keeps every record whose flush() resolved (${TRIALS} trials)`, async () => {
    const script = await bundleScript('crashChild');
    const trials = Array.from({ length: TRIALS }, (_, i) => ({ i, flushes: 1 + Math.floor(Math.random() * 6), extraMs: Math.floor(Math.random() * 25) }));
    // Four children at a time: each mostly waits (startup, fsync), so this bounds the wall time on a small machine.
    const run = async (trial: (typeof trials)[number]): Promise<void> => {
      const lakeDir = await tempDir(`fiat-crash-${trial.i}-`);
      const flushed = await killDuring(script, lakeDir, trial.flushes, trial.extraMs);
      const inFiles = await parseEveryFile(lakeDir);
      const label = `trial ${JSON.stringify(trial)} in ${lakeDir}`;
      expect(flushed.length, label).toBeGreaterThan(0);
      const stored = new Set(inFiles);
      expect(flushed.filter((n) => !stored.has(n)), label).toEqual([]);
      const [row] = await queryLake(lakeDir, Events, 'SELECT count(*)::INTEGER AS n, count(DISTINCT n)::INTEGER AS distinct_n FROM t');
      expect(row, label).toEqual({ n: inFiles.length, distinct_n: stored.size });
    };
    for (let at = 0; at < trials.length; at += 4) await Promise.all(trials.slice(at, at + 4).map(run));
  }, 120_000);
});
