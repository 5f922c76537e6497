import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { startFakeIamServer, type FakeIamServer } from '@fiat/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installCliWarnings, nodeDeprecationNotice, oneLineWarning } from './processWarnings.js';

const run = promisify(execFile);
const packageDir = fileURLToPath(new URL('..', import.meta.url));
const onOldNode = Number(process.versions.node.split('.')[0]) < 22;
const notice = `fiat: Node ${process.versions.node} is deprecated; Fiat supports Node 22 and 24\n`;

let cacheDir: string;
let cli: string;
let iam: FakeIamServer;

// The CLI as its executable runs it (run() from cli.ts), bundled from the sources so the test
// needs no build; packages stay external and resolve from the repository's node_modules.
beforeAll(async () => {
  await mkdir(join(packageDir, 'node_modules', '.cache'), { recursive: true });
  cacheDir = await mkdtemp(join(packageDir, 'node_modules', '.cache', 'fiat-cli-test-'));
  cli = join(cacheDir, 'fiat.mjs');
  await build({
    stdin: { contents: "import { run } from './src/cli.ts';\nprocess.exitCode = await run(process.argv.slice(2));\n", resolveDir: packageDir, loader: 'ts' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    outfile: cli,
    logLevel: 'silent',
  });
  iam = await startFakeIamServer();
});
afterAll(async () => {
  await iam?.close();
  if (cacheDir !== undefined) await rm(cacheDir, { recursive: true, force: true });
});

async function fiat(args: string[], env: Record<string, string> = {}): Promise<{ stdout: string; stderr: string }> {
  const home = await mkdtemp(join(tmpdir(), 'fiat-child-'));
  try {
    // A clean environment: no inherited AWS settings, no NODE_OPTIONS from the test runner.
    return await run(process.execPath, [cli, ...args], { cwd: home, env: { PATH: process.env.PATH ?? '', HOME: home, ...env } });
  } finally {
    await rm(home, { recursive: true, force: true });
  }
}

describe('the fiat process', () => {
  it('prints its version with --version and -v, and the Node deprecation notice once on Node < 22', async () => {
    const { version } = JSON.parse(await readFile(join(packageDir, 'package.json'), 'utf8')) as { version: string };
    for (const flag of ['--version', '-v']) {
      const out = await fiat([flag]);
      expect(out.stdout).toBe(`${version}\n`);
      expect(out.stderr).toBe(onOldNode ? notice : '');
    }
  });

  it("turns the AWS SDK's multi-line Node warning into at most one line", async () => {
    // Act: a command that loads an AWS SDK client
    const out = await fiat(['iam', 'Audit', '--apply'], {
      FIAT_REGION: 'eu-west-1',
      FIAT_BUCKET: 'acme-lake',
      FIAT_ROLE_ARN: 'arn:aws:iam::123456789012:role/fiat-firehose',
      FIAT_IAM_ENDPOINT: iam.endpoint,
      AWS_ACCESS_KEY_ID: 'AKIDFAKE',
      AWS_SECRET_ACCESS_KEY: 'fake-secret',
    });
    // Assess
    expect(out.stdout).toBe('created role fiat-firehose; wrote inline policy fiat-audit-delivery\n');
    const lines = out.stderr.split('\n').filter((line) => line !== '');
    expect(lines.every((line) => line.startsWith('fiat: '))).toBe(true);
    expect(out.stderr).not.toContain('(node:');
    const sdkWarnings = lines.filter((line) => line.includes('NodeVersionSupportWarning'));
    expect(sdkWarnings).toHaveLength(onOldNode ? 1 : 0);
    if (onOldNode) {
      expect(sdkWarnings[0]).toMatch(/^fiat: warning: NodeVersionSupportWarning: The AWS SDK for JavaScript \(v3\) versions published after .* You are running node v[\d.]+\.$/);
      expect(lines).toEqual([notice.trimEnd(), sdkWarnings[0]]);
    }
  });
});

describe('warning lines', () => {
  it('keeps the name and the first paragraph, on one line', () => {
    const warning = Object.assign(new Error('The punycode module\nis deprecated.\n\nPlease use a userland alternative.'), { name: 'DeprecationWarning' });
    expect(oneLineWarning(warning)).toBe('DeprecationWarning: The punycode module is deprecated.');
    expect(oneLineWarning(Object.assign(new Error('plain'), { name: 'Warning' }))).toBe('plain');
  });

  it('prints each distinct warning once, through the handler only', () => {
    const listeners: ((warning: Error) => void)[] = [() => undefined];
    const proc = {
      version: 'v24.1.0',
      on: (_event: 'warning', listener: (warning: Error) => void) => listeners.push(listener),
      removeAllListeners: () => listeners.splice(0),
    };
    const written: string[] = [];
    installCliWarnings(proc, (text) => written.push(text));
    for (const listener of listeners) for (let i = 0; i < 2; i++) listener(Object.assign(new Error('a\nb'), { name: 'ExperimentalWarning' }));
    expect(listeners).toHaveLength(1);
    expect(written).toEqual(['fiat: warning: ExperimentalWarning: a b\n']);
  });

  it('says Node 20 is deprecated, not 22 or 24', () => {
    expect(nodeDeprecationNotice('v20.19.0')).toBe('fiat: Node 20.19.0 is deprecated; Fiat supports Node 22 and 24');
    expect(nodeDeprecationNotice('v22.11.0')).toBeUndefined();
    expect(nodeDeprecationNotice('v24.0.0')).toBeUndefined();
  });
});
