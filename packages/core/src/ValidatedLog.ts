import { FiatError, isFiatError } from './errors.js';
import { DeadLetter, describeAsJson } from './deadletter.js';
import { isStreamDefinition } from './brand.js';
import { checkEnvelopeOptions, checkStreamsOption } from './loggerOptions.js';
import { resolveStreamNames, type StreamNameOverrides, type StreamNames } from './names.js';
import { envelopeJson, type Envelope, type StreamDefinition } from './stream.js';
import type { CloseReport, Transport, TransportStats } from './transport.js';
import { createLocalTransport, type LocalTransportOptions } from './transports/local.js';
import { createFirehoseTransport, type FirehoseTransportOptions } from './transports/firehose.js';
import { uuidv7 } from './uuid.js';

/** Options every logger takes, whatever its transport. */
export interface LoggerOptions {
  /** The application writing the records; stored in every record's `app`. Required. */
  readonly app: string;
  /** The owner's email; stored in every record's `email`. Required. */
  readonly email: string;
  /** Free-form labels stored in every record's `tags` (`map<string,string>`). Default: `{}`. */
  readonly tags?: Readonly<Record<string, string>>;
  /** The streams `log('Name', …)` may name. Definitions passed to `log` directly need not be listed. Default: none. */
  readonly streams?: readonly StreamDefinition<any>[];
  /** Per-stream overrides of table, prefix and delivery stream, keyed by stream name. Default: none. */
  readonly names?: Readonly<Record<string, StreamNameOverrides>>;
  /**
   * What to do with invalid input: `'throw'` a `VALIDATION_FAILED` (or `RECORD_TOO_LARGE`)
   * `FiatError`, or `'deadletter'` it: write the raw input and its issues to the `_fiat_deadletter`
   * stream. Default: `'throw'`.
   */
  readonly onInvalid?: 'throw' | 'deadletter';
  /** Called with delivery errors (failed writes, spooled records). Default: none. */
  readonly onError?: (error: FiatError) => void;
  /** Clock for `event_time`, in epoch milliseconds. Default: `Date.now`. */
  readonly clock?: () => number;
}

/** Options of `ValidatedLog.configure('local', …)`: the logger's and the local transport's. */
export type LocalLoggerOptions = LoggerOptions & Omit<LocalTransportOptions, 'onError'>;

/**
 * Options of `ValidatedLog.configure('firehose', …)`: the logger's and the Firehose transport's
 * (`client` or `clientConfig`, never both). Delivery stream names come from `names`.
 *
 * @example
 * ```ts
 * const options: FirehoseLoggerOptions = { app: 'billing', email: 'team@example.com', streams: [Audit], clientConfig: { region: 'eu-west-1' } };
 * ```
 */
export type FirehoseLoggerOptions = LoggerOptions & FirehoseTransportOptions;

const LOGGER_OPTION_KEYS: readonly string[] = ['app', 'email', 'tags', 'streams', 'names', 'onInvalid', 'clock'];

/** What `log()` returns: the record's identity. */
export interface LogEntry {
  /** The record's `event_id` (UUIDv7). */
  readonly eventId: string;
  /** Epoch milliseconds stored as `event_time`. */
  readonly eventTime: number;
  /** The stream name. */
  readonly stream: string;
  /** True when the input was invalid and went to the dead-letter stream instead. */
  readonly deadLettered: boolean;
}

/** Counters of a logger. */
export interface LoggerStats {
  /** Records accepted by `log()` and handed to the transport (dead letters excluded). */
  readonly logged: number;
  /** Inputs refused with a thrown error. */
  readonly rejected: number;
  /** Inputs written to the dead-letter stream. */
  readonly deadLettered: number;
  /** The transport's counters. */
  readonly transport: TransportStats;
}

/**
 * A logger that validates, envelopes and encodes records, then hands them to a transport.
 * Make one with {@link ValidatedLog.configure}.
 */
