// Packages ready to publish, checked on what `npm pack` produces (run after `npm run build`):
// 1. each tarball's file list against an allow-list (dist, README, LICENSE, CHANGELOG; no sources, tests,
//    test helpers, tsbuildinfo or source maps);
// 2. publint --strict and attw (@arethetypeswrong/cli: no problem in any resolution mode);
// 3. a user's project (scripts/consumer/usage.ts) installed from the tarballs (npm, offline when the cache
//    has everything) type-checks under module commonjs, nodenext (ESM and CommonJS files) and bundler, and
//    the commonjs and nodenext builds run with plain node, logging into a local lake.
import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = (name) => join(root, 'node_modules', '.bin', name);
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
const work = mkdtempSync(join(tmpdir(), 'fiat-packages-'));
const started = Date.now();
const step = (text) => process.stdout.write(`${text} (${((Date.now() - started) / 1000).toFixed(0)} s)\n`);

/** What a tarball may contain, besides what a package adds. */
const ALLOWED = [/^package\.json$/, /^README\.md$/, /^LICENSE$/, /^CHANGELOG\.md$/, /^dist\/[\w.-]+\.(mjs|cjs|d\.mts|d\.cts)$/];
const ALLOWED_EXTRA = {
  '@fiat/core': [/^cjs\/(ajvCompiler|validatorRuntime)\.(cjs|d\.cts)$/],
  '@fiat/provisioner': [/^bin\/fiat\.js$/],
};

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { encoding: 'utf8', ...options });
  if (result.status !== 0) {
    throw new Error(`${[command, ...args].join(' ')} failed (exit ${result.status}):\n${result.stdout}\n${result.stderr}`);
  }
  return result.stdout;
}

function pack() {
  const dir = join(work, 'pack');
  mkdirSync(dir);
  const out = run('npm', ['pack', '--workspace', 'packages', '--pack-destination', dir, '--json', '--ignore-scripts'], { cwd: root });
  return JSON.parse(out).map((p) => ({ name: p.name, tarball: join(dir, p.filename), files: p.files.map((f) => f.path) }));
}

function checkFileList({ name, files }) {
  const allowed = [...ALLOWED, ...(ALLOWED_EXTRA[name] ?? [])];
  const unexpected = files.filter((file) => !allowed.some((pattern) => pattern.test(file)));
  assert.deepEqual(unexpected, [], `${name} would publish files outside its allow-list`);
  for (const required of ['package.json', 'README.md', 'LICENSE']) assert.ok(files.includes(required), `${name} lacks ${required}`);
}

/** Like {@link run}, without blocking: the lints of the five packages run beside the consumer install. */
function runAsync(command, args, options = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(output) : reject(new Error(`${[command, ...args].join(' ')} failed (exit ${code}):\n${output}`))));
  });
}

async function checkLints({ name, tarball }) {
  await runAsync(bin('publint'), ['--strict', join(root, 'packages', name.split('/')[1])]);
  await runAsync(bin('attw'), [tarball, '--format', 'ascii']);
  step(`${name}: publint --strict ok, attw ok (no problem in any resolution mode)`);
}

/** A project that depends on every tarball, installed by npm (offline when its cache has all). */
async function installConsumer(packages) {
  const app = join(work, 'app');
  mkdirSync(app);
  const version = (name) => JSON.parse(readFileSync(join(root, 'node_modules', name, 'package.json'), 'utf8')).version;
  const dependencies = Object.fromEntries(packages.map((p) => [p.name, `file:${p.tarball}`]));
  dependencies['@types/node'] = version('@types/node');
  dependencies.zod = version('zod');
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'fiat-consumer', private: true, dependencies }, null, 2));
  await runAsync('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts', '--loglevel=error'], { cwd: app });
  return app;
}

// skipLibCheck is off in the commonjs project only: it checks Fiat's declarations (and the SDK's, which is slow) once.
const COMMON = { strict: true, target: 'es2022', lib: ['es2023'], types: ['node'], skipLibCheck: true, esModuleInterop: true };
const PROJECTS = [
  { name: 'commonjs', options: { module: 'commonjs', skipLibCheck: false }, files: { 'usage.ts': 'usage', 'main.ts': './usage' }, run: ['main.js'] },
  {
    name: 'nodenext',
    options: { module: 'nodenext' },
    files: { 'usage.mts': 'usage', 'main.mts': './usage.mjs', 'usage.cts': 'usage', 'main.cts': './usage.cjs' },
    run: ['main.mjs', 'main.cjs'],
  },
  { name: 'bundler', options: { module: 'preserve', moduleResolution: 'bundler', noEmit: true }, files: { 'usage.ts': 'usage' }, run: [] },
];

function checkProject(app, project) {
  const dir = join(app, project.name);
  mkdirSync(dir);
  for (const [file, what] of Object.entries(project.files)) {
    if (what === 'usage') copyFileSync(join(root, 'scripts', 'consumer', 'usage.ts'), join(dir, file));
    else writeFileSync(join(dir, file), `import { useFiat } from '${what}';\nuseFiat(process.argv[2] ?? '').then((line) => process.stdout.write(\`\${line}\\n\`));\n`);
  }
  const tsconfig = { compilerOptions: { ...COMMON, outDir: 'out', ...project.options }, files: Object.keys(project.files) };
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify(tsconfig, null, 2));
  run(process.execPath, [tsc, '-p', dir]);
  for (const main of project.run) {
    const output = run(process.execPath, [join(dir, 'out', main), join(dir, `lake-${main}`)], { cwd: app });
    assert.match(output, /^delivered 3\+1; doubled 4; wal 1; streams Audit,Audit; equal true; fake function; n$/m, `${project.name} ${main} ran`);
  }
  return project.run.length > 0 ? `type-checks; ${project.run.join(' and ')} run with node` : 'type-checks';
}

try {
  const packages = pack();
  for (const p of packages) {
    checkFileList(p);
    step(`${p.name}: ${p.files.length} files, all in the allow-list`);
  }
  const lints = (async () => {
    for (const p of packages) await checkLints(p);
  })();
  lints.catch(() => {}); // awaited below; this only keeps an early failure from being reported as unhandled
  const app = await installConsumer(packages);
  step('consumer project installed from the tarballs');
  for (const project of PROJECTS) step(`consumer project (${project.name}): ${checkProject(app, project)}`);
  await lints;
  step(`packages checked on Node ${process.versions.node} with TypeScript ${execFileSync(process.execPath, [tsc, '--version'], { encoding: 'utf8' }).trim()}`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
