import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import '@fiat/core/durable';
import { describe, expect, it } from 'vitest';
import { Audit } from './Audit.js';
import { memoryTransport } from './test-helpers/memory.js';

const options = { app: 'audit', email: 'rich@example.com', tags: { environment: 'non-prod', team: 'NTA' } };
const _add = (x: number, y: number): number => x + y;

describe('Audit', () => {
  it("runs the seed's walkthrough into the local lake: a start and an output sharing audit_id", async () => {
    // Prepare
    const lakeDir = await mkdtemp(join(tmpdir(), 'fiat-audit-'));
    // Act
    const logger = Audit.configure('local', { ...options, lakeDir });
    const audit = logger.log({ task: '_add', task_args: { x: 1, y: 2 }, ticket_id: 'nta-1000' });
    audit.logOutput({ output: _add(1, 2) });
    await logger.close();
    // Assess
    const [partition] = await readdir(join(lakeDir, 'audit'));
    const [file] = await readdir(join(lakeDir, 'audit', partition!));
    const rows = gunzipSync(await readFile(join(lakeDir, 'audit', partition!, file!)))
      .toString('utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({
      app: 'audit',
      email: 'rich@example.com',
      tags: { environment: 'non-prod', team: 'NTA' },
      audit_id: audit.auditId,
      phase: 'start',
      task: '_add',
      task_args: '{"x":1,"y":2}',
      ticket_id: 'nta-1000',
    });
    expect(rows[0].output).toBeUndefined();
    expect(rows[1]).toMatchObject({ audit_id: audit.auditId, phase: 'output', task: '_add', output: '3', ticket_id: 'nta-1000' });
    expect(rows[1].duration_ms).toBeGreaterThanOrEqual(0);
    expect(rows[0].event_id).toBe(audit.start.eventId);
    expect(rows[1].event_id).not.toBe(rows[0].event_id);
  });

  it("takes durability 'disk': each record is in the write-ahead log when log() returns, and run() keeps its result", async () => {
    // Prepare
    const lakeDir = await mkdtemp(join(tmpdir(), 'fiat-audit-'));
    const walDir = await mkdtemp(join(tmpdir(), 'fiat-audit-wal-'));
    const logger = Audit.configure('local', { ...options, lakeDir, durability: 'disk', walDir, walSyncMs: 0 });
    // Act
    const sum = logger.run('_add', { x: 1, y: 2 }, () => _add(1, 2));
    const inLog = logger.stats().wal;
    const report = await logger.close();
    // Assess
    expect(sum).toBe(3);
    expect(inLog).toMatchObject({ dir: join(walDir, 'audit'), records: 2, unsyncedBytes: 0 });
    expect(report).toMatchObject({ delivered: 3, undelivered: 0 }); // the two records and the Audit chain's checkpoint
    expect((await readdir(join(walDir, 'audit'))).filter((f) => f.endsWith('.wal'))).toEqual([]);
  });

  it('logError stores the error name and message', () => {
    const transport = memoryTransport();
    const logger = Audit.configure(transport, options);
    logger.log({ task: 'charge', task_args: [1] }).logError(new TypeError('card declined'));
    logger.log({ task: 'charge', task_args: [2] }).logError('plain string');
    const [, error, , other] = transport.lines();
    expect(error).toMatchObject({ phase: 'error', error_name: 'TypeError', error_message: 'card declined' });
    expect(other).toMatchObject({ phase: 'error', error_name: 'string', error_message: 'plain string' });
  });

  it('run logs start and output of a sync function and returns its value', () => {
    const transport = memoryTransport();
    const logger = Audit.configure(transport, options);
    expect(logger.run('_add', { x: 1, y: 2 }, () => _add(1, 2), { ticket_id: 'nta-1' })).toBe(3);
    const [start, output] = transport.lines();
    expect(start).toMatchObject({ phase: 'start', ticket_id: 'nta-1' });
    expect(output).toMatchObject({ phase: 'output', output: '3', audit_id: start!.audit_id, ticket_id: 'nta-1' });
    expect(typeof output!.duration_ms).toBe('number');
  });

  it('run logs the error of a throwing function and rethrows it', () => {
    const transport = memoryTransport();
    const logger = Audit.configure(transport, options);
    const boom = new RangeError('boom');
    expect(() =>
      logger.run('explode', {}, () => {
        throw boom;
      }),
    ).toThrow(boom);
    expect(transport.lines().map((r) => r.phase)).toEqual(['start', 'error']);
    expect(transport.lines()[1]).toMatchObject({ error_name: 'RangeError', error_message: 'boom' });
  });

  it('run awaits async functions, logging output or error when they settle', async () => {
    const transport = memoryTransport();
    const logger = Audit.configure(transport, options);
    await expect(logger.run('fetch', { id: 1 }, async () => ({ id: 1 }))).resolves.toEqual({ id: 1 });
    await expect(logger.run('fetch', { id: 2 }, async () => Promise.reject(new Error('missing')))).rejects.toThrow('missing');
    expect(transport.lines().map((r) => `${r.task}:${r.phase}`)).toEqual(['fetch:start', 'fetch:output', 'fetch:start', 'fetch:error']);
    expect(transport.lines()[1]!.output).toBe('{"id":1}');
  });

  it('refuses task_args that JSON cannot carry, naming the field, and writes nothing', () => {
    const transport = memoryTransport();
    const logger = Audit.configure(transport, options);
    expect(() => logger.log({ task: 'x', task_args: { n: 10n } })).toThrow(/task_args\.n: is a BigInt/);
    expect(() => logger.log({ task: '', task_args: {} })).toThrow(/task: must NOT have fewer than 1 characters/);
    expect(transport.lines()).toEqual([]);
  });
});
