import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

/** Inside the package, so that the `require('zod')`/`require('ajv')` Fiat makes lazily resolve from node_modules. */
const BUNDLE_ROOT = fileURLToPath(new URL('../../node_modules/.cache/fiat-test-children/', import.meta.url));

const bundles = new Map<string, Promise<string>>();

/**
 * Bundles a TypeScript script of `test-helpers/` from the sources (the `@fiat/source` condition,
 * as vitest runs them) into one `.mjs` file that a plain `node` child can run: no build of the
 * packages needed, and never a stale `dist`.
 */
export function bundleScript(name: string): Promise<string> {
  let bundled = bundles.get(name);
  if (bundled === undefined) {
    bundled = (async () => {
      await mkdir(BUNDLE_ROOT, { recursive: true });
      const outfile = join(BUNDLE_ROOT, `${name}.mjs`);
      const result = await build({
        entryPoints: [fileURLToPath(new URL(`./${name}.ts`, import.meta.url))],
        outfile,
        write: false,
        bundle: true,
        platform: 'node',
        format: 'esm',
        target: 'node20',
        conditions: ['@fiat/source'],
        external: ['@aws-sdk/*', '@duckdb/*'],
        logLevel: 'error',
      });
      // Written aside and renamed, so that a worker bundling the same script at the same time never reads half a file.
      const tmp = `${outfile}.${process.pid}.tmp`;
      await writeFile(tmp, result.outputFiles[0]!.contents);
      await rename(tmp, outfile);
      return outfile;
    })();
    bundles.set(name, bundled);
  }
  return bundled;
}

/** What a child process did. */
export interface ChildResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Starts `node <script> ...args`; `done` settles when it has exited and its output is read. */
export function startNode(script: string, args: readonly string[]): { child: ChildProcess; done: Promise<ChildResult> } {
  const child = spawn(process.execPath, [script, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const done = new Promise<ChildResult>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return { child, done };
}
