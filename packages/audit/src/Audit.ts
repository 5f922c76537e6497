import { performance } from 'node:perf_hooks';
import {
  FiatError,
  isFiatError,
  uuidv7,
  ValidatedLog,
  type CloseReport,
  type FiatErrorCode,
  type FirehoseTransportOptions,
  type LocalLoggerOptions,
  type LogEntry,
  type LoggerOptions,
  type LoggerStats,
  type Redaction,
  type Transport,
} from '@fiat/core';
import { firehoseTransport } from '@fiat/core/firehose';
import { Audit as AuditStream } from '@fiat/schemas';
import { AuditCall, type AuditStart } from './AuditCall.js';
import { auditRedact } from './auditRedact.js';
import { errorParts } from './errorParts.js';
import { END_REPLACEABLE, shortenFields, START_REPLACEABLE, type AuditFields, type EndFields, type ReplaceableField, type StartFields } from './shorten.js';

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
  const loggerOptions = { ...options, streams: [AuditStream], ...(options.redact === undefined ? {} : { redact: auditRedact(options.redact) }) };
  const log =
    transport === 'local'
      ? ValidatedLog.configure('local', loggerOptions as LocalLoggerOptions)
      : transport === 'firehose'
        ? ValidatedLog.configure(firehoseTransport, loggerOptions as AuditFirehoseOptions & { streams: (typeof AuditStream)[] })
        : ValidatedLog.configure(transport, loggerOptions);
  return new AuditLogger(log, options.onError === undefined ? {} : { onError: options.onError });
}

/** Counters of an audit logger: the logger's, and what happened to end records. */
export interface AuditLoggerStats extends LoggerStats {
  /** Start, output or error records stored with a value replaced by an omitted marker (each also reported to `onError`). */
  readonly shortened: number;
  /**
   * Records that could not be written at all (each reported to `onError`): output or error records, and
   * the start records of `run()` calls that then ran unaudited (with no end record).
   */
  readonly unlogged: number;
  /** Problems that kept an audit wrapper (the Lambda wrapper, the middy middleware) from writing or flushing its records; each also went to `onError`. */
  readonly auditFailures: number;
}

/** What `close()` of an audit logger takes. */
export interface AuditCloseOptions {
  /**
   * Longest wait, in milliseconds, for the calls `run()` started to end and then for the transport
   * to deliver. Default: no limit.
   */
  readonly timeoutMs?: number;
}

/** Records: at most this many shortened attempts before giving up (one per replaceable field, and one more). */
const MAX_ATTEMPTS = 8;

/** A record written, with the fields it was written with (shortened or not). */
interface Written<F extends AuditFields> {
  readonly entry: LogEntry;
  readonly fields: F;
}

/** An audit logger: writes Audit records through a {@link ValidatedLog}. Make one with `Audit.configure`. */
export class AuditLogger {
  /** The underlying logger (for other streams, `flush`, `stats`). */
  readonly validatedLog: ValidatedLog;
  readonly #onError: ((error: FiatError) => void) | undefined;
  /** What the logger redacts in Audit records: its detectors also apply to every message given to onError. */
  readonly #redaction: Redaction;
  /** Calls run() started that have not ended; close() waits for them. */
  readonly #running = new Set<Promise<void>>();
  #closing = false;
  #shortened = 0;
  #unlogged = 0;
  #auditFailures = 0;

  /** Wraps a logger; `onError` receives the problems of the records `run()` and the end records write (nothing is ever thrown for them). */
  constructor(validatedLog: ValidatedLog, options: { readonly onError?: (error: FiatError) => void } = {}) {
    this.validatedLog = validatedLog;
    this.#onError = options.onError;
    this.#redaction = validatedLog.redactionOf(AuditStream);
  }

