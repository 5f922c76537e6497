import { performance } from 'node:perf_hooks';
import {
  FiatError,
  uuidv7,
  ValidatedLog,
  type CloseReport,
  type FirehoseTransportOptions,
  type LocalLoggerOptions,
  type LogEntry,
  type LoggerOptions,
  type LoggerStats,
  type Transport,
  toWellFormed,
} from '@fiat/core';
import { Audit as AuditStream } from '@fiat/schemas';

/** Options of `Audit.configure`: the logger's options (without `streams`) and the transport's. */
export type AuditOptions = Omit<LoggerOptions, 'streams'>;

/**
 * Options of `Audit.configure('firehose', …)`: the logger's and the Firehose transport's
 * (`client` or `clientConfig`, never both).
 *
 * @example
 * ```ts
 * const options: AuditFirehoseOptions = { app: 'audit', email: 'rich@example.com', clientConfig: { region: 'eu-west-1' } };
 * ```
 */
export type AuditFirehoseOptions = AuditOptions & FirehoseTransportOptions;

function configure(transport: 'local', options: AuditOptions & Omit<LocalLoggerOptions, keyof LoggerOptions>): AuditLogger;
function configure(transport: 'firehose', options: AuditFirehoseOptions): AuditLogger;
function configure(transport: Transport, options: AuditOptions): AuditLogger;
function configure(
  transport: 'local' | 'firehose' | Transport,
  options: (AuditOptions & Omit<LocalLoggerOptions, keyof LoggerOptions>) | AuditFirehoseOptions,
): AuditLogger {
  const loggerOptions = { ...options, streams: [AuditStream] };
  const log =
    transport === 'local'
      ? ValidatedLog.configure('local', loggerOptions)
      : transport === 'firehose'
        ? ValidatedLog.configure('firehose', loggerOptions as AuditFirehoseOptions & { streams: (typeof AuditStream)[] })
        : ValidatedLog.configure(transport, loggerOptions);
  return new AuditLogger(log);
}

/** What starts an audited call. */
export interface AuditStart {
  /** The task being audited, e.g. a function name. */
  readonly task: string;
  /** Its arguments; any JSON value, stored as JSON text. */
  readonly task_args: unknown;
  /** The ticket it was run for. */
  readonly ticket_id?: string;
}

/**
 * One audited call: its start record is written; end it with {@link AuditCall.logOutput} or
 * {@link AuditCall.logError}. Both share the start's `audit_id` and add `duration_ms`.
 */
export class AuditCall {
  /** Shared by the start record and its output or error record. */
  readonly auditId: string;
  /** The start record's identity. */
  readonly start: LogEntry;
  readonly #logger: AuditLogger;
  readonly #fields: AuditStart;
  readonly #startedAt: number;

  /** @internal Use {@link AuditLogger.log}. */
  constructor(logger: AuditLogger, fields: AuditStart, auditId: string, start: LogEntry, startedAt: number) {
    this.#logger = logger;
    this.#fields = fields;
    this.auditId = auditId;
    this.start = start;
    this.#startedAt = startedAt;
  }