export class ValidatedLog {
  readonly #transport: Transport;
  readonly #app: string;
  readonly #email: string;
  readonly #tags: Readonly<Record<string, string>>;
  /** The envelope fields every record repeats, serialized once. */
  readonly #envelopeJson: string;
  readonly #streams = new Map<string, StreamDefinition<any>>();
  readonly #names = new Map<StreamDefinition<any>, StreamNames>();
  readonly #overrides: Readonly<Record<string, StreamNameOverrides>>;
  readonly #onInvalid: 'throw' | 'deadletter';
  readonly #clock: () => number;
  #closed = false;
  #logged = 0;
  #rejected = 0;
  #deadLettered = 0;
  /** Called once the event loop is empty: writes what is still buffered, so a forgotten close() loses nothing. */
  readonly flushBeforeExit = (): void => {
    if (this.#transport.stats().pending > 0) void this.#transport.flush().catch(() => undefined);
  };

  /**
   * Creates a logger. `transport` is `'local'` (the embedded lake, the default choice with no AWS
   * account), `'firehose'` (Amazon Data Firehose; give `client` or `clientConfig`, the AWS SDK is
   * loaded on the first send) or any {@link Transport}.
   *
   * @example
   * ```ts
   * import { ValidatedLog } from '@fiat/core';
   * import { Audit } from '@fiat/schemas';
   *
   * const logger = ValidatedLog.configure('local', {
   *   app: 'billing', email: 'team@example.com', tags: { env: 'dev' }, streams: [Audit],
   * });
   * const { eventId } = logger.log(Audit, { audit_id: 'a1', phase: 'start', task: 'charge', task_args: { id: 7 } });
   * await logger.close();
   *
   * const prod = ValidatedLog.configure('firehose', {
   *   app: 'billing', email: 'team@example.com', streams: [Audit], clientConfig: { region: 'eu-west-1' },
   * });
   * ```
   */
  static configure(transport: 'local', options: LocalLoggerOptions): ValidatedLog;
  static configure(transport: 'firehose', options: FirehoseLoggerOptions): ValidatedLog;
  static configure(transport: Transport, options: LoggerOptions): ValidatedLog;
  static configure(
    transport: 'local' | 'firehose' | Transport,
    options: LocalLoggerOptions | FirehoseLoggerOptions | LoggerOptions,
  ): ValidatedLog {
    checkLoggerOptions(options);
    let resolved: Transport;
    if (transport === 'local') {
      const local = options as LocalLoggerOptions;
      resolved = createLocalTransport({
        ...(local.lakeDir !== undefined ? { lakeDir: local.lakeDir } : {}),
        ...(local.bufferBytes !== undefined ? { bufferBytes: local.bufferBytes } : {}),
        ...(local.bufferIntervalMs !== undefined ? { bufferIntervalMs: local.bufferIntervalMs } : {}),
        ...(local.compressionLevel !== undefined ? { compressionLevel: local.compressionLevel } : {}),
        ...(options.onError !== undefined ? { onError: options.onError } : {}),
      });
    } else if (typeof transport === 'object' && transport !== null && typeof transport.write === 'function') {
      resolved = transport;
    } else if (transport === 'firehose') {
      const transportOptions = Object.fromEntries(
        Object.entries(options).filter(([key]) => !LOGGER_OPTION_KEYS.includes(key)),
      ) as FirehoseTransportOptions;
      resolved = createFirehoseTransport(transportOptions);
    } else {
      throw new FiatError('CONFIG_INVALID', `transport must be 'local', 'firehose' or a Transport object, got ${JSON.stringify(transport)}`);
    }
    return new ValidatedLog(resolved, options);
  }

  /** Use {@link ValidatedLog.configure}. */
  constructor(transport: Transport, options: LoggerOptions) {
    checkLoggerOptions(options);
    this.#transport = transport;
    this.#app = options.app;
    this.#email = options.email;
    this.#tags = { ...(options.tags ?? {}) };
    checkEnvelopeOptions(this.#app, this.#email, this.#tags);
    this.#envelopeJson = envelopeJson({ app: this.#app, email: this.#email, tags: this.#tags });
    this.#overrides = options.names ?? {};
    this.#onInvalid = options.onInvalid ?? 'throw';
    this.#clock = options.clock ?? Date.now;
    const streams = [...(options.streams ?? [])];
    checkStreamsOption(streams);
    for (const stream of streams) {
      if (this.#streams.has(stream.name)) {
        throw new FiatError('CONFIG_INVALID', `option streams lists stream ${stream.name} twice`);
      }
      this.#streams.set(stream.name, stream);
      this.#namesOf(stream);
    }
    openLoggers.add(this);
    if (openLoggers.size === 1) process.on('beforeExit', flushOpenLoggers);
  }

  /** The transport this logger writes to. */
  get transport(): Transport {
    return this.#transport;
  }

  /** The resolved names (table, prefix, delivery stream) of a stream for this logger. */
  namesOf(stream: StreamDefinition<any> | string): StreamNames {
    return this.#namesOf(this.#definition(stream));
  }

  /**
   * Validates `fields` synchronously, adds the envelope and hands the record to the transport.
   * Throws `VALIDATION_FAILED` (every issue as `path: message`) or `RECORD_TOO_LARGE`, with nothing
   * enqueued — unless `onInvalid: 'deadletter'`, which writes the input to `_fiat_deadletter` instead.
   *
   * @example
   * ```ts
   * logger.log(Audit, { audit_id: 'a1', phase: 'start', task: '_add', task_args: { x: 1, y: 2 } });
   * logger.log('Audit', { … }); // looked up in `streams`
   * ```
   */
  log<T>(stream: StreamDefinition<T>, fields: T): LogEntry;
  log(stream: string, fields: Record<string, unknown>): LogEntry;
  log(stream: StreamDefinition<any> | string, fields: unknown): LogEntry {
    if (this.#closed) throw new FiatError('LOGGER_CLOSED', 'log() was called after close()');
    const definition = this.#definition(stream);
    const eventTime = this.#clock();
    const eventId = uuidv7(eventTime);
    const envelope: Envelope = { eventId, eventTime, app: this.#app, email: this.#email, tags: this.#tags, json: this.#envelopeJson };
    let line: string;
    try {
      line = definition.encode(fields, envelope);
    } catch (error) {
      if (this.#onInvalid === 'deadletter' && isFiatError(error) && error.code !== 'LOGGER_CLOSED') {
        this.#deadLetter(definition.name, error, fields, envelope);
        return { eventId, eventTime, stream: definition.name, deadLettered: true };
      }
      this.#rejected += 1;
      throw error;
    }
    this.#transport.write({ names: this.#namesOf(definition), line, eventId, time: eventTime });
    this.#logged += 1;
    return { eventId, eventTime, stream: definition.name, deadLettered: false };
  }

  /** Resolves when every record logged before the call is written (or spooled). */
  flush(): Promise<void> {
    return this.#transport.flush();
  }

  /** Flushes, stops the transport's timers and refuses further `log()` calls. Safe to call twice. */
  async close(options?: { readonly timeoutMs?: number }): Promise<CloseReport> {
    this.#closed = true;
    openLoggers.delete(this);
    if (openLoggers.size === 0) process.off('beforeExit', flushOpenLoggers);
    return this.#transport.close(options);
  }

  /** Counters: logged, rejected, dead-lettered, and the transport's. */
  stats(): LoggerStats {
    return {
      logged: this.#logged,
      rejected: this.#rejected,
      deadLettered: this.#deadLettered,
      transport: this.#transport.stats(),
    };
  }

  #definition(stream: StreamDefinition<any> | string): StreamDefinition<any> {
    if (typeof stream === 'string') {
      const found = this.#streams.get(stream);
      if (found === undefined) {
        const known = [...this.#streams.keys()].join(', ') || 'none';
        throw new FiatError('UNKNOWN_STREAM', `stream '${stream}' is not in this logger's streams (known: ${known})`);
      }
      return found;
    }
    if (!isStreamDefinition(stream)) {
      throw new FiatError('UNKNOWN_STREAM', 'log() needs a stream name or a stream definition made by defineStream, createStreamDefinition or loadStreamFolder');
    }
    return stream;
  }

  #namesOf(stream: StreamDefinition<any>): StreamNames {
    let names = this.#names.get(stream);
    if (names === undefined) {
      const override = this.#overrides[stream.name];
      names = override === undefined ? stream.names : resolveStreamNames(stream.name, { ...stream.nameOverrides, ...override });
      this.#names.set(stream, names);
    }
    return names;
  }

  #deadLetter(streamName: string, error: FiatError, fields: unknown, envelope: Envelope): void {
    const line = DeadLetter.encode(
      {
        stream: streamName,
        error_code: error.code,
        error_message: error.message,
        issues: error.issues.map((issue) => ({ path: issue.path, message: issue.message })),
        raw: describeAsJson(fields),
      },
      envelope,
    );
    this.#transport.write({ names: this.#namesOf(DeadLetter), line, eventId: envelope.eventId, time: envelope.eventTime });
    this.#deadLettered += 1;
  }
}

const openLoggers = new Set<ValidatedLog>();

function flushOpenLoggers(): void {
  for (const logger of openLoggers) logger.flushBeforeExit();
}

function checkLoggerOptions(options: LoggerOptions): void {
  if (typeof options !== 'object' || options === null) {
    throw new FiatError('CONFIG_INVALID', 'options are required: { app, email, streams, … }');
  }
  if (typeof options.app !== 'string' || options.app.length === 0) {
    throw new FiatError('CONFIG_INVALID', 'option app must be a non-empty string (the application writing the records)');
  }
  if (typeof options.email !== 'string' || options.email.length === 0) {
    throw new FiatError('CONFIG_INVALID', 'option email must be a non-empty string');
  }
  if (options.tags !== undefined) {
    if (typeof options.tags !== 'object' || options.tags === null || Array.isArray(options.tags)) {
      throw new FiatError('CONFIG_INVALID', 'option tags must be an object of strings');
    }
    for (const [key, value] of Object.entries(options.tags)) {
      if (typeof value !== 'string') throw new FiatError('CONFIG_INVALID', `option tags.${key} must be a string, got ${typeof value}`);
    }
  }
  if (options.onInvalid !== undefined && options.onInvalid !== 'throw' && options.onInvalid !== 'deadletter') {
    throw new FiatError('CONFIG_INVALID', `option onInvalid must be 'throw' or 'deadletter', got ${JSON.stringify(options.onInvalid)}`);
  }
}
