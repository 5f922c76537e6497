import type { Context, Handler } from 'aws-lambda';
import { afterEach, describe, expect, expectTypeOf, it, vi } from 'vitest';
import type { FiatError } from '@fiat/core';
import { Audit } from './Audit.js';
import { auditHandler, type LambdaContext } from './lambda.js';
import { memoryTransport, type MemoryTransport } from './test-helpers/memory.js';

const context: LambdaContext = {
  functionName: 'orders-api',
  awsRequestId: 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef',
  getRemainingTimeInMillis: () => 30_000,
};

function setup(): { transport: MemoryTransport; errors: FiatError[]; logger: ReturnType<typeof Audit.configure> } {
  const transport = memoryTransport();
  const errors: FiatError[] = [];
  const logger = Audit.configure(transport, { app: 'orders', email: 'orders@example.com', onError: (error) => errors.push(error) });
  return { transport, errors, logger };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('auditHandler', () => {
  it('writes a start and an output record per invocation, flushes, and returns the very result', async () => {
    // Prepare
    const { transport, logger } = setup();
    const response = { statusCode: 200, body: 'ok' };
    let flushesWhenHandlerRan = -1;
    const handler = auditHandler(logger, async (event: { orderId: string }) => {
      flushesWhenHandlerRan = transport.flushes;
      return event.orderId === 'o-1' ? response : { statusCode: 404, body: '' };
    });
    // Act
    const result = await handler({ orderId: 'o-1' }, context);
    // Assess
    expect(result).toBe(response);
    expect(flushesWhenHandlerRan).toBe(0);
    expect(transport.flushes).toBe(1);
    const [start, output] = transport.lines();
    expect(start).toMatchObject({ phase: 'start', task: 'orders-api', task_args: '{"orderId":"o-1"}', ticket_id: context.awsRequestId });
    expect(output).toMatchObject({ phase: 'output', audit_id: start!.audit_id, output: JSON.stringify(response) });
  });

  it("checkpoints the Audit chain before each invocation's flush, so a frozen environment leaves no uncovered tail", async () => {
    // Prepare
    const { transport, logger } = setup();
    const handler = auditHandler(logger, async () => 'ok');
    const unchecked = auditHandler(logger, async () => 'ok', { checkpoint: false });
    // Act
    await handler({}, context);
    await handler({}, context);
    const flushesBefore = transport.flushes;
    await unchecked({}, context);
    // Assess: each checkpoint covers its invocation's two records and was written before that flush.
    expect(transport.checkpoints()).toMatchObject([
      { stream: 'Audit', last_seq: 2, record_count: 2 },
      { stream: 'Audit', last_seq: 4, record_count: 2 },
    ]);
    expect(transport.flushes).toBe(flushesBefore + 1);
    expect(transport.records.map((r) => r.names.table)).toEqual(['audit', 'audit', '_fiat_checkpoint', 'audit', 'audit', '_fiat_checkpoint', 'audit', 'audit']);
  });

  it('writes an error record, flushes, and rethrows the very error', async () => {
    const { transport, logger } = setup();
    const failure = new TypeError('no such order');
    const handler = auditHandler(logger, async () => {
      throw failure;
    });
    await expect(handler({}, context)).rejects.toBe(failure);
    expect(transport.flushes).toBe(1);
    expect(transport.lines()[1]).toMatchObject({ phase: 'error', error_name: 'TypeError', error_message: 'no such order' });
  });

  it('takes the task, the arguments and the ticket from the options', async () => {
    const { transport, logger } = setup();
    const handler = auditHandler(logger, (event: { orderId: string; card: string }) => event.orderId, {
      task: 'getOrder',
      pickArgs: (event) => ({ orderId: event.orderId }),
      ticketId: (event, ctx) => `${event.orderId}/${ctx.functionName}`,
    });
    expect(await handler({ orderId: 'o-2', card: '4111 1111 1111 1111' }, context)).toBe('o-2');
    expect(transport.lines()[0]).toMatchObject({ task: 'getOrder', task_args: '{"orderId":"o-2"}', ticket_id: 'o-2/orders-api' });
    expect(transport.records.map((r) => r.line).join('')).not.toContain('4111');
  });
});

describe('auditHandler types', () => {
  it('takes and gives handlers typed with @types/aws-lambda', async () => {
    const { logger } = setup();
    const handler: Handler<{ orderId: string }, { statusCode: number }> = auditHandler(logger, async (event: { orderId: string }, ctx: Context) => ({
      statusCode: event.orderId === ctx.awsRequestId ? 409 : 200,
    }));
    expectTypeOf(auditHandler(logger, async (event: { orderId: string }) => event.orderId.length)).returns.resolves.toEqualTypeOf<number>();
    expect(await handler({ orderId: 'o-1' }, context as Context, () => undefined)).toEqual({ statusCode: 200 });
  });
});

describe('auditHandler never changes what the handler did', () => {
  it('audits an event JSON cannot carry as run() does: task_args stored as an omitted marker, and reported', async () => {
    // Prepare: an event JSON cannot carry
    const { transport, errors, logger } = setup();
    const handler = auditHandler(logger, async (event: { n: bigint }) => Number(event.n) + 1);
    // Act
    const result = await handler({ n: 41n }, context);
    // Assess
    expect(result).toBe(42);
    const rows = transport.records.map((r) => JSON.parse(r.line) as Record<string, unknown>).filter((r) => r.phase !== undefined);
    expect(rows.map((r) => r.phase)).toEqual(['start', 'output']);
    expect(JSON.parse(rows[0]!.task_args as string)).toMatchObject({ fiat_omitted: true });
    expect(errors.map((e) => e.code)).toEqual(['VALIDATION_FAILED']);
    expect(logger.stats()).toMatchObject({ shortened: 1, unlogged: 0 });
  });

  it('runs the handler unaudited when the logger is closed, and reports it', async () => {
    const { transport, errors, logger } = setup();
    await logger.close();
    const before = transport.records.length;
    const result = await auditHandler(logger, async () => 'done')({}, context);
    expect(result).toBe('done');
    expect(transport.records).toHaveLength(before);
    expect(errors.map((e) => e.code)).toContain('LOGGER_CLOSED');
  });

  it('reports a pickArgs or ticketId that throws, and still audits the call', async () => {
    const { transport, errors, logger } = setup();
    const handler = auditHandler(logger, async () => 'done', {
      pickArgs: () => {
        throw new Error('pickArgs bug');
      },
      ticketId: () => {
        throw new Error('ticketId bug');
      },
    });
    expect(await handler({}, context)).toBe('done');
    expect(errors.map((e) => e.message)).toEqual(['audit: pickArgs threw: pickArgs bug', 'audit: ticketId threw: ticketId bug']);
    expect(transport.lines()[0]).toMatchObject({ task_args: null, ticket_id: context.awsRequestId });
  });

  it.each([
    ['the transport refuses records', (t: MemoryTransport) => (t.writeError = new Error('buffer full'))],
    ['the flush rejects', (t: MemoryTransport) => (t.flushBehaviour = 'reject')],
  ])('returns the result and rethrows the error when %s', async (_label, breakIt) => {
    // Prepare
    const { transport, errors, logger } = setup();
    breakIt(transport);
    const response = { ok: true };
    const failure = new Error('handler failed');
    const ok = auditHandler(logger, async () => response);
    const failing = auditHandler(logger, async () => {
      throw failure;
    });
    // Act + Assess
    expect(await ok({}, context)).toBe(response);
    await expect(failing({}, context)).rejects.toBe(failure);
    expect(errors.length).toBeGreaterThan(0);
    // A start record the transport refuses is counted as run() counts it (unlogged); the rest as audit failures.
    expect(logger.stats().auditFailures + logger.stats().unlogged).toBe(errors.length);
  });

  it('stops waiting for a flush that does not finish before the invocation would time out', async () => {
    // Prepare: 1.5 s left, so the flush may take 1 s
    vi.useFakeTimers();
    const { transport, errors, logger } = setup();
    const loggerTimers = vi.getTimerCount(); // the logger's own (unref'd) checkpoint timer
    transport.flushBehaviour = 'hang';
    const response = { statusCode: 200 };
    const handler = auditHandler(logger, async () => response);
    let settled: unknown;
    // Act
    const invocation = handler({}, { ...context, getRemainingTimeInMillis: () => 1500 }).then((value) => (settled = value));
    await vi.advanceTimersByTimeAsync(999);
    const early = settled;
    await vi.advanceTimersByTimeAsync(1);
    await invocation;
    // Assess
    expect(early).toBeUndefined();
    expect(settled).toBe(response);
    expect(errors.map((e) => `${e.code}: ${e.message}`)).toEqual([
      'DELIVERY_FAILED: audit: the flush did not finish within 1000 ms; its records stay buffered for the next invocation',
    ]);
    expect(vi.getTimerCount()).toBe(loggerTimers);
  });

  it('keeps the outcome when onError itself throws', async () => {
    const transport = memoryTransport();
    transport.flushBehaviour = 'reject';
    const logger = Audit.configure(transport, {
      app: 'orders',
      email: 'orders@example.com',
      onError: () => {
        throw new Error('onError bug');
      },
    });
    expect(await auditHandler(logger, async () => 'done')({}, context)).toBe('done');
    expect(logger.stats().auditFailures).toBe(1);
  });
});