  /**
   * Records what the task returned (any JSON value, stored as JSON text).
   *
   * @example
   * ```ts
   * const audit = logger.log({ task: '_add', task_args: { x: 1, y: 2 } });
   * audit.logOutput({ output: 3 });
   * ```
   */
  logOutput({ output }: { readonly output?: unknown } = {}): LogEntry {
    return this.#logger.validatedLog.log(AuditStream, {
      ...this.#base('output'),
      ...(output === undefined ? {} : { output }),
    });
  }

  /**
   * Records that the task threw: `error_name` and `error_message` from the error (anything
   * thrown is accepted; non-errors are described with `String()`).
   *
   * @example
   * ```ts
   * try { risky(); } catch (error) { audit.logError(error); throw error; }
   * ```
   */
  logError(error: unknown): LogEntry {
    const name = error instanceof Error ? error.name : typeof error;
    const message = error instanceof Error ? error.message : String(error);
    // Derived by Fiat, so never refused: lone surrogates (a message cut by .slice()) become U+FFFD.
    return this.#logger.validatedLog.log(AuditStream, { ...this.#base('error'), error_name: toWellFormed(String(name)), error_message: toWellFormed(String(message)) });
  }

  #base(phase: 'output' | 'error') {
    return {
      audit_id: this.auditId,
      phase,
      task: this.#fields.task,
      task_args: this.#fields.task_args,
      ...(this.#fields.ticket_id === undefined ? {} : { ticket_id: this.#fields.ticket_id }),
      duration_ms: Math.round((performance.now() - this.#startedAt) * 1000) / 1000,
    };
  }
}

/** An audit logger: writes Audit records through a {@link ValidatedLog}. Make one with `Audit.configure`. */
export class AuditLogger {
  /** The underlying logger (for other streams, `flush`, `stats`). */
  readonly validatedLog: ValidatedLog;

  constructor(validatedLog: ValidatedLog) {
    this.validatedLog = validatedLog;
  }

  /**
   * Writes the start record of a call and returns it, to be ended with `logOutput` or `logError`.
   * Throws `VALIDATION_FAILED` when `task` is empty or `task_args` cannot be carried by JSON.
   *
   * @example
   * ```ts
   * const audit = logger.log({ task: '_add', task_args: { x: 1, y: 2 }, ticket_id: 'nta-1000' });
   * audit.logOutput({ output: _add(1, 2) });
   * ```
   */
  log(fields: AuditStart): AuditCall {
    if (typeof fields !== 'object' || fields === null) {
      throw new FiatError('VALIDATION_FAILED', 'Invalid Audit record: log() needs { task, task_args, ticket_id? }', {
        issues: [{ path: '', message: 'log() needs { task, task_args, ticket_id? }' }],
      });
    }
    const startedAt = performance.now();
    const auditId = uuidv7();
    const start = this.validatedLog.log(AuditStream, {
      audit_id: auditId,
      phase: 'start',
      task: fields.task,
      task_args: fields.task_args,
      ...(fields.ticket_id === undefined ? {} : { ticket_id: fields.ticket_id }),
    });
    return new AuditCall(this, fields, auditId, start, startedAt);
  }

  /**
   * Audits one call of `fn`: logs the start, runs `fn` (sync or async), then logs its output or
   * its error with `duration_ms`, and returns what `fn` returned or rethrows what it threw.
   *
   * @example
   * ```ts
   * const sum = logger.run('_add', { x: 1, y: 2 }, () => _add(1, 2), { ticket_id: 'nta-1000' });
   * const user = await logger.run('fetchUser', { id: 7 }, () => db.users.find(7));
   * ```
   */
  run<R>(task: string, taskArgs: unknown, fn: () => R, options: { readonly ticket_id?: string } = {}): R {
    const call = this.log({ task, task_args: taskArgs, ...(options.ticket_id === undefined ? {} : { ticket_id: options.ticket_id }) });
    let result: R;
    try {
      result = fn();
    } catch (error) {
      call.logError(error);
      throw error;
    }
    if (isPromiseLike(result)) {
      return result.then(
        (value) => {
          call.logOutput({ output: value });
          return value;
        },
        (error: unknown) => {
          call.logError(error);
          throw error;
        },
      ) as R;
    }
    call.logOutput({ output: result });
    return result;
  }

  /** Resolves when every record logged before the call is written. */
  flush(): Promise<void> {
    return this.validatedLog.flush();
  }

  /** Flushes and stops the logger; later calls throw `LOGGER_CLOSED`. */
  close(options?: { readonly timeoutMs?: number }): Promise<CloseReport> {
    return this.validatedLog.close(options);
  }

  /** The logger's counters. */
  stats(): LoggerStats {
    return this.validatedLog.stats();
  }
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}

/**
 * The seed's Audit wrapper. `Audit.configure(transport, options)` returns an {@link AuditLogger}.
 *
 * @example
 * ```ts
 * import { Audit } from '@fiat/audit';
 *
 * const logger = Audit.configure('local', { app: 'audit', email: 'rich@example.com', tags: { environment: 'non-prod', team: 'NTA' } });
 * const audit = logger.log({ task: '_add', task_args: { x: 1, y: 2 }, ticket_id: 'nta-1000' });
 * audit.logOutput({ output: _add(1, 2) });
 * await logger.close();
 *
 * // In production, through Amazon Data Firehose (delivery stream fiat-audit):
 * const prod = Audit.configure('firehose', { app: 'audit', email: 'rich@example.com', clientConfig: { region: 'eu-west-1' } });
 * ```
 */
export const Audit = {
  /** The Audit stream definition (the same object as `Audit` in `@fiat/schemas`). */
  stream: AuditStream,
  /** `'local'` (embedded lake), `'firehose'` (Amazon Data Firehose: `client` or `clientConfig`) or any `Transport`. */
  configure,
} as const;
