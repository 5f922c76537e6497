// Owns the Lambda helper: each invocation of a wrapped handler ends with a flush, so nothing is left
// in memory when the runtime freezes the process.

/**
 * Wraps a Lambda (or any async) handler so that each invocation ends with a flush of the
 * logger or transport: nothing is left in memory when the runtime freezes. A logger's hash chains
 * are checkpointed first (`checkpoint()`, when the target has it), so a frozen and discarded
 * execution environment leaves no uncovered tail.
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
      target.checkpoint?.();
      await target.flush();
    }
  };
}
