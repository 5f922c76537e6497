import type { AuditLogger } from './Audit.js';
import type { AuditCall } from './AuditCall.js';
import { endInvocation, flushInvocation, startInvocation, type AuditInvocationOptions, type LambdaContext } from './invocation.js';

export type { AuditInvocationOptions, LambdaContext } from './invocation.js';

/** Options of {@link auditMiddleware}: those of `auditHandler`. */
export type AuditMiddlewareOptions<TEvent = unknown, TContext extends LambdaContext = LambdaContext> = AuditInvocationOptions<TEvent, TContext>;

/** The part of middy's request the middleware reads (`Request` of `@middy/core`). */
export interface MiddyRequestLike<TEvent = any, TResult = any, TContext extends LambdaContext = LambdaContext> {
  readonly event: TEvent;
  readonly context: TContext;
  readonly response: TResult | null | undefined;
  readonly error: unknown;
}

/** A middy middleware object (`MiddlewareObj` of `@middy/core` 5, 6 and 7). */
export interface AuditMiddleware<TEvent = any, TResult = any, TContext extends LambdaContext = LambdaContext> {
  readonly name: string;
  readonly before: (request: MiddyRequestLike<TEvent, TResult, TContext>) => undefined;
  readonly after: (request: MiddyRequestLike<TEvent, TResult, TContext>) => Promise<undefined>;
  readonly onError: (request: MiddyRequestLike<TEvent, TResult, TContext>) => Promise<undefined>;
}

/**
 * The Lambda wrapper as a middy middleware: `before` writes the start record, `after` the output
 * record (the response as the middlewares used before this one leave it), `onError` the error
 * record; each invocation ends with a flush. It never sets the response nor replaces the error,
 * and audit problems go to the logger's `onError` and `stats().auditFailures`. Use it first, so
 * that it sees the handler's final response. `@middy/core` is an optional peer dependency.
 *
 * @example
 * ```ts
 * import middy from '@middy/core';
 * import { auditMiddleware } from '@fiat/audit/middy';
 *
 * export const handler = middy(async (event: { orderId: string }) => ({ statusCode: 200 }))
 *   .use(auditMiddleware(logger, { pickArgs: (event) => ({ orderId: event.orderId }) }));
 * ```
 */
export function auditMiddleware<TEvent = any, TResult = any, TContext extends LambdaContext = LambdaContext>(
  logger: AuditLogger,
  options: AuditMiddlewareOptions<TEvent, TContext> = {},
): AuditMiddleware<TEvent, TResult, TContext> {
  // The call of each request, until its end record is written (once, whether after or onError comes first).
  const calls = new WeakMap<object, AuditCall | undefined>();
  const end = async (request: MiddyRequestLike<TEvent, TResult, TContext>, outcome: Parameters<typeof endInvocation>[2]): Promise<undefined> => {
    if (calls.has(request)) {
      const call = calls.get(request);
      calls.delete(request);
      endInvocation(logger, call, outcome);
      await flushInvocation(logger, request.context, options);
    }
    return undefined;
  };
  return {
    name: 'fiatAudit',
    before: (request) => {
      calls.set(request, startInvocation(logger, request.event, request.context, options));
      return undefined;
    },
    after: (request) => end(request, { ok: true, value: request.response }),
    onError: (request) => end(request, { ok: false, error: request.error }),
  };
}
