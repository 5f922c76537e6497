import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { profilesMarkdown, readmeMarkdown, resultsMarkdown, sp } from './markdown.mjs';

const committed = JSON.parse(await readFile(new URL('../results.json', import.meta.url), 'utf8'));

describe('the generated markdown', () => {
  it('prints a spread as median (min–max)', () => {
    expect(sp({ min: 0.91, median: 1.04, max: 1.2, n: 3 }, '×')).toBe('1.04× (0.91–1.2)');
    expect(sp({ min: 2, median: 2, max: 2, n: 1 })).toBe('2');
  });

  it('renders every section of the committed results.json, the goals first', () => {
    const markdown = resultsMarkdown(committed);
    expect(markdown.indexOf('### Goals')).toBeGreaterThanOrEqual(0);
    expect(markdown.indexOf('### Goals')).toBeLessThan(markdown.indexOf('### 1. Hot path'));
    for (const heading of ['### 1. Hot path', '### 6. Latency', '### 2. Firehose path', '### 3. Query', '### 4. Cold start', '### 5. Memory', '### 7. Scale', '### 9. Tamper evidence', '### 10. Durable mode', '### 11. Redaction']) {
      expect(markdown).toContain(heading);
    }
    expect(markdown).not.toMatch(/undefined|NaN/);
    expect(profilesMarkdown(committed.profiles)).toContain('fiat query');
  });

  it("writes the README paragraph with each claim's spread and peer", () => {
    const paragraph = readmeMarkdown(committed);
    expect(paragraph).toContain('pino with a gzip level-1 worker transport');
    expect(paragraph).toMatch(/\*\*[\d.]+× \([\d.]+–[\d.]+\)\*\* the throughput of pino/);
    expect(paragraph).not.toMatch(/undefined|NaN/);
  });
});
