import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { Audit } from '@fiat/audit';
import { compileValidator, type JsonSchema } from '@fiat/core';
import { main } from './cli.js';
import { captureContext } from './test-helpers.js';
import { readdir } from 'node:fs/promises';

const repoRoot = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..');

async function query(lakeDir: string, sql: string): Promise<Record<string, unknown>[]> {
  const context = captureContext(repoRoot);
  const code = await main(['query', sql, '--json', '--lake-dir', lakeDir], context);
  expect(context.err).toBe('');
  expect(code).toBe(0);
  return JSON.parse(context.out) as Record<string, unknown>[];
}

describe('the Audit walkthrough end to end on the local lake', () => {
  it('answers SQL with exact counts, and every stored line validates against schemas/Audit/json_schema.json', async () => {
    // Prepare
    const lakeDir = await mkdtemp(join(tmpdir(), 'fiat-e2e-'));
    const logger = Audit.configure('local', {
      app: 'audit',
      email: 'rich@example.com',
      tags: { environment: 'non-prod', team: 'NTA' },
      lakeDir,
      bufferBytes: 64 * 1024,
    });
    const tasks = ['_add', '_divide', 'fetch_invoice', 'rename_user'] as const;
    const calls = 2000;
    // Act: every 9th call throws; async tasks are awaited.
    for (let i = 0; i < calls; i++) {
      const task = tasks[i % tasks.length]!;
      const fn = (): unknown => {
        if (i % 9 === 0) throw new Error(`call ${i} failed`);
        return task === 'fetch_invoice' ? Promise.resolve({ id: i }) : i * 2;
      };
      try {
        await logger.run(task, { x: i, y: i % 5 }, fn, { ticket_id: `nta-${i % 10}` });
      } catch {
        // expected for every 9th call
      }
    }
    await logger.close();

    // Assess: counts per task and phase
    const errors = Array.from({ length: calls }, (_, i) => i).filter((i) => i % 9 === 0);
    const perPhase = await query(lakeDir, 'SELECT task, phase, count(*) AS n FROM audit GROUP BY task, phase ORDER BY task, phase');
    const expected: Record<string, unknown>[] = [];
    for (const task of [...tasks].sort()) {
      const mine = Array.from({ length: calls }, (_, i) => i).filter((i) => tasks[i % tasks.length] === task);
      const failed = mine.filter((i) => errors.includes(i)).length;
      if (failed > 0) expected.push({ task, phase: 'error', n: failed });
      expected.push({ task, phase: 'output', n: mine.length - failed });
      expected.push({ task, phase: 'start', n: mine.length });
    }
    expect(perPhase).toEqual(expected);

    // json_extract over task_args
    const [extracted] = await query(
      lakeDir,
      `SELECT max(CAST(json_extract_scalar(task_args, '$.x') AS BIGINT)) AS max_x, sum(CAST(json_extract(task_args, '$.y') AS BIGINT)) AS sum_y FROM audit WHERE phase = 'start'`,
    );
    expect(extracted).toEqual({ max_x: calls - 1, sum_y: Array.from({ length: calls }, (_, i) => i % 5).reduce((a, b) => a + b, 0) });

    // starts joined to their outputs by audit_id
    const [joined] = await query(
      lakeDir,
      `SELECT count(*) AS n, count(DISTINCT s.audit_id) AS ids, sum(CAST(o.output AS BIGINT)) AS total
         FROM audit s JOIN audit o ON o.audit_id = s.audit_id AND o.phase = 'output' WHERE s.phase = 'start' AND s.task <> 'fetch_invoice'`,
    );
    const outputs = Array.from({ length: calls }, (_, i) => i).filter((i) => !errors.includes(i) && tasks[i % tasks.length] !== 'fetch_invoice');
    expect(joined).toEqual({ n: outputs.length, ids: outputs.length, total: outputs.reduce((a, i) => a + i * 2, 0) });

    // dt comes from the folder names; the envelope is there
    const [envelope] = await query(lakeDir, `SELECT count(DISTINCT dt) AS days, min(app) AS app, min(tags['team']) AS team FROM audit`);
    expect(envelope).toEqual({ days: 1, app: 'audit', team: 'NTA' });

    // every stored line validates against the committed JSON Schema
    const schema = JSON.parse(await readFile(join(repoRoot, 'schemas/Audit/json_schema.json'), 'utf8')) as JsonSchema;
    const validator = compileValidator(schema, 'Audit');
    const [partition] = await readdir(join(lakeDir, 'audit'));
    let lines = 0;
    for (const file of await readdir(join(lakeDir, 'audit', partition!))) {
      const text = gunzipSync(await readFile(join(lakeDir, 'audit', partition!, file))).toString('utf8');
      expect(text.endsWith('\n')).toBe(true);
      for (const line of text.split('\n').filter((l) => l !== '')) {
        expect(validator.issues(JSON.parse(line))).toEqual([]);
        lines += 1;
      }
    }
    expect(lines).toBe(calls * 2);
  });
});
