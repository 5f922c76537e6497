import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Audit } from '@fiat/audit';
import { main } from './cli.js';
import { captureContext } from './test-helpers.js';

async function lakeWithRecords(n: number): Promise<string> {
  const lakeDir = await mkdtemp(join(tmpdir(), 'fiat-cli-'));
  const logger = Audit.configure('local', { app: 'cli', email: 'a@b.c', lakeDir });
  for (let i = 0; i < n; i++) logger.log({ task: i % 2 ? 'odd' : 'even', task_args: { i } }).logOutput({ output: i });
  await logger.close();
  return lakeDir;
}

describe('fiat query', () => {
  it('prints an aligned table', async () => {
    const lakeDir = await lakeWithRecords(3);
    const context = captureContext(lakeDir);
    const code = await main(['query', 'SELECT task, count(*) AS n FROM audit GROUP BY task ORDER BY task', '--lake-dir', lakeDir], context);
    expect(code).toBe(0);
    expect(context.out).toBe('task | n\n-----+--\neven | 4\nodd  | 2\n(2 rows)\n');
  });

  it('prints a JSON array of row objects with --json', async () => {
    const lakeDir = await lakeWithRecords(2);
    const context = captureContext(lakeDir);
    await main(['query', "SELECT phase, json_extract_scalar(task_args, '$.i') AS i FROM audit ORDER BY event_id", '--json', '--lake-dir', lakeDir], context);
    expect(JSON.parse(context.out)).toEqual([
      { phase: 'start', i: '0' },
      { phase: 'output', i: '0' },
      { phase: 'start', i: '1' },
      { phase: 'output', i: '1' },
    ]);
  });

  it('answers over an empty lake with typed, empty views', async () => {
    const lakeDir = await mkdtemp(join(tmpdir(), 'fiat-cli-'));
    const context = captureContext(lakeDir);
    expect(await main(['query', 'SELECT count(*) AS n, max(event_time) AS t FROM audit', '--json', '--lake-dir', lakeDir], context)).toBe(0);
    expect(JSON.parse(context.out)).toEqual([{ n: 0, t: null }]);
  });

  it.each([
    ['an unknown table', 'SELECT * FROM nope', /^fiat query: Catalog Error: Table with name nope does not exist! \(tables: audit, /],
    ['a misspelt table', 'SELECT count(*) FROM adit', /^fiat query: Catalog Error: Table with name adit does not exist! \(did you mean audit\?\)$/m],
    ['bad SQL', 'SELEC 1', /^fiat query: Parser Error: syntax error at or near "SELEC"/],
  ])('fails on %s with one line and exit code 1', async (_label, sql, message) => {
    const lakeDir = await mkdtemp(join(tmpdir(), 'fiat-cli-'));
    const context = captureContext(lakeDir);
    expect(await main(['query', sql, '--lake-dir', lakeDir], context)).toBe(1);
    expect(context.err).toMatch(message);
    expect(context.err.trim().split('\n')).toHaveLength(1);
    expect(context.err).not.toMatch(/\n\s+at /);
  });

  it.each([
    ['two statements', 'SELECT 1; SELECT 2', /^fiat query: query runs one SQL statement at a time, as Athena does; got 2 /],
    ['a statement hidden after a string', "SELECT 'a;b' AS x; DROP VIEW audit", /got 2/],
    ['stray semicolons', 'SELECT 1;;', /at most one trailing semicolon; got 2 semicolons/],
  ])('refuses %s with exit code 2 and runs nothing', async (_label, sql, message) => {
    const lakeDir = await mkdtemp(join(tmpdir(), 'fiat-cli-'));
    const context = captureContext(lakeDir);
    expect(await main(['query', sql, '--lake-dir', lakeDir], context)).toBe(2);
    expect(context.err).toMatch(message);
    expect(context.out).toBe('');
  });

  it('accepts semicolons inside strings, quoted names and comments, and one trailing semicolon', async () => {
    const lakeDir = await lakeWithRecords(1);
    const context = captureContext(lakeDir);
    const sql = `SELECT ';' AS "semi;colon", count(*) AS n FROM audit /* ; */ -- ;\n;`;
    expect(await main(['query', sql, '--json', '--lake-dir', lakeDir], context)).toBe(0);
    expect(JSON.parse(context.out)).toEqual([{ 'semi;colon': ';', n: 2 }]);
  });

  it('prints the version with --version and -v', async () => {
    const { version } = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
    for (const flag of ['--version', '-v']) {
      const context = captureContext('/');
      expect(await main([flag], context)).toBe(0);
      expect(context.out).toBe(`${version}\n`);
    }
  });

  it('fails on bad configuration with a one-line error naming the key and exit code 2', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'fiat-cli-'));
    await writeFile(join(dir, 'fiat.config.json'), JSON.stringify({ region: 'mars', lakeDir: 'lake' }));
    const context = captureContext(dir);
    expect(await main(['query', 'SELECT 1'], context)).toBe(2);
    expect(context.err).toMatch(/^fiat query: config key region must be an AWS region such as eu-west-1, got "mars"\n/);
  });

  it('fails on an unknown command or flag with exit code 2', async () => {
    const context = captureContext('/');
    expect(await main(['frobnicate'], context)).toBe(2);
    expect(await main(['query', '--nope', 'SELECT 1'], context)).toBe(2);
    expect(context.err).toMatch(/unknown command 'frobnicate'/);
    expect(context.err).toMatch(/Unknown option '--nope'/);
  });

  it('prints help with examples', async () => {
    const context = captureContext('/');
    expect(await main(['query', '--help'], context)).toBe(0);
    expect(context.out).toMatch(/Examples:\n {2}fiat query/);
  });
});
