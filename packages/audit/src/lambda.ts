import type { AuditLogger } from './Audit.js';
import { endInvocation, flushInvocation, startInvocation, type AuditInvocationOptions, type LambdaContext } from './invocation.js';

export { FLUSH_MARGIN_MS } from './invocation.js';
export type { AuditInvocationOptions, LambdaContext } from './invocation.js';

/** Options of {@link auditHandler}. */
export type AuditHandlerOptions<TEvent = unknown, TContext extends LambdaContext = LambdaContext> = AuditInvocationOptions<TEvent, TContext>;

/**
 * Wraps a Lambda handler so that every invocation is audited: a start record (`task` = the
 * function's name, `task_args` = the event or `pickArgs(event)`, `ticket_id` = the request id or
 * `ticketId(event, context)`), then an output or error record, then a flush before the
 * invocation returns. The wrapper returns exactly what the handler returned and rethrows exactly
 * what it threw (the same objects): audit problems, a failed flush included, go to the logger's
 * `onError` and `stats().auditFailures`, never to the caller.
 *
 * @example
 * ```ts
 * import { Audit } from '@fiat/audit';
 * import { auditHandler } from '@fiat/audit/lambda';
 *
 * const logger = Audit.configure('firehose', { app: 'orders', email: 'orders@example.com', clientConfig: {} });
 * export const handler = auditHandler(logger, async (event: { orderId: string }) => ({ statusCode: 200 }), {
 *   pickArgs: (event) => ({ orderId: event.orderId }),
 * });
 * ```
 */
export function auditHandler<TEvent, TResult, TContext extends LambdaContext = LambdaContext>(
  logger: AuditLogger,
  handler: (event: TEvent, context: TContext) => TResult | Promise<TResult>,
  options: AuditHandlerOptions<TEvent, TContext> = {},
): (event: TEvent, context: TContext) => Promise<TResult> {
  return async (event, context) => {
    const call = startInvocation(logger, event, context, options);
    let result: TResult;
    try {
      result = await handler(event, context);
    } catch (error) {
      endInvocation(logger, call, { ok: false, error });
      await flushInvocation(logger, context, options);
      throw error;
    }
    endInvocation(logger, call, { ok: true, value: result });
    await flushInvocation(logger, context, options);
    return result;
  };
}
