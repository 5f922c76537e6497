import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

/** The core package's `src` folder, for child scripts to import sources by absolute path. */
export const CORE_SRC = fileURLToPath(new URL('..', import.meta.url));

const folders: string[] = [];

/** Removes the folders of every bundle run so far (call it in `afterAll`). */
export async function removeBundles(): Promise<void> {
  for (const dir of folders.splice(0)) await rm(dir, { recursive: true, force: true });
}

/** What a child process printed and how it ended. */
export interface ChildRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** The folder the bundle ran in (no node_modules anywhere above it). */
  readonly dir: string;
}

/**
 * Bundles a TypeScript script (which may import core's sources through `CORE_SRC`) with esbuild into
 * a fresh folder under the OS temp folder, leaving `external` imports unbundled — so that they cannot
 * be resolved there — and runs it with plain `node`.
 */
export async function runBundled(script: string, options: { readonly external?: readonly string[]; readonly args?: readonly string[] } = {}): Promise<ChildRun> {
  const dir = await mkdtemp(join(tmpdir(), 'fiat-child-'));
  folders.push(dir);
  const entry = join(dir, 'entry.ts');
  await writeFile(entry, script);
  const outfile = join(dir, 'bundle.mjs');
  await build({ entryPoints: [entry], outfile, bundle: true, platform: 'node', format: 'esm', target: 'node20', external: [...(options.external ?? [])], logLevel: 'silent' });
  return new Promise((resolve) => {
    execFile(process.execPath, [outfile, ...(options.args ?? [])], { cwd: dir, timeout: 60_000 }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof (error as { code?: unknown }).code === 'number' ? ((error as { code: number }).code) : null;
      resolve({ code, stdout, stderr, dir });
    });
  });
}
