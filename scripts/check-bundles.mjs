// Bundles that run alone: esbuild bundles three Lambda handlers (scripts/bundles/) as users deploy them,
// with the AWS SDK left out (the Lambda runtime provides it; these handlers inject a client and need none).
// Each minified bundle is copied alone into an empty temporary folder (no node_modules), imported with
// plain `node` and invoked; the records its injected client received are decoded and checked. Also checks
// that importing the built @fiat/audit loads neither Zod nor ajv's compiler. Writes bench/bundle-sizes.json.
// Run after `npm run build`: `npm run test:bundles`. Where the Audit handler's bytes come from, per source module:
// `node scripts/bundle-report.mjs`.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, version as esbuildVersion } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const here = join(root, 'scripts', 'bundles');
/**
 * The Audit handler's budget, minified, without the SDK: 135 kB, the measured size (128.4 kB ESM, 129.5 kB CommonJS)
 * rounded up with about 5 kB to spare. The stated goal is 60 kB; it is not reached: the handler carries the features a
 * default Audit logger uses (hash chains and their checkpoints, redaction of secret keys, the Firehose transport with its
 * spool, the dead-letter stream, the local lake that configure('local') needs), every module of which the bundle's
 * metafile shows reachable. The write-ahead log is left out since it became opt-in (`@fiat/core/durable`).
 */
const AUDIT_LIMIT_BYTES = 135_000;

const BUNDLES = [
  { name: 'audit-esm', entry: 'auditHandler.ts', format: 'esm', file: 'handler.mjs', check: checkAudit },
  { name: 'audit-cjs', entry: 'auditHandler.ts', format: 'cjs', file: 'handler.cjs', check: checkAudit },
  { name: 'zod-stream-esm', entry: 'zodStreamHandler.ts', format: 'esm', file: 'handler.mjs', check: checkZodStream },
];

const AUDIT_EVENT = { orderId: '42', items: [{ price: 5, quantity: 2 }, { price: 1.5, quantity: 4 }] };
const PAGE_EVENT = { views: [{ url: '/', at: '2026-11-26T10:00:00Z' }, { url: '/pricing', at: '2026-11-26T10:00:01.250+01:00' }] };

/** Bundles one handler, minified, AWS SDK external; returns its code. */
async function bundle({ entry, format }) {
  const result = await build({
    entryPoints: [join(here, entry)],
    bundle: true,
    minify: true,
    platform: 'node',
    target: 'node20.19',
    format,
    external: ['@aws-sdk/*'],
    write: false,
    logLevel: 'warning',
  });
  return result.outputFiles[0].text;
}

