// The parent's side of the durable-mode SIGKILL tests: runs a child that prints "L <n>" after each log() returned
// and "F <n>" after a flush() covering n resolved, SIGKILLs it at a random moment, and says what it reported.
import { expect } from 'vitest';
import { startNode } from './child.js';

/** What a killed child reported before the kill (complete lines only). */
export interface KilledChild {
  /** The numbers whose log() had returned. */
  readonly logged: number[];
  /** The highest number covered by a flush() that resolved (-1 when none). */
  readonly flushedUpTo: number;
}

/**
 * Starts `node script ...args`, waits until it has printed `lines` lines, then `extraMs` more, and SIGKILLs it.
 *
 * @example
 * ```ts
 * const { logged, flushedUpTo } = await killAfter(script, [lakeDir, walDir, '5'], 300, 7);
 * ```
 */
export async function killAfter(script: string, args: readonly string[], lines: number, extraMs: number): Promise<KilledChild> {
  const { child, done } = startNode(script, args);
  let seen = 0;
  let killing = false;
  child.stdout!.on('data', (chunk: string) => {
    for (let at = chunk.indexOf('\n'); at !== -1; at = chunk.indexOf('\n', at + 1)) seen += 1;
    if (!killing && seen >= lines) {
      killing = true;
      setTimeout(() => child.kill('SIGKILL'), extraMs);
    }
  });
  const result = await done;
  expect(result.signal, result.stderr).toBe('SIGKILL');
  const complete = result.stdout.slice(0, result.stdout.lastIndexOf('\n') + 1).split('\n');
  const logged = complete.filter((line) => line.startsWith('L ')).map((line) => Number(line.slice(2)));
  const flushed = complete.filter((line) => line.startsWith('F ')).map((line) => Number(line.slice(2)));
  return { logged, flushedUpTo: flushed.length === 0 ? -1 : Math.max(...flushed) };
}

/**
 * Checks what was delivered after the restart against what the child reported: every record whose log() returned
 * is there (so, a fortiori, every one a resolved flush() covered), and copies of one record are byte-identical.
 * `stored` maps each delivered line to its number.
 */
export function expectEveryLoggedRecord(killed: KilledChild, stored: readonly { n: number; line: string }[], label: string): void {
  const byN = new Map<number, Set<string>>();
  for (const { n, line } of stored) byN.set(n, (byN.get(n) ?? new Set()).add(line));
  expect(killed.logged.length, label).toBeGreaterThan(0);
  expect(killed.logged.filter((n) => !byN.has(n)), `${label}: logged but not delivered`).toEqual([]);
  const flushed = killed.logged.filter((n) => n <= killed.flushedUpTo);
  expect(flushed.filter((n) => !byN.has(n)), `${label}: flushed but not delivered`).toEqual([]);
  expect([...byN].filter(([, lines]) => lines.size > 1).map(([n]) => n), `${label}: copies that differ`).toEqual([]);
}