  /**
   * Reports a problem that kept an audit wrapper (the Lambda wrapper, the middy middleware) from
   * writing or flushing its records: counted in `stats().auditFailures` and passed to `onError` (a
   * non-Fiat error is wrapped with `code`). Never throws, so the audited code's outcome never depends on it.
   *
   * @example
   * ```ts
   * try { await logger.flush(); } catch (error) { logger.reportFailure(error); }
   * ```
   */
  reportFailure(error: unknown, code: FiatErrorCode = 'DELIVERY_FAILED'): void {
    this.#auditFailures += 1;
    this.#report(isFiatError(error) ? error : new FiatError(code, `audit: ${error instanceof Error ? error.message : String(error)}`, { cause: error }));
  }

  /**
   * Writes the start record of a call and returns it, to be ended with `logOutput` or `logError`.
   * Throws `VALIDATION_FAILED` when `task` is empty or `task_args` cannot be carried by JSON,
   * `RECORD_TOO_LARGE`, and `LOGGER_CLOSED` once `close()` was called.
   *
   * @example
   * ```ts
   * const audit = logger.log({ task: '_add', task_args: { x: 1, y: 2 }, ticket_id: 'nta-1000' });
   * audit.logOutput({ output: _add(1, 2) });
   * ```
   */
  log(fields: AuditStart): AuditCall {
    if (this.#closing) throw new FiatError('LOGGER_CLOSED', 'log() was called after close()');
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
    return new AuditCall((end) => this.#writeEnd(end), fields, auditId, start, startedAt);
  }

  /**
   * Audits one call of `fn`: logs the start, runs `fn` (sync or async), then logs its output or its
   * error with `duration_ms`. Always calls `fn`, and returns exactly what `fn` returned — for a
   * promise, a promise of the very value it resolves to — or rethrows exactly what `fn` threw:
   * nothing about the audit changes the outcome (fail open). Records that cannot be stored as they
   * are go shortened to the trail (a start record with `task_args` replaced by an omitted marker);
   * a start record that cannot be written at all (after `close()`, an empty `task`, a transport that
   * refuses it) goes to `onError` and `stats().unlogged`, and the call runs unaudited, with no end record.
   *
   * @example
   * ```ts
   * const sum = logger.run('_add', { x: 1, y: 2 }, () => _add(1, 2), { ticket_id: 'nta-1000' });
   * const user = await logger.run('fetchUser', { id: 7 }, () => db.users.find(7));
   * ```
   */
  run<R>(task: string, taskArgs: unknown, fn: () => R, options: { readonly ticket_id?: string } = {}): R {
    const call = this.#startRun({ task, task_args: taskArgs, ...(options.ticket_id === undefined ? {} : { ticket_id: options.ticket_id }) });
    let result: R;
    try {
      result = fn();
    } catch (error) {
      call?.logError(error);
      throw error;
    }
    if (call === undefined) return result;
    if (!isPromiseLike(result)) {
      call.logOutput({ output: result });
      return result;
    }
    return this.#whenSettled(call, result) as R;
  }

  /**
   * Writes the start record of a call the way `run()` does — shortened when `task_args` cannot be stored as they
   * are — for wrappers that own the call themselves (the Lambda `auditHandler` and `auditMiddleware`). Never throws:
   * when no start record can be written the problem is reported and counted, and `undefined` means "run unaudited".
   *
   * @internal
   * @example
   * ```ts
   * const call = logger.startCall({ task: 'orders-api', task_args: event, ticket_id: context.awsRequestId });
   * call?.logOutput({ output: result });
   * ```
   */
  startCall(start: AuditStart): AuditCall | undefined {
    return this.#startRun(start);
  }

  /**
   * Writes the start record of a `run()` call, shortened when `task_args` cannot be stored as they
   * are. Never throws: when no start record can be written the problem is reported and counted, and
   * `undefined` tells `run()` to call `fn` unaudited.
   */
  #startRun(start: AuditStart): AuditCall | undefined {
    const startedAt = performance.now();
    const fields: StartFields = {
      audit_id: uuidv7(),
      phase: 'start',
      task: start.task,
      task_args: start.task_args,
      ...(start.ticket_id === undefined ? {} : { ticket_id: start.ticket_id }),
    };
    if (this.#closing) return this.#noteUnlogged(fields, new FiatError('LOGGER_CLOSED', 'run() was called after close()'));
    const written = this.#writeShortened(fields, START_REPLACEABLE);
    if (written === undefined || written.entry.deadLettered) return undefined;
    const stored: AuditStart = { ...start, task_args: written.fields.task_args };
    return new AuditCall((end) => this.#writeEnd(end), stored, fields.audit_id, written.entry, startedAt);
  }

  /** Logs the end of an asynchronous call when it settles; close() waits for it. */
  #whenSettled(call: AuditCall, result: PromiseLike<unknown>): unknown {
    let ended!: () => void;
    const settled = new Promise<void>((resolve) => (ended = resolve));
    this.#running.add(settled);
    const end = (): void => {
      this.#running.delete(settled);
      ended();
    };
    try {
      return result.then(
        (value) => {
          call.logOutput({ output: value });
          end();
          return value;
        },
        (error: unknown) => {
          call.logError(error);
          end();
          throw error;
        },
      );
    } catch (error) {
      // A thenable whose then() throws: give it back untouched, as fn returned it.
      end();
      this.#report(new FiatError('VALIDATION_FAILED', `the result of the call with audit_id ${call.auditId} is a thenable whose then() threw; no end record`, { cause: error }));
      return result;
    }
  }

  /** Writes an output or error record, shortening it until it can be stored. Never throws. */
  #writeEnd(original: EndFields): LogEntry | undefined {
    return this.#writeShortened(original, END_REPLACEABLE)?.entry;
  }

  /** Writes a record, replacing `replaceable` values at fault by omitted markers until it can be stored. Never throws. */
  #writeShortened<F extends AuditFields>(original: F, replaceable: readonly ReplaceableField[]): Written<F> | undefined {
    let fields = original;
    let replaced: readonly ReplaceableField[] = [];
    let first: unknown;
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      try {
        const entry = this.validatedLog.log(AuditStream, fields, { onInvalid: 'throw' });
        if (replaced.length > 0) this.#noteShortened(original, replaced, first);
        return { entry, fields };
      } catch (error) {
        // Only the data can be shortened; anything else (closed, buffer full, a transport that throws) is final.
        if (!isFiatError(error, 'VALIDATION_FAILED') && !isFiatError(error, 'RECORD_TOO_LARGE')) return this.#noteUnlogged(original, error);
        first ??= error;
        const next = shortenFields(fields, error, replaced, replaceable, this.#redaction);
        if (next === undefined) break;
        ({ fields, replaced } = next);
      }
    }
    return this.#lastResort(original, fields);
  }

