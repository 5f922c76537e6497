import { performance } from 'node:perf_hooks';
import type { LogEntry } from '@fiat/core';
import { errorParts } from './errorParts.js';
import type { EndFields } from './shorten.js';

/** What starts an audited call. */
export interface AuditStart {
  /** The task being audited, e.g. a function name. */
  readonly task: string;
  /** Its arguments; any JSON value, stored as JSON text. */
  readonly task_args: unknown;
  /** The ticket it was run for. */
  readonly ticket_id?: string;
}

/** Writes an end record; never throws (problems go to onError and stats). */
export type EndWriter = (fields: EndFields) => LogEntry | undefined;

/**
 * One audited call: its start record is written; end it with {@link AuditCall.logOutput} or
 * {@link AuditCall.logError}. Both share the start's `audit_id` and add `duration_ms`, and neither
 * ever throws: a record that cannot be stored as it is is stored shortened (the value replaced by an
 * omitted marker), and one that cannot be stored at all is reported to `onError` and counted in
 * `stats().unlogged`.
 */
export class AuditCall {
  /** Shared by the start record and its output or error record. */
  readonly auditId: string;
  /** The start record's identity. */
  readonly start: LogEntry;
  readonly #write: EndWriter;
  readonly #fields: AuditStart;
  readonly #startedAt: number;

  /** @internal Use {@link AuditLogger.log}. */
  constructor(write: EndWriter, fields: AuditStart, auditId: string, start: LogEntry, startedAt: number) {
    this.#write = write;
    this.#fields = fields;
    this.auditId = auditId;
    this.start = start;
    this.#startedAt = startedAt;
  }

  /**
   * Records what the task returned (any JSON value, stored as JSON text). Never throws; returns the
   * record written, or `undefined` when none could be (the reason went to `onError`).
   *
   * @example
   * ```ts
   * const audit = logger.log({ task: '_add', task_args: { x: 1, y: 2 } });
   * audit.logOutput({ output: 3 });
   * ```
   */
  logOutput({ output }: { readonly output?: unknown } = {}): LogEntry | undefined {
    return this.#write({ ...this.#base('output'), ...(output === undefined ? {} : { output }) });
  }

  /**
   * Records that the task threw: `error_name` and `error_message` from the error (anything thrown is
   * accepted; non-errors are described with `String()`; lone surrogates become U+FFFD). Never throws.
   *
   * @example
   * ```ts
   * try { risky(); } catch (error) { audit.logError(error); throw error; }
   * ```
   */
  logError(error: unknown): LogEntry | undefined {
    const { name, message } = errorParts(error);
    return this.#write({ ...this.#base('error'), error_name: name, error_message: message });
  }

  #base(phase: 'output' | 'error'): EndFields {
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
