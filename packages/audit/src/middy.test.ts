import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import type { FiatError } from '@fiat/core';
import { Audit } from './Audit.js';
import { auditMiddleware } from './middy.js';
import { memoryTransport, type MemoryTransport } from './test-helpers/memory.js';

// The real @middy/core (a dev dependency; an optional peer dependency of @fiat/audit).

const context = {
  functionName: 'orders-api',
  awsRequestId: 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef',
  getRemainingTimeInMillis: () => 30_000,
} as unknown as Context;

function setup(): { transport: MemoryTransport; errors: FiatError[]; logger: ReturnType<typeof Audit.configure> } {
  const transport = memoryTransport();
  const errors: FiatError[] = [];
  const logger = Audit.configure(transport, { app: 'orders', email: 'orders@example.com', onError: (error) => errors.push(error) });
  return { transport, errors, logger };
}

describe('auditMiddleware', () => {
  it('audits the invocation with the final response, flushes, and returns the very response', async () => {
    // Prepare: a middleware used after ours changes the response; ours runs its `after` last
    const { transport, logger } = setup();
    const handler = middy(async (event: { orderId: string }) => ({ statusCode: 200, orderId: event.orderId }))
      .use(auditMiddleware(logger, { pickArgs: (event: { orderId: string }) => ({ orderId: event.orderId }) }))
      .use({
        after: (request) => {
          request.response = { ...request.response, headers: { 'x-audited': 'yes' } };
        },
      });
    // Act
    const result = await handler({ orderId: 'o-1' }, context);
    // Assess
    expect(result).toEqual({ statusCode: 200, orderId: 'o-1', headers: { 'x-audited': 'yes' } });
    const [start, output] = transport.lines();
    expect(start).toMatchObject({ phase: 'start', task: 'orders-api', task_args: '{"orderId":"o-1"}', ticket_id: context.awsRequestId });
    expect(JSON.parse(output!.output as string)).toEqual(result);
    expect(transport.flushes).toBe(1);
  });

  it('writes an error record and lets the very error through', async () => {
    const { transport, logger } = setup();
    const failure = new RangeError('quantity must be positive');
    const handler = middy(async () => {
      throw failure;
    }).use(auditMiddleware(logger));
    await expect(handler({}, context)).rejects.toBe(failure);
    expect(transport.lines().map((l) => l.phase)).toEqual(['start', 'error']);
    expect(transport.lines()[1]).toMatchObject({ error_name: 'RangeError', error_message: 'quantity must be positive' });
    expect(transport.flushes).toBe(1);
  });

  it('records the error once, also when an error handler turns it into a response', async () => {
    const { transport, logger } = setup();
    const handler = middy(async (): Promise<{ statusCode: number }> => {
      throw new Error('boom');
    })
      .use(auditMiddleware(logger))
      .use({
        onError: (request) => {
          request.response = { statusCode: 500 };
        },
      });
    expect(await handler({}, context)).toEqual({ statusCode: 500 });
    expect(transport.lines().map((l) => l.phase)).toEqual(['start', 'error']);
  });

  it('never changes the response or the error when auditing fails', async () => {
    // Prepare: every flush fails
    const { transport, errors, logger } = setup();
    transport.flushBehaviour = 'reject';
    const response = { statusCode: 201 };
    const failure = new Error('handler failed');
    const ok = middy(async () => response).use(auditMiddleware(logger));
    const failing = middy(async () => {
      throw failure;
    }).use(auditMiddleware(logger));
    // Act + Assess
    expect(await ok({}, context)).toBe(response);
    await expect(failing({}, context)).rejects.toBe(failure);
    expect(errors.map((e) => e.message)).toEqual(['audit: flush failed: disk full', 'audit: flush failed: disk full']);
    expect(logger.stats().auditFailures).toBe(2);
  });
});
