// The READMEs' TypeScript examples compile as written: every ```ts block of README.md and packages/*/README.md
// is written to tmp/readme-examples/ as its own module and type-checked (strict, nodenext) against the
// workspace packages' sources. A block preceded by the line `<!-- not-checked -->` is skipped; keep that rare
// (a fragment that only shows a shape). Errors are reported at their README line.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const out = join(root, 'tmp', 'readme-examples');
const SKIP = '<!-- not-checked -->';
/**
 * Blocks known to fail, as `README:line` of their first code line. Each entry must still fail: remove it when
 * the block is fixed. The root README's first example (`_add`, `charge` undefined) is rewritten with the README.
 */
const KNOWN_FAILING = new Set([]);

/** The ```ts blocks of one README: where each starts (1-based line of its first code line) and its code. */
export function tsBlocks(markdown) {
  const lines = markdown.split('\n');
  const blocks = [];
  for (let i = 0; i < lines.length; i++) {
    if (!/^```(ts|typescript)\s*$/.test(lines[i])) continue;
    const skipped = lines[i - 1]?.trim() === SKIP;
    const end = lines.findIndex((line, j) => j > i && /^```\s*$/.test(line));
    if (end === -1) throw new Error(`unclosed code block at line ${i + 1}`);
    blocks.push({ line: i + 2, code: lines.slice(i + 1, end).join('\n'), skipped });
    i = end;
  }
  return blocks;
}

const readmes = ['README.md', ...readdirSync(join(root, 'packages')).map((p) => join('packages', p, 'README.md'))].filter((f) =>
  existsSync(join(root, f)),
);
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const files = new Map();
let skipped = 0;
for (const readme of readmes) {
  for (const block of tsBlocks(readFileSync(join(root, readme), 'utf8'))) {
    if (block.skipped) {
      skipped += 1;
      continue;
    }
    const name = `${readme.replace(/[/\\]/g, '_').replace(/\.md$/, '')}_L${block.line}.ts`;
    // `export {}` keeps each block its own module (top-level await, no clashes between blocks).
    writeFileSync(join(out, name), `${block.code}\nexport {};\n`);
    files.set(name, { readme, line: block.line });
  }
}
const tsconfig = {
  compilerOptions: {
    strict: true,
    noEmit: true,
    module: 'nodenext',
    moduleResolution: 'nodenext',
    target: 'es2022',
    lib: ['es2023', 'es2024.string'], // as tsconfig.base.json: the sources use isWellFormed/toWellFormed
    types: ['node'],
    skipLibCheck: true,
    customConditions: ['@fiat/source'],
  },
  files: [...files.keys()],
};
writeFileSync(join(out, 'tsconfig.json'), JSON.stringify(tsconfig, null, 2));
const tsc = spawnSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', out, '--pretty', 'false'], { encoding: 'utf8' });
const failing = new Set();
for (const line of tsc.stdout.split('\n')) {
  const match = /^([^(]+)\((\d+),(\d+)\): (.*)$/.exec(line);
  if (match === null) continue;
  const source = files.get(basename(match[1]));
  if (source === undefined) {
    process.stdout.write(`${line}\n`);
    continue;
  }
  failing.add(`${source.readme}:${source.line}`);
  process.stdout.write(`${source.readme}:${source.line + Number(match[2]) - 1}:${match[3]} ${match[4]}\n`);
}
const unexpected = [...failing].filter((block) => !KNOWN_FAILING.has(block));
const stale = [...KNOWN_FAILING].filter((block) => !failing.has(block));
if (tsc.status !== 0 && failing.size === 0) {
  process.stdout.write(tsc.stdout + tsc.stderr);
  process.exit(1);
}
const known = failing.size - unexpected.length;
process.stdout.write(
  `README examples (${relative(root, out)}): ${files.size - failing.size} passed, ${unexpected.length} failed, ${known} known failing, ${skipped} skipped\n`,
);
for (const block of stale) process.stdout.write(`${block} is listed in KNOWN_FAILING but no longer fails there: remove it from scripts/check-readme-examples.mjs\n`);
if (unexpected.length > 0 || stale.length > 0) process.exit(1);
