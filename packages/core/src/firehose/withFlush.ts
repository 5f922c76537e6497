// Owns the Lambda helper: each invocation of a wrapped handler ends with a flush, so nothing is left
// in memory when the runtime freezes the process.

/**
 * Wraps a Lambda (or any async) handler so that each invocation ends with a flush of the
 * logger or transport: nothing is left in memory when the runtime freezes. A logger's hash chains
 * are checkpointed first (`checkpoint()`, when the target has it), so a frozen and discarded
 * execution environment leaves no uncovered tail. A failing flush never changes what the handler returned or
 * threw (the transport reports it to `onError` and `stats()`).
 *
 * @example
 * ```ts
 * const logger = Audit.configure('firehose', { app: 'orders', email: 'team@example.com', clientConfig: {} });
 * export const handler = withFlush(logger, async (event) => logger.run('handle', event, () => handle(event)));
 * ```
 */
export function withFlush<TEvent, TContext, TResult>(
  target: { flush(): Promise<void>; checkpoint?(): void },
  handler: (event: TEvent, context: TContext) => TResult | Promise<TResult>,
): (event: TEvent, context: TContext) => Promise<TResult> {
  return async (event, context) => {
    try {
      return await handler(event, context);
    } finally {
      // The handler's result or error stands: a flush that fails (e.g. the spool's disk) was already reported to the
      // logger's onError and stats() by the transport, and must not replace what the handler did.
      try {
        target.checkpoint?.();
        await target.flush();
      } catch {
        // reported by the transport
      }
    }
  };
}
