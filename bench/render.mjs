// Regenerates BENCHMARKS.md's generated sections from bench/results.json: `node bench/render.mjs`.
// run.mjs calls it after every run. Only the text between the markers is replaced.
// `node bench/render.mjs --readme` prints the root README's performance paragraph instead.
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { profilesMarkdown, readmeMarkdown, resultsMarkdown } from './lib/markdown.mjs';

const BENCHMARKS = fileURLToPath(new URL('../BENCHMARKS.md', import.meta.url));
const RESULTS = fileURLToPath(new URL('./results.json', import.meta.url));

function replaceBetween(text, name, body) {
  const start = `<!-- generated:${name} (bench/render.mjs from bench/results.json; do not edit) -->`;
  const end = `<!-- /generated:${name} -->`;
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  if (from === -1 || to === -1) throw new Error(`BENCHMARKS.md has no ${start} … ${end} markers`);
  return `${text.slice(0, from + start.length)}\n\n${body}\n\n${text.slice(to)}`;
}

/** Writes the results and profile sections of BENCHMARKS.md; returns the results markdown. */
export async function renderBenchmarks(results) {
  const markdown = resultsMarkdown(results);
  let text = await readFile(BENCHMARKS, 'utf8');
  text = replaceBetween(text, 'results', markdown);
  text = replaceBetween(text, 'profiles', profilesMarkdown(results.profiles));
  await writeFile(BENCHMARKS, text);
  return markdown;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const results = JSON.parse(await readFile(RESULTS, 'utf8'));
  if (process.argv.includes('--readme')) {
    process.stdout.write(`${readmeMarkdown(results)}\n`);
  } else {
    await renderBenchmarks(results);
    process.stdout.write('BENCHMARKS.md regenerated from bench/results.json\n');
  }
}
