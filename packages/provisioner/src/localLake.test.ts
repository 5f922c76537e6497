import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineStream, ValidatedLog } from '@fiat/core';
import { writeStreamFolder } from '@fiat/schemas';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { startDuckDBInstance } from './loadDuckDB.js';
import { openLocalLake } from './localLake.js';
import { runFiat } from './test-helpers.js';

// Column and struct field names that are SQL reserved words, in a stream defined in TypeScript and
// loaded by `fiat query` from its schemas folder.
const Reserved = defineStream({
  name: 'Reserved',
  schema: z.object({
    at: z.iso.datetime(),
    order: z.int(),
    group: z.string(),
    select: z.object({ end: z.string(), from: z.int(), limit: z.array(z.string()) }),
    where: z.record(z.string(), z.string()).optional(),
  }),
});

async function project(): Promise<{ dir: string; env: Record<string, string> }> {
  const dir = await mkdtemp(join(tmpdir(), 'fiat-local-lake-'));
  const lakeDir = join(dir, 'lake');
  const schemasDir = join(dir, 'schemas');
  await writeStreamFolder(schemasDir, Reserved);
  return { dir, env: { FIAT_LAKE_DIR: lakeDir, FIAT_SCHEMAS_DIR: schemasDir } };
}

async function logReserved(lakeDir: string): Promise<void> {
  const log = ValidatedLog.configure('local', { app: 'a', email: 'a@b.c', streams: [Reserved], lakeDir });
  log.log(Reserved, { at: '2026-11-26T10:00:00Z', order: 3, group: 'g', select: { end: 'e', from: 1, limit: ['x'] }, where: { k: 'v' } });
  await log.close();
}

describe('the local lake view', () => {
  const sql = 'SELECT "at", "order", "group", "select"."end" AS e, "select"."from" AS f, "select"."limit" AS l, "where" AS w FROM reserved';

  it('reads columns and struct fields named like SQL reserved words', async () => {
    const { dir, env } = await project();
    await logReserved(env.FIAT_LAKE_DIR!);
    const run = await runFiat(['query', sql, '--json'], { cwd: dir, env });
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toEqual([{ at: '2026-11-26 10:00:00', order: 3, group: 'g', e: 'e', f: 1, l: ['x'], w: { k: 'v' } }]);
  });

  it('is typed and empty for such a stream before anything is written', async () => {
    const { dir, env } = await project();
    const run = await runFiat(['query', sql, '--json'], { cwd: dir, env });
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toEqual([]);
  });
});

describe('fiat query with a malformed schemas folder', () => {
  it('skips the folder with one line on stderr and still answers on the other tables', async () => {
    // Prepare: two broken folders next to a good one.
    const { dir, env } = await project();
    await logReserved(env.FIAT_LAKE_DIR!);
    for (const [name, schema, athena] of [
      ['Broken', 'null', '{}'],
      ['Columns', JSON.stringify({ type: 'object', properties: {} }), JSON.stringify({ columns: [null] })],
    ] as const) {
      await mkdir(join(env.FIAT_SCHEMAS_DIR!, name));
      await writeFile(join(env.FIAT_SCHEMAS_DIR!, name, 'json_schema.json'), schema);
      await writeFile(join(env.FIAT_SCHEMAS_DIR!, name, 'athena.json'), athena);
    }
    // Act
    const run = await runFiat(['query', 'SELECT count(*) AS n FROM reserved', '--json'], { cwd: dir, env });
    // Assess
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual([{ n: 1 }]);
    const lines = run.stderr.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^fiat query: skipping schemas folder .*Broken: .*Broken\/json_schema\.json: must be a JSON Schema object, got null$/);
    expect(lines[1]).toMatch(/Columns\/athena\.json at columns\.0: must be a \{ "name", "type" \} object, got null$/);
  });
});

describe('openLocalLake', () => {
  it('uses the instance it is given (being created), with the macros and one view per stream', async () => {
    const { env } = await project();
    await logReserved(env.FIAT_LAKE_DIR!);
    const lake = await openLocalLake(env.FIAT_LAKE_DIR!, [{ definition: Reserved, names: Reserved.names }], startDuckDBInstance());
    try {
      const { rows } = await lake.query(`SELECT "order", json_extract_scalar('{"a":"b"}', '$.a') AS a FROM reserved`);
      expect(rows).toEqual([{ order: 3, a: 'b' }]);
    } finally {
      lake.close();
    }
  });

  it('refresh runs its statements in order and stops at the first that fails', async () => {
    const lake = await openLocalLake(await mkdtemp(join(tmpdir(), 'fiat-local-lake-')), []);
    try {
      await expect(lake.refresh('/nowhere', [], ['CREATE TABLE t (x INTEGER)', 'INSERT INTO t VALUES (1)', 'SELECT * FROM missing', 'INSERT INTO t VALUES (2)'])).rejects.toThrow(/missing/);
      expect((await lake.query('SELECT x FROM t')).rows).toEqual([{ x: 1 }]);
    } finally {
      lake.close();
    }
  });
});
