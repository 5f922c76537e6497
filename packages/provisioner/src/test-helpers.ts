import { mkdir, mkdtemp, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { main } from './cli.js';
import type { CliContext } from './command.js';

/** A CLI context that captures output, for tests. */
export function captureContext(cwd: string, env: Record<string, string | undefined> = {}): CliContext & { out: string; err: string } {
  const context = {
    cwd,
    env,
    out: '',
    err: '',
    stdout: (text: string) => {
      context.out += text;
    },
    stderr: (text: string) => {
      context.err += text;
    },
  };
  return context;
}

/** What one `fiat` run printed and returned. */
export interface FiatRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Waits at most 50 ms whatever is asked: polling commands stay quick in tests. */
export const shortSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, Math.min(ms, 50)));

/** A clock that moves only when slept on: `sleep(ms)` advances `now()` by `ms` at once and records `ms`. */
export interface VirtualClock {
  now(): number;
  sleep(ms: number): Promise<void>;
  /** Every sleep asked for, in order. */
  readonly sleeps: number[];
  /** Moves the clock without sleeping (a slow call). */
  advance(ms: number): void;
}

/** A {@link VirtualClock} starting at `start`. */
export function virtualClock(start = 1_000_000): VirtualClock {
  let time = start;
  const sleeps: number[] = [];
  return {
    now: () => time,
    sleep: async (ms) => {
      sleeps.push(ms);
      time += ms;
    },
    sleeps,
    advance: (ms) => {
      time += ms;
    },
  };
}

/** Runs `fiat` in-process with `env` only (never the test process's environment) and captures its output. */
export async function runFiat(
  argv: readonly string[],
  options: {
    readonly cwd: string;
    readonly env: Record<string, string | undefined>;
    readonly sleep?: (ms: number) => Promise<void>;
    readonly now?: () => number;
    readonly stderrIsTTY?: boolean;
  },
): Promise<FiatRun> {
  const context = captureContext(options.cwd, options.env);
  const code = await main(argv, {
    ...context,
    sleep: options.sleep ?? shortSleep,
    ...(options.now !== undefined ? { now: options.now } : {}),
    ...(options.stderrIsTTY !== undefined ? { stderrIsTTY: options.stderrIsTTY } : {}),
  });
  return { code, stdout: context.out, stderr: context.err };
}

/** The repository's root folder. */
export const repoRoot = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..');

/**
 * A temporary application folder, as `npm install @fiat/core zod` leaves it: `node_modules/@fiat/core`
 * and `node_modules/zod` link to this repository's copies. `files` are written relative to it.
 */
export async function tempProject(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'fiat-app-'));
  await mkdir(join(dir, 'node_modules', '@fiat'), { recursive: true });
  await symlink(join(repoRoot, 'packages', 'core'), join(dir, 'node_modules', '@fiat', 'core'), 'dir');
  await symlink(join(repoRoot, 'node_modules', 'zod'), join(dir, 'node_modules', 'zod'), 'dir');
  for (const [path, text] of Object.entries(files)) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), text);
  }
  return dir;
}
