// Where the Audit handler's bytes come from: bundles scripts/bundles/auditHandler.ts as check-bundles.mjs does
// (esbuild, minified, AWS SDK external) but from the packages' sources (the `@fiat/source` condition), and prints the
// minified bytes of each source module with the modules that import it, from esbuild's metafile. Use it to see what a
// change to the logger's default path costs: `node scripts/bundle-report.mjs [esm|cjs] [rows]`.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const format = process.argv[2] ?? 'esm';
const rows = Number(process.argv[3] ?? 60);

const result = await build({
  entryPoints: [join(root, 'scripts', 'bundles', 'auditHandler.ts')],
  bundle: true,
  minify: true,
  platform: 'node',
  target: 'node20.19',
  format,
  external: ['@aws-sdk/*'],
  conditions: ['@fiat/source'],
  write: false,
  metafile: true,
  logLevel: 'warning',
});
const kept = Object.values(result.metafile.outputs)[0].inputs;
const short = (path) => path.replace(/^.*?packages\//, '').replace('/src/', '/');
const importers = new Map();
for (const [path, input] of Object.entries(result.metafile.inputs)) {
  for (const { path: imported } of input.imports) importers.set(imported, [...(importers.get(imported) ?? []), path]);
}
const modules = Object.entries(kept).filter(([, input]) => input.bytesInOutput > 0).sort((a, b) => b[1].bytesInOutput - a[1].bytesInOutput);
const folders = new Map();
for (const [path, input] of modules) {
  const folder = short(path).split('/').slice(0, -1).join('/') || '.';
  folders.set(folder, (folders.get(folder) ?? 0) + input.bytesInOutput);
}
process.stdout.write(`audit handler (${format}, from sources): ${result.outputFiles[0].contents.length} bytes minified\n\nby folder:\n`);
for (const [folder, bytes] of [...folders].sort((a, b) => b[1] - a[1])) process.stdout.write(`${String(bytes).padStart(8)}  ${folder}\n`);
process.stdout.write(`\nby module (imported by):\n`);
for (const [path, input] of modules.slice(0, rows)) {
  const by = (importers.get(path) ?? []).filter((p) => kept[p]?.bytesInOutput > 0).map(short);
  process.stdout.write(`${String(input.bytesInOutput).padStart(8)}  ${short(path)}  <- ${by.join(', ')}\n`);
}