/** Copies the bundle alone into an empty folder, invokes its handler with plain node, returns what it reported. */
function invoke(code, { file, format }, event) {
  const dir = mkdtempSync(join(tmpdir(), 'fiat-bundle-'));
  try {
    writeFileSync(join(dir, file), code);
    const load = format === 'esm' ? `await import('./${file}')` : `require('./${file}')`;
    const harness = `(async () => {
      const m = ${load};
      const result = await m.handler(${JSON.stringify(event)}, { awsRequestId: 'req-1', functionName: 'bundle-test' });
      const batches = m.sent.map((b) => ({ stream: b.DeliveryStreamName, data: b.Records.map((r) => Buffer.from(r.Data).toString('utf8')) }));
      process.stdout.write(JSON.stringify({ result, batches }));
    })().catch((error) => { console.error(error); process.exit(1); });`;
    const args = format === 'esm' ? ['--input-type=module', '-e', harness] : ['-e', harness];
    const run = spawnSync(process.execPath, args, { cwd: dir, encoding: 'utf8', env: { ...process.env, NODE_PATH: '', NODE_OPTIONS: '' } });
    assert.equal(run.status, 0, `the bundle failed when run alone:\n${run.stderr}`);
    return JSON.parse(run.stdout);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The JSON lines the client received for `stream`, parsed. */
function linesOf(batches, stream) {
  const text = batches.filter((b) => b.stream === stream).flatMap((b) => b.data).join('');
  assert.ok(text.endsWith('\n'), 'every stored line ends with a newline');
  return text.split('\n').slice(0, -1).map((line) => JSON.parse(line));
}

function checkAudit(bundleSpec) {
  const { result, batches } = invoke(bundleSpec.code, bundleSpec, AUDIT_EVENT);
  assert.deepEqual(result, { orderId: '42', total: 16 });
  const lines = linesOf(batches, 'fiat-audit');
  assert.equal(lines.length, 2, 'a start and an output record');
  const [start, output] = lines;
  assert.equal(start.phase, 'start');
  assert.equal(output.phase, 'output');
  assert.equal(start.audit_id, output.audit_id);
  for (const line of lines) {
    assert.equal(line.task, 'total_order');
    assert.equal(line.ticket_id, 'order-42');
    assert.equal(line.app, 'orders');
    assert.equal(line.email, 'team@example.com');
    assert.match(line.event_time, /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3}$/);
  }
  assert.deepEqual(JSON.parse(start.task_args), AUDIT_EVENT);
  assert.deepEqual(JSON.parse(output.output), { orderId: '42', total: 16 });
  assert.ok(output.duration_ms >= 0);
  return `${lines.length} records`;
}

function checkZodStream(bundleSpec) {
  const { result, batches } = invoke(bundleSpec.code, bundleSpec, PAGE_EVENT);
  assert.equal(result.logged, 2);
  assert.match(result.refused, /^Invalid PageView record: .*url/);
  const lines = linesOf(batches, 'fiat-page_view');
  assert.equal(lines.length, 2, 'the two valid views, not the refused one');
  assert.deepEqual(lines.map((l) => [l.url, l.at, l.props]), [
    ['/', '2026-11-26 10:00:00.000', '{"ab":"B"}'],
    ['/pricing', '2026-11-26 09:00:01.250', '{"ab":"B"}'],
  ]);
  return `${lines.length} records`;
}

/** Importing the built @fiat/audit (both formats) must load neither Zod nor ajv's compiler. */
function checkColdImport() {
  const heavy = String.raw`/node_modules\/(zod|ajv\/dist\/(2020|core|compile)|ajv-formats)\//`;
  const cjs = `require('@fiat/audit'); const m = Object.keys(require.cache).filter((k) => ${heavy}.test(k)); if (m.length) { console.error(m.join('\\n')); process.exit(1); }`;
  const hooks = `data:text/javascript,${encodeURIComponent(`export async function resolve(s, c, next) { const r = await next(s, c); if (${heavy}.test(r.url)) { process.stderr.write('loaded ' + r.url + '\\n'); process.exitCode = 1; } return r; }`)}`;
  const register = `data:text/javascript,${encodeURIComponent(`import { register } from 'node:module'; register(${JSON.stringify(hooks)});`)}`;
  const runs = [
    spawnSync(process.execPath, ['-e', cjs], { cwd: join(root, 'bench'), encoding: 'utf8' }),
    spawnSync(process.execPath, ['--import', register, '--input-type=module', '-e', `await import('@fiat/audit');`], { cwd: join(root, 'bench'), encoding: 'utf8' }),
  ];
  for (const run of runs) assert.equal(run.status, 0, `importing @fiat/audit loaded Zod or ajv's compiler:\n${run.stderr}`);
}

const sizes = {};
for (const spec of BUNDLES) {
  spec.code = await bundle(spec);
  const bytes = Buffer.byteLength(spec.code);
  sizes[spec.name] = { bytes, kB: Number((bytes / 1000).toFixed(1)) };
  const outcome = spec.check(spec);
  process.stdout.write(`bundle ${spec.name.padEnd(15)} ${String(sizes[spec.name].kB).padStart(6)} kB minified  ran alone on Node ${process.versions.node}: ${outcome}\n`);
}
checkColdImport();
process.stdout.write('import @fiat/audit (ESM and CommonJS) loads neither Zod nor ajv\'s compiler\n');

assert.ok(sizes['audit-esm'].bytes < AUDIT_LIMIT_BYTES, `the Audit handler is ${sizes['audit-esm'].bytes} bytes minified, over ${AUDIT_LIMIT_BYTES}`);
assert.ok(sizes['audit-cjs'].bytes < AUDIT_LIMIT_BYTES, `the Audit handler (CommonJS) is ${sizes['audit-cjs'].bytes} bytes minified, over ${AUDIT_LIMIT_BYTES}`);
const report = { esbuild: esbuildVersion, minified: true, aws_sdk: 'external', audit_limit_bytes: AUDIT_LIMIT_BYTES, bundles: sizes };
const out = join(root, 'bench', 'bundle-sizes.json');
const previous = (() => { try { return readFileSync(out, 'utf8'); } catch { return ''; } })();
const text = `${JSON.stringify(report, null, 2)}\n`;
if (text !== previous) writeFileSync(out, text);
process.stdout.write(`wrote bench/bundle-sizes.json\n`);
