import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AthenaClient, GetQueryExecutionCommand, StartQueryExecutionCommand } from '@aws-sdk/client-athena';
import { defineStream, STORED_TIMESTAMP_REGEX, ValidatedLog } from '@fiat/core';
import { Audit, writeStreamFolder } from '@fiat/schemas';
import { startFakeAthenaServer, type FakeAthenaServer } from '@fiat/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createDatabaseDdl, createTableDdl } from './athena/ddl.js';
import { runFiat, type FiatRun } from './test-helpers.js';


let dir: string;
let lakeDir: string;
let schemasDir: string;
let athena: FakeAthenaServer;

function fiat(argv: string[], extraEnv: Record<string, string> = {}): Promise<FiatRun> {
  return runFiat(argv, {
    cwd: dir,
    env: {
      FIAT_REGION: 'eu-west-1',
      FIAT_BUCKET: 'acme-lake',
      FIAT_DATABASE: 'fiat',
      FIAT_OUTPUT_LOCATION: 's3://acme-results/athena/',
      FIAT_LAKE_DIR: lakeDir,
      FIAT_SCHEMAS_DIR: schemasDir,
      FIAT_ATHENA_ENDPOINT: athena.url,
      AWS_ACCESS_KEY_ID: 'AKIDFAKEFAKEFAKE',
      AWS_SECRET_ACCESS_KEY: 'fake-secret',
      ...extraEnv,
    },
  });
}

const OrdersV1 = defineStream({
  name: 'Orders',
  schema: z.object({ order_id: z.string(), amount: z.number(), placed_at: z.iso.datetime() }),
});
const OrdersV2 = defineStream({
  name: 'Orders',
  schema: z.object({
    order_id: z.string(),
    amount: z.number(),
    placed_at: z.iso.datetime(),
    coupon: z.string().optional(),
    lines: z.array(z.object({ sku: z.string(), qty: z.int() })).optional(),
  }),
});
const OrdersRemoved = defineStream({ name: 'Orders', schema: z.object({ order_id: z.string(), placed_at: z.iso.datetime() }) });
const OrdersRetyped = defineStream({ name: 'Orders', schema: z.object({ order_id: z.string(), amount: z.string(), placed_at: z.iso.datetime() }) });

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fiat-create-table-'));
  lakeDir = join(dir, '.fiat', 'lake');
  schemasDir = join(dir, 'schemas');
  athena = await startFakeAthenaServer({ port: 0, lakeDir, pollsBeforeDone: 2 });
});

afterEach(async () => {
  await athena.close();
  await rm(dir, { recursive: true, force: true });
});

