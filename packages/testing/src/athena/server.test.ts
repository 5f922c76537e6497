import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AthenaClient,
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  StartQueryExecutionCommand,
  StopQueryExecutionCommand,
} from '@aws-sdk/client-athena';
import { formatTimestamp, lakeObjectKey, resolveStreamNames, writeLakeFile } from '@fiat/core';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFakeAthenaServer, type FakeAthenaServer } from '../index.js';
import { parseStatement } from './statements.js';

let lakeDir: string;
let server: FakeAthenaServer;
let client: AthenaClient;

const DDL = `CREATE EXTERNAL TABLE IF NOT EXISTS \`fiat\`.\`events\` (
  \`event_id\` string, \`event_time\` timestamp, \`n\` bigint, \`ratio\` double, \`ok\` boolean, \`day\` date,
  \`tags\` map<string,string>, \`items\` array<struct<\`sku\`:string,\`qty\`:bigint>>, \`payload\` string
)
PARTITIONED BY (\`dt\` string)
ROW FORMAT SERDE 'org.apache.hive.hcatalog.data.JsonSerDe'
LOCATION 's3://acme-lake/events/'
TBLPROPERTIES ('projection.enabled'='true', 'projection.dt.type'='date', 'projection.dt.format'='yyyy-MM-dd',
  'projection.dt.range'='NOW-5YEARS,NOW', 'projection.dt.interval'='1', 'projection.dt.interval.unit'='DAYS',
  'storage.location.template'='s3://acme-lake/events/dt=\${dt}/')`;

async function run(sql: string, token?: string): Promise<{ id: string; state: string; reason?: string; scanned: number; type?: string }> {
  const { QueryExecutionId } = await client.send(
    new StartQueryExecutionCommand({ QueryString: sql, QueryExecutionContext: { Database: 'fiat' }, WorkGroup: 'primary', ...(token ? { ClientRequestToken: token } : {}) }),
  );
  for (;;) {
    const { QueryExecution } = await client.send(new GetQueryExecutionCommand({ QueryExecutionId }));
    const state = QueryExecution?.Status?.State ?? '';
    if (['SUCCEEDED', 'FAILED', 'CANCELLED'].includes(state)) {
      return {
        id: QueryExecutionId as string,
        state,
        ...(QueryExecution?.Status?.StateChangeReason ? { reason: QueryExecution.Status.StateChangeReason } : {}),
        scanned: QueryExecution?.Statistics?.DataScannedInBytes ?? 0,
        ...(QueryExecution?.StatementType ? { type: QueryExecution.StatementType } : {}),
      };
    }
  }
}

async function writeEvents(day: string, lines: Record<string, unknown>[]): Promise<void> {
  const names = resolveStreamNames('Events');
  const key = lakeObjectKey(names, Date.parse(`${day}T10:00:00Z`));
  await writeLakeFile(lakeDir, key, gzipSync(lines.map((l) => `${JSON.stringify(l)}\n`).join('')));
}

beforeEach(async () => {
  lakeDir = await mkdtemp(join(tmpdir(), 'fake-athena-'));
  server = await startFakeAthenaServer({ port: 0, lakeDir });
  client = new AthenaClient({ region: 'eu-west-1', endpoint: server.url, credentials: { accessKeyId: 'AKIDFAKE', secretAccessKey: 'fake' } });
  expect((await run('CREATE DATABASE IF NOT EXISTS `fiat`')).state).toBe('SUCCEEDED');
});

afterEach(async () => {
  client.destroy();
  await server.close();
  await rm(lakeDir, { recursive: true, force: true });
});

