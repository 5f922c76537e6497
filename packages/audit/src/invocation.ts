import { FiatError } from '@fiat/core';
import type { AuditLogger } from './Audit.js';
import type { AuditCall } from './AuditCall.js';

/**
 * The parts of the Lambda context Fiat reads; `Context` of `@types/aws-lambda` has them all.
 *
 * @example
 * ```ts
 * const context: LambdaContext = { functionName: 'orders', awsRequestId: 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef' };
 * ```
 */
export interface LambdaContext {
  /** The function's name: the default `task`. */
  readonly functionName: string;
  /** The invocation's request id: the default `ticket_id`. */
  readonly awsRequestId: string;
  /** Milliseconds left before Lambda stops the invocation; bounds the flush. */
  getRemainingTimeInMillis?(): number;
}

/** Options of `auditHandler` and `auditMiddleware`. */
export interface AuditInvocationOptions<TEvent = unknown, TContext extends LambdaContext = LambdaContext> {
  /** The `task` of the records. Default: the context's `functionName`. */
  readonly task?: string;
  /** What of the event to store as `task_args` (drop secrets, keep what identifies the request). Default: the whole event. */
  readonly pickArgs?: (event: TEvent) => unknown;
  /** The `ticket_id` of the records. Default: the context's `awsRequestId`. */
  readonly ticketId?: (event: TEvent, context: TContext) => string | undefined;
  /**
   * Longest wait, in milliseconds, for the flush that ends each invocation; records it leaves
   * buffered go with the next invocation. Default: the invocation's remaining time less
   * {@link FLUSH_MARGIN_MS} (`getRemainingTimeInMillis`), no limit when the context cannot tell.
   */
  readonly flushTimeoutMs?: number;
  /**
   * Write the checkpoint of the Audit hash chain before the flush that ends each invocation, so that every
   * invocation's records are covered even when Lambda freezes the execution environment and later discards it
   * without running exit handlers (`fiat verify` would report the last records as an uncovered tail). Costs one
   * `_fiat_checkpoint` record per invocation. Default: `true`.
   */
  readonly checkpoint?: boolean;
}

/** What the flush leaves of an invocation's remaining time, so the result still reaches Lambda: 500 ms. */
export const FLUSH_MARGIN_MS = 500;

/** Runs a user callback (`pickArgs`, `ticketId`); what it throws is reported and `fallback` used. */
function guarded<T>(logger: AuditLogger, what: string, fn: () => T, fallback: T): T {
  try {
    return fn();
  } catch (error) {
    logger.reportFailure(new FiatError('VALIDATION_FAILED', `audit: ${what} threw: ${error instanceof Error ? error.message : String(error)}`, { cause: error }));
    return fallback;
  }
}

/**
 * Writes the start record of one invocation, as `run()` does: an event that cannot be stored as it is (too large, or
 * not JSON) is stored as an omitted marker. Never throws: a start record that cannot be written at all (a closed
 * logger, a full buffer) is reported, and the invocation runs unaudited.
 *
 * @example
 * ```ts
 * const call = startInvocation(logger, event, context, { pickArgs: (e) => e.detail });
 * ```
 */
export function startInvocation<TEvent, TContext extends LambdaContext>(
  logger: AuditLogger,
  event: TEvent,
  context: TContext,
  options: AuditInvocationOptions<TEvent, TContext>,
): AuditCall | undefined {
  const pickArgs = options.pickArgs;
  const ticketId = options.ticketId;
  const taskArgs = pickArgs === undefined ? event : guarded(logger, 'pickArgs', () => pickArgs(event), null);
  const ticket = ticketId === undefined ? context?.awsRequestId : guarded(logger, 'ticketId', () => ticketId(event, context), context?.awsRequestId);
  const task = options.task ?? context?.functionName ?? 'lambda';
  // As run() does: task_args that cannot be stored as they are (too large, not JSON) are stored shortened.
  return logger.startCall({ task, task_args: taskArgs, ...(typeof ticket === 'string' ? { ticket_id: ticket } : {}) });
}

/**
 * Writes the output or error record of an invocation. Never throws.
 *
 * @example
 * ```ts
 * endInvocation(logger, call, { ok: true, value: result });
 * ```
 */
export function endInvocation(logger: AuditLogger, call: AuditCall | undefined, outcome: { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: unknown }): void {
  if (call === undefined) return;
  try {
    if (outcome.ok) call.logOutput({ output: outcome.value });
    else call.logError(outcome.error);
  } catch (error) {
    logger.reportFailure(error);
  }
}

/**
 * Writes the Audit chain's checkpoint (unless `checkpoint: false`), then flushes the logger before the
 * invocation returns, waiting at most `flushTimeoutMs` (default: the remaining time less
 * {@link FLUSH_MARGIN_MS}). Never rejects: a failed or unfinished flush is reported.
 *
 * @example
 * ```ts
 * await flushInvocation(logger, context, {});
 * ```
 */
export async function flushInvocation(
  logger: AuditLogger,
  context: LambdaContext | undefined,
  options: { readonly flushTimeoutMs?: number; readonly checkpoint?: boolean },
): Promise<void> {
  if (options.checkpoint !== false) logger.checkpoint();
  const remaining = guarded(logger, 'getRemainingTimeInMillis', () => context?.getRemainingTimeInMillis?.(), undefined);
  const limit = options.flushTimeoutMs ?? (typeof remaining === 'number' ? Math.max(0, remaining - FLUSH_MARGIN_MS) : undefined);
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    const flushed = Promise.resolve().then(() => logger.flush());
    const outcome = await (limit === undefined
      ? flushed.then(() => 'flushed' as const)
      : Promise.race([flushed.then(() => 'flushed' as const), new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), limit)))]));
    if (outcome === 'late') {
      flushed.catch((error: unknown) => logger.reportFailure(error));
      logger.reportFailure(new FiatError('DELIVERY_FAILED', `audit: the flush did not finish within ${limit} ms; its records stay buffered for the next invocation`));
    }
  } catch (error) {
    logger.reportFailure(error);
  } finally {
    if (timer !== undefined) clearTimeout(timer);
  }
}
