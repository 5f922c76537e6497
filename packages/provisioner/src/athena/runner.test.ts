import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AthenaClient } from '@aws-sdk/client-athena';
import { startFakeAthenaServer, type FakeAthenaServer } from '@fiat/testing';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { virtualClock } from '../test-helpers.js';
import { AthenaRunner, clientRequestToken } from './runner.js';

let lakeDir: string;
let athena: FakeAthenaServer;
let client: AthenaClient;

beforeEach(async () => {
  lakeDir = await mkdtemp(join(tmpdir(), 'fiat-runner-'));
  athena = await startFakeAthenaServer({ port: 0, lakeDir, pollsBeforeDone: 7 });
  client = new AthenaClient({ region: 'eu-west-1', endpoint: athena.url, credentials: { accessKeyId: 'AKIDFAKE', secretAccessKey: 'fake' } });
});
afterEach(async () => {
  client.destroy();
  await athena.close();
  await rm(lakeDir, { recursive: true, force: true });
});

describe('AthenaRunner', () => {
  it('polls with backoff from 250 ms, growing 1.5× up to the 5 s cap', async () => {
    const delays: number[] = [];
    const states: string[] = [];
    const runner = new AthenaRunner({
      client,
      database: 'default',
      maxDelayMs: 1000,
      sleep: async (ms) => void delays.push(ms),
      onState: (state) => states.push(state),
    });
    const result = await runner.query('SELECT 1 AS one');
    expect(result.rows).toEqual([{ one: 1 }]);
    expect(delays).toEqual([250, 375, 563, 845, 1000, 1000, 1000]);
    expect(states).toEqual(['QUEUED', 'RUNNING', 'SUCCEEDED']);
  });

  it('derives the same token for the same DDL, a fresh one for reads', () => {
    const scope = { database: 'fiat', workgroup: 'primary', outputLocation: 's3://r/' };
    expect(clientRequestToken('CREATE X', scope)).toBe(clientRequestToken('CREATE X', scope));
    expect(clientRequestToken('CREATE X', scope)).not.toBe(clientRequestToken('CREATE Y', scope));
    expect(clientRequestToken('SELECT 1', scope, true)).not.toBe(clientRequestToken('SELECT 1', scope, true));
    expect(clientRequestToken('CREATE X', scope).length).toBeLessThanOrEqual(128);
  });

  it('an idempotent statement run twice is one execution', async () => {
    const runner = new AthenaRunner({ client, database: 'default', sleep: async () => undefined });
    const first = await runner.execute('CREATE DATABASE IF NOT EXISTS `fiat`', { idempotent: true });
    const second = await runner.execute('CREATE DATABASE IF NOT EXISTS `fiat`', { idempotent: true });
    expect(second.queryExecutionId).toBe(first.queryExecutionId);
    expect(athena.executions).toHaveLength(1);
  });

  it('throws QUERY_FAILED with the StateChangeReason', async () => {
    const runner = new AthenaRunner({ client, database: 'default', sleep: async () => undefined });
    await expect(runner.query('SELECT * FROM missing_table')).rejects.toMatchObject({
      code: 'QUERY_FAILED',
      message: expect.stringMatching(/FAILED: .*missing_table/),
    });
  });

  it('stops a query still running at the deadline, without sleeping past it', async () => {
    // Prepare: the fake answers RUNNING seven times; the deadline comes first
    const clock = virtualClock(0);
    const runner = new AthenaRunner({ client, database: 'default', sleep: clock.sleep, now: clock.now });
    // Act
    const failure = runner.query('SELECT 1 AS one', { deadline: 1000 });
    // Assess
    await expect(failure).rejects.toMatchObject({ code: 'QUERY_FAILED', message: expect.stringMatching(/still RUNNING after 1000 ms; stopped it$/) });
    expect(clock.sleeps).toEqual([250, 375, 375]);
    await vi.waitFor(() => expect(athena.executions[0]?.state).toBe('CANCELLED'));
  });

  it('ends at timeoutMs when no deadline is given', async () => {
    const clock = virtualClock(0);
    const runner = new AthenaRunner({ client, database: 'default', sleep: clock.sleep, now: clock.now, timeoutMs: 700 });
    await expect(runner.query('SELECT 1 AS one')).rejects.toMatchObject({ code: 'QUERY_FAILED' });
    expect(clock.now()).toBe(700);
  });
});
