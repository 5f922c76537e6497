import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { ValidatedLog } from '@fiat/core';
import '@fiat/core/durable';
import { firehoseTransport } from '@fiat/core/firehose';
import { startFakeFirehoseServer } from '../firehose/server.js';

// Inside the package, so that the child's `@aws-sdk/client-firehose` (left out of the bundle) resolves from node_modules.
const BUNDLE_DIR = fileURLToPath(new URL('../../node_modules/.cache/fiat-durable-child/', import.meta.url));
const TRIALS = 20;
const folders: string[] = [];
afterAll(async () => {
  for (const dir of folders.splice(0)) await rm(dir, { recursive: true, force: true });
});

async function tempDir(prefix: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  folders.push(dir);
  return dir;
}

/** Bundles the child from the sources (the `@fiat/source` condition, as vitest runs them) into one `.mjs`. */
async function bundleChild(): Promise<string> {
  await mkdir(BUNDLE_DIR, { recursive: true });
  const outfile = join(BUNDLE_DIR, 'durableChild.mjs');
  const result = await build({
    entryPoints: [fileURLToPath(new URL('./durableChild.ts', import.meta.url))],
    write: false,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    conditions: ['@fiat/source'],
    external: ['@aws-sdk/*'],
    logLevel: 'error',
  });
  const tmp = `${outfile}.${process.pid}.tmp`;
  await writeFile(tmp, result.outputFiles[0]!.contents);
  await rename(tmp, outfile);
  return outfile;
}

/** Runs the child until it printed `lines` lines, then `extraMs` more, and SIGKILLs it; returns what it reported. */
function killAfter(script: string, args: readonly string[], lines: number, extraMs: number): Promise<{ logged: number[]; flushedUpTo: number }> {
  const child = spawn(process.execPath, [script, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  let killing = false;
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
    if (!killing && stdout.split('\n').length > lines) {
      killing = true;
      setTimeout(() => child.kill('SIGKILL'), extraMs);
    }
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (_code, signal) => {
      if (signal !== 'SIGKILL') return reject(new Error(`the child ended with ${String(signal ?? _code)}: ${stderr.slice(-2000)}`));
      const complete = stdout.slice(0, stdout.lastIndexOf('\n') + 1).split('\n');
      const flushed = complete.filter((l) => l.startsWith('F ')).map((l) => Number(l.slice(2)));
      resolve({ logged: complete.filter((l) => l.startsWith('L ')).map((l) => Number(l.slice(2))), flushedUpTo: Math.max(-1, ...flushed) });
    });
  });
}

describe("durability 'disk' through the Firehose transport: SIGKILL at random moments (fake Firehose server in this process)", () => {
  it(`delivers, after the next configure, every record whose log() returned — with throttling and lost responses (${TRIALS} kills)`, async () => {
    const script = await bundleChild();
    const trials = Array.from({ length: TRIALS }, (_, i) => ({
      i,
      walSyncMs: i % 2 === 0 ? 0 : 5,
      lines: 20 + Math.floor(Math.random() * (i % 2 === 0 ? 400 : 1500)),
      extraMs: Math.floor(Math.random() * 20),
    }));
    const run = async (trial: (typeof trials)[number]): Promise<void> => {
      const server = await startFakeFirehoseServer({ port: 0, seed: trial.i + 1, faults: { failRecordRate: 0.05, loseResponseRate: 0.05, throttleRate: 0.05 } });
      try {
        const [walDir, spoolDir] = [await tempDir('fiat-durable-wal-'), await tempDir('fiat-durable-spool-')];
        const killed = await killAfter(script, [server.endpoint, walDir, spoolDir, String(trial.walSyncMs)], trial.lines, trial.extraMs);
        // The application starts again: configure on the same folders delivers what the killed process left.
        server.faults.failRecordRate = 0;
        server.faults.loseResponseRate = 0;
        server.faults.throttleRate = 0;
        const next = ValidatedLog.configure(firehoseTransport, {
          app: 'durable',
          email: 'durable@example.com',
          clientConfig: { endpoint: server.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } },
          spoolDir,
          replaySpoolOnStart: true,
          durability: 'disk',
          walDir,
        });
        await next.close();
        const label = `trial ${JSON.stringify(trial)}`;
        const byN = new Map<number, Set<string>>();
        for (const record of server.fake.stored) {
          for (const line of record.data.toString('utf8').split('\n').filter(Boolean)) {
            const n = (JSON.parse(line) as { n: number }).n;
            byN.set(n, (byN.get(n) ?? new Set()).add(line));
          }
        }
        expect(killed.logged.length, label).toBeGreaterThan(0);
        expect(killed.logged.filter((n) => !byN.has(n)), `${label}: logged but not delivered`).toEqual([]);
        expect(killed.logged.filter((n) => n <= killed.flushedUpTo && !byN.has(n)), `${label}: flushed but not delivered`).toEqual([]);
        expect([...byN].filter(([, copies]) => copies.size > 1).map(([n]) => n), `${label}: copies that differ`).toEqual([]);
        expect((await readdir(join(walDir, 'durable'))).filter((f) => f.endsWith('.wal')), label).toEqual([]);
      } finally {
        await server.close();
      }
    };
    for (let at = 0; at < trials.length; at += 4) await Promise.all(trials.slice(at, at + 4).map(run));
  }, 180_000);
});
