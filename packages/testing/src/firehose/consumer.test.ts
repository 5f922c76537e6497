import { Audit } from '@fiat/audit';
import { STORED_TIMESTAMP_REGEX } from '@fiat/core';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFakeFirehose } from './fake.js';
import { registerFiatMatchers } from './matchers.js';

registerFiatMatchers(expect);

let spoolDir: string;
beforeEach(async () => {
  spoolDir = await mkdtemp(join(tmpdir(), 'fiat-consumer-'));
});
afterEach(async () => {
  await rm(spoolDir, { recursive: true, force: true });
});

describe("a consumer's test: Audit.configure('firehose', { client: createFakeFirehose() })", () => {
  it("runs the seed's walkthrough and finds the start and output records, envelope included", async () => {
    // Prepare
    const fake = createFakeFirehose();
    const logger = Audit.configure('firehose', {
      app: 'audit',
      email: 'rich@example.com',
      tags: { environment: 'non-prod', team: 'NTA' },
      client: fake,
      spoolDir,
    });
    const _add = (x: number, y: number) => x + y;
    // Act
    const audit = logger.log({ task: '_add', task_args: { x: 1, y: 2 }, ticket_id: 'nta-1000' });
    const output = audit.logOutput({ output: _add(1, 2) });
    await logger.close();
    // Assess
    const records = fake.records('fiat-audit');
    expect(records).toHaveLength(2);
    expect(records[0]).toMatchObject({
      event_id: audit.start.eventId,
      app: 'audit',
      email: 'rich@example.com',
      tags: { environment: 'non-prod', team: 'NTA' },
      audit_id: audit.auditId,
      phase: 'start',
      task: '_add',
      task_args: '{"x":1,"y":2}',
      ticket_id: 'nta-1000',
    });
    expect(records[0]!.event_time).toMatch(STORED_TIMESTAMP_REGEX);
    expect(records[1]).toMatchObject({ event_id: output!.eventId, audit_id: audit.auditId, phase: 'output', output: '3' });
    expect(fake).toHaveLogged('Audit', { task: '_add', phase: 'output', output: 3 });
    expect(fake).toHaveLogged('Audit', { task_args: { x: 1, y: 2 } });
    expect(fake).not.toHaveLogged('Audit', { phase: 'error' });
    expect(fake).toHaveLoggedTimes('fiat-audit', 2);
    // Audit is chained: close() wrote the chain's checkpoint to its own delivery stream.
    expect(records[1]).toMatchObject({ chain_id: records[0]!.chain_id, chain_seq: 2 });
    expect(fake.records('fiat-checkpoint')).toMatchObject([{ chain_id: records[0]!.chain_id, stream: 'Audit', last_seq: 2, last_hash: records[1]!.chain_hash }]);
    expect(logger.stats().transport).toMatchObject({ received: 3, delivered: 3, pending: 0 });
  });

  it('reports a missing delivery stream at once through onError and keeps the records in the spool', async () => {
    // Prepare
    const fake = createFakeFirehose({ autoCreateStreams: false });
    const errors: Error[] = [];
    const logger = Audit.configure('firehose', { app: 'audit', email: 'rich@example.com', client: fake, spoolDir, onError: (e) => errors.push(e) });
    // Act
    logger.run('_add', { x: 1, y: 2 }, () => 3);
    const report = await logger.close();
    // Assess
    // One error per missing delivery stream: fiat-audit and fiat-checkpoint (the chain's checkpoint at close()).
    expect(errors).toHaveLength(2);
    expect(errors).toMatchObject([
      { code: 'DELIVERY_FAILED', cause: { name: 'ResourceNotFoundException' } },
      { code: 'DELIVERY_FAILED', cause: { name: 'ResourceNotFoundException' } },
    ]);
    expect(report).toMatchObject({ delivered: 0, undelivered: 3 });
  });
});