describe('fiat create-table --target athena', () => {
  it('--dry-run prints the DDL and sends nothing', async () => {
    const run = await fiat(['create-table', 'Audit', '--dry-run']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('CREATE EXTERNAL TABLE IF NOT EXISTS `fiat`.`audit`');
    expect(run.stdout).toContain("ROW FORMAT SERDE 'org.apache.hive.hcatalog.data.JsonSerDe'");
    expect(athena.executions).toHaveLength(0);
  });

  it('creates the table, then a second run changes nothing', async () => {
    const first = await fiat(['create-table', 'Audit']);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('created table fiat.audit');
    expect(athena.tables.get('fiat.audit')?.columns.map((c) => c.name)).toEqual(Audit.columns.map((c) => c.name));
    expect(athena.executions.every((e) => e.workGroup === 'primary' && e.outputLocation === 's3://acme-results/athena/')).toBe(true);
    const ddlCount = athena.executions.filter((e) => e.statementType === 'DDL').length;

    const second = await fiat(['create-table', 'Audit', '--json']);
    expect(second.code).toBe(0);
    expect(JSON.parse(second.stdout)).toMatchObject({ action: 'unchanged', applied: false });
    expect(athena.executions.filter((e) => e.statementType === 'DDL').length).toBe(ddlCount);
  });

  it('uses the OpenX SerDe with --serde openx', async () => {
    expect((await fiat(['create-table', 'Audit', '--serde', 'openx'])).code).toBe(0);
    expect(athena.tables.get('fiat.audit')?.serde).toBe('org.openx.data.jsonserde.JsonSerDe');
    expect((await fiat(['create-table', 'Audit', '--serde', 'xml'])).code).toBe(2);
  });

  it('proposes and applies ADD COLUMNS for added fields', async () => {
    await writeStreamFolder(schemasDir, OrdersV1);
    expect((await fiat(['create-table', 'Orders'])).code).toBe(0);
    await writeStreamFolder(schemasDir, OrdersV2);
    const run = await fiat(['create-table', 'Orders']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('ALTER TABLE `fiat`.`orders` ADD COLUMNS (`coupon` string, `lines` array<struct<`sku`:string,`qty`:bigint>>)');
    expect(run.stdout).toContain('added coupon, lines to fiat.orders');
    expect(athena.tables.get('fiat.orders')?.columns.map((c) => c.name).slice(-2)).toEqual(['coupon', 'lines']);
    const again = await fiat(['create-table', 'Orders']);
    expect(again.stdout).toContain('is up to date');
  });

  it('adds the chain columns to an Audit table created before Audit was chained', async () => {
    // Prepare: the audit table as create-table made it before chaining (no chain_id, chain_seq, chain_hash).
    const before = Audit.columns.filter((c) => !c.name.startsWith('chain_'));
    const client = new AthenaClient({ endpoint: athena.url, region: 'eu-west-1', credentials: { accessKeyId: 'AKIDFAKEFAKEFAKE', secretAccessKey: 'fake-secret' } });
    for (const sql of [createDatabaseDdl('fiat'), createTableDdl({ names: Audit.names, columns: before }, { database: 'fiat', bucket: 'acme-lake' })]) {
      const { QueryExecutionId } = await client.send(new StartQueryExecutionCommand({ QueryString: sql, ResultConfiguration: { OutputLocation: 's3://acme-results/athena/' } }));
      let state: string | undefined;
      while (state !== 'SUCCEEDED') {
        state = (await client.send(new GetQueryExecutionCommand({ QueryExecutionId }))).QueryExecution?.Status?.State;
        expect(state === 'FAILED' || state === 'CANCELLED').toBe(false);
      }
    }
    client.destroy();
    // Act
    const run = await fiat(['create-table', 'Audit']);
    const again = await fiat(['create-table', 'Audit']);
    // Assess
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('ALTER TABLE `fiat`.`audit` ADD COLUMNS (`chain_id` string, `chain_seq` bigint, `chain_hash` string)');
    expect(run.stdout).toContain('added chain_id, chain_seq, chain_hash to fiat.audit');
    expect(athena.tables.get('fiat.audit')?.columns.map((c) => c.name).slice(-3)).toEqual(['chain_id', 'chain_seq', 'chain_hash']);
    expect(again.stdout).toContain('is up to date');
  });

  it('refuses a removed column with the reason and a non-zero exit', async () => {
    await writeStreamFolder(schemasDir, OrdersV1);
    expect((await fiat(['create-table', 'Orders'])).code).toBe(0);
    await writeStreamFolder(schemasDir, OrdersRemoved);
    const run = await fiat(['create-table', 'Orders']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("column 'amount' (double) is in the table but no longer in the definition");
    expect(run.stderr).toContain('values already written');
    expect(athena.executions.filter((e) => e.query.startsWith('ALTER'))).toHaveLength(0);
  });

  it('refuses a retyped column with the reason', async () => {
    await writeStreamFolder(schemasDir, OrdersV1);
    expect((await fiat(['create-table', 'Orders'])).code).toBe(0);
    await writeStreamFolder(schemasDir, OrdersRetyped);
    const run = await fiat(['create-table', 'Orders']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("column 'amount' changed type from double to string");
  });

  it('prints a one-line error without a stack for unknown streams and missing config', async () => {
    const unknown = await fiat(['create-table', 'Nope']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr.split('\n')[0]).toMatch(/^fiat create-table: unknown stream 'Nope' \(known: Audit/);
    expect(unknown.stderr).not.toContain('    at ');
    const noBucket = await fiat(['create-table', 'Audit'], { FIAT_BUCKET: '' });
    expect(noBucket.code).toBe(2);
    expect(noBucket.stderr).toContain('config key bucket is required');
  });
});

describe('names that could inject into DDL or leave a folder are refused before anything is sent', () => {
  const cases: [string, Record<string, string>, RegExp][] = [
    ['a database with a backtick', { FIAT_DATABASE: 'fiat`; DROP TABLE x; --' }, /config key database/],
    ['a database with a semicolon', { FIAT_DATABASE: 'fiat;drop' }, /config key database/],
    ['a bucket with a quote', { FIAT_BUCKET: "acme'lake" }, /config key bucket/],
    ['a bucket leaving the folder', { FIAT_BUCKET: '../etc' }, /config key bucket/],
    ['a projection range with a quote', { FIAT_PROJECTION_RANGE: "NOW-5YEARS,NOW')" }, /config key projectionRange/],
    ['an output location with a quote', { FIAT_OUTPUT_LOCATION: "s3://acme-results/a'b/" }, /config key outputLocation/],
  ];
  it.each(cases)('%s', async (_label, env, message) => {
    const run = await fiat(['create-table', 'Audit'], env);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(athena.executions).toHaveLength(0);
  });

  it.each([
    ['a table with a backtick', { table: 'audit`x' }],
    ['a table with a quote', { table: "audit'x" }],
    ['a prefix leaving its folder', { prefix: '../outside/' }],
    ['a prefix with a semicolon', { prefix: 'audit;/' }],
  ])('%s in fiat.config.json', async (_label, override) => {
    await writeFile(join(dir, 'fiat.config.json'), JSON.stringify({ streams: { Audit: override } }));
    const run = await fiat(['create-table', 'Audit']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/config key streams\.Audit/);
    expect(athena.executions).toHaveLength(0);
  });

  it('a schema folder whose field names are not identifiers', async () => {
    await writeStreamFolder(schemasDir, OrdersV1);
    const path = join(schemasDir, 'Orders', 'json_schema.json');
    const { readFile } = await import('node:fs/promises');
    const schema = JSON.parse(await readFile(path, 'utf8'));
    schema.properties['amount`) STORED AS x --'] = { type: 'string' };
    await writeFile(path, JSON.stringify(schema));
    const run = await fiat(['create-table', 'Orders']);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toMatch(/not a legal Athena identifier/);
    expect(athena.executions).toHaveLength(0);
  });
});

describe('fiat query --target athena (real SDK → fake Athena)', () => {
  it('pages through the results, drops the header row and prints bytes scanned', async () => {
    expect((await fiat(['create-table', 'Audit'])).code).toBe(0);
    const logger = ValidatedLog.configure('local', { app: 'billing', email: 'me@example.com', streams: [Audit], lakeDir, bufferIntervalMs: 60_000 });
    for (let i = 0; i < 1500; i++) logger.log(Audit, { audit_id: `a${i}`, phase: i % 2 ? 'output' : 'start', task: '_add', task_args: { x: i } });
    await logger.close();
    const run = await fiat(['query', 'SELECT audit_id, phase, json_extract_scalar(task_args, \'$.x\') AS x, event_time, tags FROM audit ORDER BY audit_id', '--target', 'athena', '--json']);
    expect(run.stderr).toMatch(/^Data scanned: [1-9]\d* bytes/);
    expect(run.code).toBe(0);
    const rows = JSON.parse(run.stdout) as Record<string, unknown>[];
    expect(rows).toHaveLength(1500);
    expect(rows[0]).toMatchObject({ audit_id: 'a0', phase: 'start', x: '0', tags: '{}' });
    expect(String(rows[0]?.event_time)).toMatch(STORED_TIMESTAMP_REGEX);
    expect(rows.some((r) => r.audit_id === 'audit_id')).toBe(false);

    const table = await fiat(['query', 'SELECT phase, count(*) AS n FROM audit GROUP BY phase ORDER BY phase', '--target', 'athena']);
    expect(table.stdout).toBe('phase  | n\n-------+----\noutput | 750\nstart  | 750\n(2 rows)\n');
  });

  it('prints the StateChangeReason of a failed query and exits 1', async () => {
    expect((await fiat(['create-table', 'Audit'])).code).toBe(0);
    const run = await fiat(['query', 'SELECT * FROM nowhere', '--target', 'athena']);
    expect(run.code).toBe(1);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/FAILED: .*nowhere/);
  });

  it('suggests the nearest table when Athena does not know the one named', async () => {
    expect((await fiat(['create-table', 'Audit'])).code).toBe(0);
    const run = await fiat(['query', 'SELECT * FROM audti', '--target', 'athena']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/TABLE_NOT_FOUND: .*audti.* \(did you mean audit\?\)\n$/);
  });
});

describe('fiat create-table --target local', () => {
  it('writes the view to a DuckDB file next to the lake, and fiat query still works', async () => {
    const run = await fiat(['create-table', 'Audit', '--target', 'local']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(join(dir, '.fiat', 'fiat.duckdb'));
    expect((await stat(join(dir, '.fiat', 'fiat.duckdb'))).isFile()).toBe(true);
    const { DuckDBInstance } = await import('@duckdb/node-api');
    const instance = await DuckDBInstance.create(join(dir, '.fiat', 'fiat.duckdb'));
    const connection = await instance.connect();
    const reader = await connection.runAndReadAll('SELECT count(*) AS n FROM audit');
    expect(reader.getRowObjectsJson()).toEqual([{ n: '0' }]);
    connection.closeSync();
    instance.closeSync();
    const query = await fiat(['query', 'SELECT count(*) AS n FROM audit', '--json']);
    expect(JSON.parse(query.stdout)).toEqual([{ n: 0 }]);
  });
});

describe('columns named like SQL reserved words', () => {
  const Reserved = defineStream({
    name: 'Reserved',
    schema: z.object({
      at: z.iso.datetime(),
      order: z.int(),
      group: z.string(),
      select: z.object({ end: z.string(), from: z.int() }),
    }),
  });

  it('get backquoted identifiers in the DDL, and the table answers queries through Athena', async () => {
    // Prepare
    await writeStreamFolder(schemasDir, Reserved);
    const log = ValidatedLog.configure('local', { app: 'a', email: 'a@b.c', streams: [Reserved], lakeDir });
    log.log(Reserved, { at: '2026-11-26T10:00:00Z', order: 3, group: 'g', select: { end: 'e', from: 1 } });
    await log.close();
    // Act
    const dry = await fiat(['create-table', 'Reserved', '--dry-run']);
    const created = await fiat(['create-table', 'Reserved']);
    const query = await fiat(['query', 'SELECT "order", "group", "select"."end" AS e FROM reserved', '--target', 'athena', '--json']);
    // Assess
    expect(dry.stdout).toContain('`order`');
    expect(dry.stdout).toContain('`select` ');
    expect(dry.stdout).toContain('struct<`end`:string,`from`:bigint>');
    expect(created.code).toBe(0);
    expect(query.stderr).toMatch(/^Data scanned: \d+ bytes/);
    expect(JSON.parse(query.stdout)).toEqual([{ order: 3, group: 'g', e: 'e' }]);
  });
});