describe('startFakeAthenaServer', () => {
  it('creates a table from Fiat DDL and queries the lake with Athena value formatting', async () => {
    expect((await run(DDL)).state).toBe('SUCCEEDED');
    const today = new Date().toISOString().slice(0, 10);
    const t = formatTimestamp(Date.UTC(2026, 10, 26, 9, 5, 7, 0));
    await writeEvents(today, [
      { event_id: 'e1', event_time: t, n: 7, ratio: 0.5, ok: true, day: '2026-11-26', tags: { env: 'dev' }, items: [{ sku: 'a', qty: 2 }], payload: '{"x":1}' },
      { event_id: 'e2', event_time: t, n: 8, ratio: 1.5, ok: false, day: '2026-11-27', tags: {}, items: [], payload: '{"x":2}' },
    ]);
    const done = await run(
      "SELECT event_id, event_time, n, ratio, ok, day, tags, items, json_extract_scalar(payload, '$.x') AS x, dt, CAST(NULL AS varchar) AS nothing FROM events ORDER BY event_id",
    );
    expect(done).toMatchObject({ state: 'SUCCEEDED', type: 'DML' });
    expect(done.scanned).toBeGreaterThan(0);
    const page = await client.send(new GetQueryResultsCommand({ QueryExecutionId: done.id }));
    const rows = (page.ResultSet?.Rows ?? []).map((r) => (r.Data ?? []).map((d) => d.VarCharValue));
    expect(rows[0]).toEqual(['event_id', 'event_time', 'n', 'ratio', 'ok', 'day', 'tags', 'items', 'x', 'dt', 'nothing']);
    expect(rows[1]).toEqual(['e1', '2026-11-26 09:05:07.000', '7', '0.5', 'true', '2026-11-26', '{env=dev}', '[{sku=a, qty=2}]', '1', today, undefined]);
    expect(page.ResultSet?.ResultSetMetadata?.ColumnInfo?.map((c) => c.Type)).toEqual([
      'varchar', 'timestamp', 'bigint', 'double', 'boolean', 'date', 'map', 'array', 'varchar', 'varchar', 'varchar',
    ]);
  });

  it('pages with MaxResults and NextToken; the header row is the first row of page one', async () => {
    expect((await run(DDL)).state).toBe('SUCCEEDED');
    const today = new Date().toISOString().slice(0, 10);
    await writeEvents(today, Array.from({ length: 25 }, (_, i) => ({ event_id: `e${String(i).padStart(2, '0')}` })));
    const done = await run('SELECT event_id FROM events ORDER BY event_id');
    const seen: (string | undefined)[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await client.send(new GetQueryResultsCommand({ QueryExecutionId: done.id, MaxResults: 10, ...(token ? { NextToken: token } : {}) }));
      seen.push(...(page.ResultSet?.Rows ?? []).map((r) => r.Data?.[0]?.VarCharValue));
      token = page.NextToken;
      pages += 1;
    } while (token);
    expect(pages).toBe(3);
    expect(seen).toHaveLength(26);
    expect(seen[0]).toBe('event_id');
    expect(seen[1]).toBe('e00');
    expect(seen[25]).toBe('e24');
  });

  it('honours the projection range: partitions outside it are not read', async () => {
    expect((await run(DDL.replace('NOW-5YEARS,NOW', 'NOW-1DAYS,NOW'))).state).toBe('SUCCEEDED');
    await writeEvents('2020-01-01', [{ event_id: 'old' }]);
    await writeEvents(new Date().toISOString().slice(0, 10), [{ event_id: 'new' }]);
    const done = await run('SELECT event_id FROM events');
    const page = await client.send(new GetQueryResultsCommand({ QueryExecutionId: done.id }));
    expect(page.ResultSet?.Rows?.slice(1).map((r) => r.Data?.[0]?.VarCharValue)).toEqual(['new']);
  });

  it('a partitioned table without projection has no partitions (as without MSCK REPAIR)', async () => {
    const ddl = DDL.replace(/TBLPROPERTIES \([\s\S]*\)$/, '');
    expect((await run(ddl)).state).toBe('SUCCEEDED');
    await writeEvents(new Date().toISOString().slice(0, 10), [{ event_id: 'e1' }]);
    const done = await run('SELECT count(*) AS n FROM events');
    const page = await client.send(new GetQueryResultsCommand({ QueryExecutionId: done.id }));
    expect(page.ResultSet?.Rows?.[1]?.Data?.[0]?.VarCharValue).toBe('0');
  });

  it('DESCRIBE lists columns then the partition information, without a header row', async () => {
    await run(DDL);
    expect((await run('ALTER TABLE `fiat`.`events` ADD COLUMNS (`extra` string)')).state).toBe('SUCCEEDED');
    const done = await run('DESCRIBE `fiat`.`events`');
    expect(done.type).toBe('UTILITY');
    const page = await client.send(new GetQueryResultsCommand({ QueryExecutionId: done.id }));
    const lines = (page.ResultSet?.Rows ?? []).map((r) => r.Data?.[0]?.VarCharValue ?? '');
    expect(lines[0]?.split('\t').map((s) => s.trim())).toEqual(['event_id', 'string', '']);
    expect(lines.map((l) => l.split('\t')[0]?.trim())).toEqual([
      'event_id', 'event_time', 'n', 'ratio', 'ok', 'day', 'tags', 'items', 'payload', 'extra', 'dt', '', '# Partition Information', '# col_name', '', 'dt',
    ]);
  });

  it('the same ClientRequestToken returns the same QueryExecutionId; a different query with it is refused', async () => {
    const token = 'fiat-0123456789abcdef0123456789abcdef';
    const first = await run(DDL, token);
    const second = await run(DDL, token);
    expect(second.id).toBe(first.id);
    expect(server.executions).toHaveLength(2); // CREATE DATABASE + one CREATE TABLE
    await expect(run('SELECT 1', token)).rejects.toThrow(/Idempotent parameters do not match/);
  });

  it('reports FAILED with a StateChangeReason, and refuses several statements at once', async () => {
    const missing = await run('SELECT * FROM nowhere');
    expect(missing.state).toBe('FAILED');
    expect(missing.reason).toMatch(/nowhere/);
    const two = await run('CREATE DATABASE IF NOT EXISTS `a`; DROP TABLE `fiat`.`events`');
    expect(two).toMatchObject({ state: 'FAILED', reason: expect.stringMatching(/^Only one sql statement is allowed/) });
    await expect(client.send(new GetQueryResultsCommand({ QueryExecutionId: missing.id }))).rejects.toThrow(/nowhere/);
  });

  it('StopQueryExecution cancels a query that has not finished', async () => {
    const slow = await startFakeAthenaServer({ port: 0, lakeDir, pollsBeforeDone: 5 });
    const slowClient = new AthenaClient({ region: 'eu-west-1', endpoint: slow.url, credentials: { accessKeyId: 'AKIDFAKE', secretAccessKey: 'fake' } });
    const { QueryExecutionId } = await slowClient.send(new StartQueryExecutionCommand({ QueryString: 'SELECT 1' }));
    const first = await slowClient.send(new GetQueryExecutionCommand({ QueryExecutionId }));
    expect(first.QueryExecution?.Status?.State).toBe('QUEUED');
    await slowClient.send(new StopQueryExecutionCommand({ QueryExecutionId }));
    const after = await slowClient.send(new GetQueryExecutionCommand({ QueryExecutionId }));
    expect(['CANCELLED', 'SUCCEEDED']).toContain(after.QueryExecution?.Status?.State);
    slowClient.destroy();
    await slow.close();
  });
});

describe('parseStatement', () => {
  it('parses the DDL Fiat writes', () => {
    const statement = parseStatement(DDL);
    expect(statement.kind).toBe('createTable');
    if (statement.kind !== 'createTable') return;
    expect(statement.table.columns.find((c) => c.name === 'items')?.type).toBe('array<struct<sku:string,qty:bigint>>');
    expect(statement.table.properties['storage.location.template']).toBe('s3://acme-lake/events/dt=${dt}/');
    expect(statement.table.partitions).toEqual([{ name: 'dt', type: 'string' }]);
  });

  it('refuses identifiers that would break out of backticks', () => {
    expect(() => parseStatement('DESCRIBE `fiat`.`a b`')).toThrow(/invalid identifier/);
  });
});