  /** Nothing left to shorten: the logger's own onInvalid decides (a dead letter, or an error reported here). */
  #lastResort<F extends AuditFields>(original: F, fields: F): Written<F> | undefined {
    try {
      const entry = this.validatedLog.log(AuditStream, fields);
      if (entry.deadLettered) this.#noteUnlogged(original, new FiatError('VALIDATION_FAILED', 'it went to the _fiat_deadletter stream instead'));
      return { entry, fields };
    } catch (error) {
      return this.#noteUnlogged(original, error);
    }
  }

  #noteShortened(fields: AuditFields, replaced: readonly string[], cause: unknown): void {
    this.#shortened += 1;
    const code = isFiatError(cause) ? cause.code : 'VALIDATION_FAILED';
    const why = describe(cause);
    this.#report(
      new FiatError(code, `Audit ${fields.phase} record of audit_id ${fields.audit_id} stored shortened: ${replaced.join(', ')} replaced by an omitted marker (${why})`, {
        cause,
      }),
    );
  }

  #noteUnlogged(fields: AuditFields, cause: unknown): undefined {
    this.#unlogged += 1;
    const code = isFiatError(cause) ? cause.code : 'VALIDATION_FAILED';
    const why = isFiatError(cause, 'LOGGER_CLOSED') ? 'it arrived after close()' : describe(cause);
    const then = fields.phase === 'start' ? '; the call runs unaudited' : '';
    this.#report(new FiatError(code, `Audit ${fields.phase} record of audit_id ${fields.audit_id} was not written: ${why}${then}`, { cause }));
    return undefined;
  }

  #report(error: FiatError): void {
    try {
      this.#onError?.(this.#scrubbed(error));
    } catch {
      // An onError that throws must not reach the audited code; the problem is counted in stats().
    }
  }

  /**
   * The error with the logger's detectors applied to its message and issues (they may quote what the
   * audited code threw); when that changed anything, the original (its `cause`) is not passed on.
   */
  #scrubbed(error: FiatError): FiatError {
    const message = this.#redaction.scrubText(error.message);
    const issues = this.#redaction.scrubIssues(error.issues);
    const same = message === error.message && issues.every((issue, i) => issue.path === error.issues[i]?.path && issue.message === error.issues[i]?.message);
    return same ? error : new FiatError(error.code, message, { issues });
  }

  /** Resolves when every record logged before the call is written. */
  flush(): Promise<void> {
    return this.validatedLog.flush();
  }

  /**
   * Writes the checkpoint of the Audit hash chain now when records were logged since the last one (see
   * `ValidatedLog.checkpoint`). Never throws. The Lambda wrappers (`auditHandler`, `auditMiddleware`, `withFlush`)
   * call it before each invocation's flush.
   *
   * @example
   * ```ts
   * logger.checkpoint();
   * await logger.flush();
   * ```
   */
  checkpoint(): void {
    this.validatedLog.checkpoint();
  }

  /**
   * Stops the logger: new `log()` calls throw `LOGGER_CLOSED` at once, new `run()` calls run `fn`
   * unaudited (reported to `onError` as `LOGGER_CLOSED`); calls `run()` already
   * started may still end and write their output or error record — `close()` waits for them (at
   * most `timeoutMs`), then flushes and closes the transport. An end record that arrives after
   * that is not written: it goes to `onError` as `LOGGER_CLOSED` and to `stats().unlogged`, and the
   * audited call still returns or throws exactly what it did.
   *
   * @example
   * ```ts
   * process.on('SIGTERM', async () => { await logger.close({ timeoutMs: 5000 }); process.exit(0); });
   * ```
   */
  async close(options: AuditCloseOptions = {}): Promise<CloseReport> {
    this.#closing = true;
    const started = performance.now();
    await waitFor([...this.#running], options.timeoutMs);
    if (options.timeoutMs === undefined) return this.validatedLog.close();
    return this.validatedLog.close({ timeoutMs: Math.max(1, options.timeoutMs - (performance.now() - started)) });
  }

  stats(): AuditLoggerStats {
    return { ...this.validatedLog.stats(), shortened: this.#shortened, unlogged: this.#unlogged, auditFailures: this.#auditFailures };
  }
}

/** A short, well-formed description of a problem, for messages. */
function describe(cause: unknown): string {
  const { name, message } = errorParts(cause);
  return `${name}: ${message}`.slice(0, 500);
}

/** Waits for promises that never reject, at most `timeoutMs` (none: no limit). */
async function waitFor(promises: readonly Promise<void>[], timeoutMs: number | undefined): Promise<void> {
  if (promises.length === 0) return;
  if (timeoutMs === undefined) {
    await Promise.all(promises);
    return;
  }
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, timeoutMs);
    timer.unref();
  });
  await Promise.race([Promise.all(promises), expired]);
  clearTimeout(timer);
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
 *
 * // A write-ahead log that survives SIGKILL: durability 'disk' needs its module, imported once for its effect.
 * import '@fiat/core/durable';
 * const durable = Audit.configure('local', { app: 'audit', email: 'rich@example.com', durability: 'disk' });
 * ```
 */
export const Audit = {
  /** The Audit stream definition (the same object as `Audit` in `@fiat/schemas`). */
  stream: AuditStream,
  /** `'local'` (embedded lake), `'firehose'` (Amazon Data Firehose: `client` or `clientConfig`) or any `Transport`. */
  configure,
} as const;
