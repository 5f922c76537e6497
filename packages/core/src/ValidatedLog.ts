import { FiatError, isFiatError } from './errors.js';
import { CHAIN_OPTION_KEYS, resolveChainOptions, type ChainOptions } from './chain/chainOptions.js';
import type { ChainWriter } from './chain/ChainWriter.js';
import { FiatCheckpoint } from './chain/checkpointStream.js';
import { LoggerChains } from './chain/LoggerChains.js';
import { DeadLetter, deadLetterFields } from './deadletter.js';
import { isStreamDefinition } from './brand.js';
import { checkEnvelopeOptions, checkStreamsOption } from './loggerOptions.js';
import { resolveStreamNames, type StreamNameOverrides, type StreamNames } from './names.js';
import { envelopeJson, type Envelope, type StreamDefinition } from './stream.js';
import type { StreamFieldsOf, StreamList, StreamNameOf } from './streamTypes.js';
import type { CloseReport, Transport, TransportRecord, TransportStats } from './transport.js';
import { createLocalTransport, type LocalTransportOptions } from './transports/local.js';
import type { FirehoseTransportOptions } from './firehose/options.js';
import { isTransportFactory, registeredTransportFactory, routeOptions, type TransportFactory } from './transportFactory.js';
import { uuidv7 } from './uuid.js';
import { LoggerRedaction, type RedactionLoggerOptions } from './redact/loggerRedaction.js';
import type { Redaction } from './redact/Redaction.js';
import { DURABILITY_OPTION_KEYS, resolveWalOptions, type DurabilityOptions } from './wal/options.js';
import { openWriteAheadLog } from './wal/registry.js';
import type { WalStats, WriteAheadLog } from './wal/WriteAheadLog.js';

/**
 * Options every logger takes, whatever its transport (the redaction options `redact` and `redactionKey`, the
 * hash-chain options `chainKey`, `signingKey`, `integrity`, `checkpointEvery` and `checkpointIntervalMs`, and the
 * durability options `durability`, `walDir` and `walSyncMs` among them). `S` is the tuple of `streams`, inferred by
 * `configure`.
 */
export interface LoggerOptions<S extends StreamList = StreamList> extends RedactionLoggerOptions, ChainOptions, DurabilityOptions {
  /** The application writing the records; stored in every record's `app`. Required. */
  readonly app: string;
  /** The owner's email; stored in every record's `email`. Required. */
  readonly email: string;
  /** Free-form labels stored in every record's `tags` (`map<string,string>`). Default: `{}`. */
  readonly tags?: Readonly<Record<string, string>>;
  /**
   * The streams `log('Name', …)` may name; the names and their fields are typed from this list.
   * Definitions passed to `log` directly need not be listed. Default: none.
   */
  readonly streams?: S;
  /** Per-stream overrides of table, prefix and delivery stream, keyed by stream name. Default: none. */
  readonly names?: Readonly<Record<string, StreamNameOverrides>>;
  /**
   * What to do with invalid input: `'throw'` a `VALIDATION_FAILED` (or `RECORD_TOO_LARGE`)
   * `FiatError`, or `'deadletter'` it: write the raw input and its issues to the `_fiat_deadletter`
   * stream. Default: `'throw'`.
   */
  readonly onInvalid?: 'throw' | 'deadletter';
  /** Called with delivery errors (failed writes, spooled records, checkpoints not written). Default: none. */
  readonly onError?: (error: FiatError) => void;
  /** Clock for `event_time`, in epoch milliseconds. Default: `Date.now`. */
  readonly clock?: () => number;
}

/** Options of `ValidatedLog.configure('local', …)`: the logger's and the local transport's. */
export type LocalLoggerOptions<S extends StreamList = StreamList> = LoggerOptions<S> & Omit<LocalTransportOptions, 'onError' | 'clock'>;

/**
 * Options of `ValidatedLog.configure('firehose', …)`: the logger's and the Firehose transport's
 * (`client` or `clientConfig`, never both). Delivery stream names come from `names`.
 *
 * @example
 * ```ts
 * const options: FirehoseLoggerOptions = { app: 'billing', email: 'team@example.com', streams: [Audit], clientConfig: { region: 'eu-west-1' } };
 * ```
 */
export type FirehoseLoggerOptions<S extends StreamList = StreamList> = LoggerOptions<S> & FirehoseTransportOptions;

/** The logger's own option keys (`onError` is also passed to the transport). */
const LOGGER_OPTION_KEYS: readonly string[] = [
  ...['app', 'email', 'tags', 'streams', 'names', 'onInvalid', 'onError', 'clock', 'redact', 'redactionKey'],
  ...CHAIN_OPTION_KEYS,
  ...DURABILITY_OPTION_KEYS,
];
/** The local transport's option keys, as `configure('local', …)` routes them. */
const LOCAL_OPTION_KEYS: readonly string[] = ['lakeDir', 'bufferBytes', 'bufferIntervalMs', 'compressionLevel', 'maxBufferBytes', 'onFull', 'onError'];

/** Options of one `log()` call. */
export interface LogOptions {
  /** Overrides the logger's `onInvalid` for this call. Default: the logger's. */
  readonly onInvalid?: 'throw' | 'deadletter';
}

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
  /** Checkpoint records of the logger's hash chains handed to the transport. */
  readonly checkpoints: number;
  /** The transport's counters. */
  readonly transport: TransportStats;
  /** The write-ahead log's counters (`durability: 'disk'` only). */
  readonly wal?: WalStats;
}

/**
 * A logger that validates, envelopes and encodes records, then hands them to a transport.
 * Make one with {@link ValidatedLog.configure}. `S` is the tuple of its `streams`: it types
 * `log('Name', fields)`.
 */
export class ValidatedLog<S extends StreamList = StreamList> {
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
  readonly #redaction: LoggerRedaction;
  /** The hash chains of the chained streams this logger writes, and their checkpoints. */
  readonly #chains: LoggerChains;
  /** The write-ahead log (`durability: 'disk'`), or undefined. */
  readonly #wal: WriteAheadLog | undefined;
  #closed = false;
  #logged = 0;
  #rejected = 0;
  #deadLettered = 0;
  /** Called once the event loop is empty: writes what is still buffered, so a forgotten close() loses nothing. */
  readonly flushBeforeExit = (): void => {
    try {
      this.#chains.checkpointAll();
      if (this.#transport.stats().pending > 0) void this.#transport.flush().catch(() => undefined);
    } catch {
      // A transport that throws here must not break the host's exit.
    }
  };

  /** Called from the process 'exit' handler: writes what is still buffered synchronously. Never throws. */
  readonly flushOnExit = (): void => {
    try {
      this.#chains.checkpointAll();
      if (this.#wal !== undefined) this.#wal.exitSync();
      else this.#transport.flushSync?.();
    } catch {
      // Nothing can be reported any more; the process is exiting.
    }
  };

  /**
   * Creates a logger. `transport` is `'local'` (the embedded lake, the default choice with no AWS
   * account), `'firehose'` (Amazon Data Firehose, registered by importing `@fiat/core/firehose`; give
   * `client` or `clientConfig`), a transport factory such as `firehoseTransport`, or any {@link Transport}.
   * `durability: 'disk'` needs `import '@fiat/core/durable'` (else `CONFIG_INVALID`). Options are routed to
   * the logger and the transport by their declared keys; any other key is
   * refused with `CONFIG_INVALID`.
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
  static configure<const S extends StreamList = readonly []>(transport: 'local', options: LocalLoggerOptions<S>): ValidatedLog<S>;
  static configure<const S extends StreamList = readonly []>(transport: 'firehose', options: FirehoseLoggerOptions<S>): ValidatedLog<S>;
  static configure<const S extends StreamList = readonly []>(transport: Transport, options: LoggerOptions<S>): ValidatedLog<S>;
  static configure<TOptions extends object, const S extends StreamList = readonly []>(
    transport: TransportFactory<TOptions>,
    options: LoggerOptions<S> & TOptions,
  ): ValidatedLog<S>;
  static configure(
    transport: 'local' | 'firehose' | Transport | TransportFactory,
    options: LocalLoggerOptions | FirehoseLoggerOptions | LoggerOptions,
  ): ValidatedLog {
    checkLoggerOptions(options);
    let resolved: Transport;
    if (transport === 'local') {
      resolved = createLocalTransport(routeOptions(options, LOGGER_OPTION_KEYS, LOCAL_OPTION_KEYS, 'local') as LocalTransportOptions);
    } else if (typeof transport === 'object' && transport !== null && typeof (transport as Transport).write === 'function') {
      routeOptions(options, LOGGER_OPTION_KEYS, [], (transport as Transport).kind);
      resolved = transport as Transport;
    } else if (isTransportFactory(transport) || typeof transport === 'string') {
      // 'firehose' is registered by '@fiat/core/firehose': this module never imports the transport itself.
      const factory = isTransportFactory(transport) ? transport : registeredTransportFactory(transport);
      if (factory === undefined) {
        throw new FiatError(
          'CONFIG_INVALID',
          transport === 'firehose'
            ? "transport 'firehose' is not loaded: import '@fiat/core/firehose' (or pass its firehoseTransport) before configure('firehose', …)"
            : `transport must be 'local', 'firehose' or a Transport object, got ${JSON.stringify(transport)}`,
        );
      }
      resolved = factory.create(routeOptions(options, LOGGER_OPTION_KEYS, factory.optionKeys, factory.kind));
    } else {
      throw new FiatError('CONFIG_INVALID', `transport must be 'local', 'firehose' or a Transport object, got ${JSON.stringify(transport)}`);
    }
    try {
      return new ValidatedLog(resolved, options);
    } catch (error) {
      // The transport made here for a logger that could not be made (e.g. its write-ahead folder is in use) stops.
      if (resolved !== transport) void resolved.close().catch(() => undefined);
      throw error;
    }
  }

  /** Use {@link ValidatedLog.configure}. */
  constructor(transport: Transport, options: LoggerOptions<S>) {
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
    this.#redaction = new LoggerRedaction(options);
    const streams = [...(options.streams ?? [])];
    checkStreamsOption(streams);
    for (const stream of streams) {
      if (this.#streams.has(stream.name)) {
        throw new FiatError('CONFIG_INVALID', `option streams lists stream ${stream.name} twice`);
      }
      this.#streams.set(stream.name, stream);
      this.#namesOf(stream);
      // A stream that hashes without a key is refused here, not at its first record.
      this.#redaction.of(stream);
    }
    // The chains first: a stream the options chain wrongly is refused before the write-ahead log takes its lock.
    this.#chains = this.#createChains(options);
    try {
      for (const stream of streams) this.#chains.writerFor(stream, this.#namesOf(stream));
      const wal = resolveWalOptions(options, this.#app);
      this.#wal = wal === undefined ? undefined : openWriteAheadLog({ ...wal, transport, ...(options.onError ? { onError: options.onError } : {}), clock: this.#clock });
    } catch (error) {
      this.#chains.stop();
      throw error;
    }
    if (this.#wal !== undefined) this.#resumeChains(this.#wal, [...streams, DeadLetter], options.onError);
    trackOpen(this);
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
   * The redaction this logger applies to `stream`: the stream's declarations and rules, the
   * logger's `redact` rules and key. Its `scrubText` applies the detectors to any text (error
   * messages). Throws `CONFIG_INVALID` when the stream hashes and no key is set.
   *
   * @example
   * ```ts
   * logger.redactionOf(Audit).scrubText('token eyJhbGciOi…'); // detectors applied
   * ```
   */
  redactionOf(stream: StreamDefinition<any> | string): Redaction {
    return this.#redaction.of(this.#definition(stream));
  }

  /**
   * Validates `fields` synchronously, adds the envelope and hands the record to the transport.
   * Throws `VALIDATION_FAILED` (every issue as `path: message`) or `RECORD_TOO_LARGE`, with nothing
   * enqueued — unless `onInvalid: 'deadletter'`, which writes the input to `_fiat_deadletter` instead.
   *
   * @example
   * ```ts
   * logger.log(Audit, { audit_id: 'a1', phase: 'start', task: '_add', task_args: { x: 1, y: 2 } });
   * logger.log('Audit', { … }); // looked up in `streams`; the name and the fields are type-checked
   * ```
   */
  log<T>(stream: StreamDefinition<T, string>, fields: T, options?: LogOptions): LogEntry;
  log<N extends StreamNameOf<S>>(stream: N, fields: StreamFieldsOf<S, N>, options?: LogOptions): LogEntry;
  log(stream: StreamDefinition<any> | string, fields: unknown, options?: LogOptions): LogEntry {
    if (this.#closed) throw new FiatError('LOGGER_CLOSED', 'log() was called after close()');
    const definition = this.#definition(stream);
    // Before anything is read: a definition that hashes without a key is a configuration error (never dead-lettered).
    const redaction = this.#redaction.of(definition);
    const eventTime = this.#clock();
    const eventId = uuidv7(eventTime);
    const envelope: Envelope = { eventId, eventTime, app: this.#app, email: this.#email, tags: this.#tags, json: this.#envelopeJson };
    let line: string;
    try {
      line = definition.encode(fields, envelope, redaction);
    } catch (error) {
      // Encoding only reads the input: whatever it throws (a FiatError, or a getter's or toJSON's own error) is a data problem.
      if ((options?.onInvalid ?? this.#onInvalid) === 'deadletter') {
        this.#deadLetter(definition.name, error, fields, envelope, redaction);
        return { eventId, eventTime, stream: definition.name, deadLettered: true };
      }
      this.#rejected += 1;
      throw error;
    }
    const names = this.#namesOf(definition);
    const chain = this.#chains.writerFor(definition, names);
    this.#write({ names, line: chain === undefined ? line : chain.seal(line), eventId, time: eventTime }, chain);
    this.#logged += 1;
    return { eventId, eventTime, stream: definition.name, deadLettered: false };
  }

  /**
   * Writes a checkpoint now for each hash chain of this logger with records sealed since its last one (nothing
   * when nothing is new). Never throws: problems go to `onError`. Checkpoints are also written by count, by timer,
   * at `close()` and at process exit; call this where a process may be frozen or killed without running its exit
   * handlers (an AWS Lambda invocation's end: the audit wrappers do), before `flush()`.
   *
   * @example
   * ```ts
   * logger.checkpoint();
   * await logger.flush();
   * ```
   */
  checkpoint(): void {
    this.#chains.checkpointAll();
  }

  /**
   * Resolves when every record logged before the call is written (or spooled) — and, with `durability: 'disk'`,
   * covered by an fdatasync of the write-ahead log.
   */
  flush(): Promise<void> {
    return this.#wal?.flush() ?? this.#transport.flush();
  }

  /** Flushes, stops the transport's timers and refuses further `log()` calls. Safe to call twice. */
  async close(options?: { readonly timeoutMs?: number }): Promise<CloseReport> {
    this.#closed = true;
    untrackOpen(this);
    this.#chains.stop();
    return this.#wal?.close(options) ?? this.#transport.close(options);
  }

  /** Counters: logged, rejected, dead-lettered, and the transport's. */
  stats(): LoggerStats {
    return {
      logged: this.#logged,
      rejected: this.#rejected,
      deadLettered: this.#deadLettered,
      checkpoints: this.#chains.checkpoints,
      transport: this.#transport.stats(),
      ...(this.#wal === undefined ? {} : { wal: this.#wal.stats() }),
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

  /**
   * Hands a line to the transport — in disk mode after appending it to the write-ahead log (taken back if the
   * transport refuses it). A refusal (BUFFER_FULL, closed, IO_FAILED from the log) counts as rejected, and the
   * line's seal is taken back so that the chain has no gap. A sealed line may bring its chain's checkpoint.
   */
  #write(record: TransportRecord, chain?: ChainWriter): void {
    try {
      this.#append(record);
    } catch (error) {
      chain?.unseal();
      this.#rejected += 1;
      throw error;
    }
    if (chain !== undefined) this.#chains.sealed(chain);
  }

  /** The write-ahead log (disk mode), then the transport; a line the transport refuses is taken back from the log. */
  #append(record: TransportRecord): void {
    this.#wal?.append(record);
    try {
      this.#transport.write(record);
    } catch (error) {
      this.#wal?.undoLast();
      throw error;
    }
  }

  /** The logger's hash chains: the signer and checkpoint policy from the options; checkpoints are written like records. */
  #createChains(options: LoggerOptions<S>): LoggerChains {
    const onError = options.onError;
    return new LoggerChains({
      ...resolveChainOptions(options),
      clock: this.#clock,
      envelope: { app: this.#app, email: this.#email, tags: this.#tags, json: this.#envelopeJson },
      checkpointNames: this.#namesOf(FiatCheckpoint),
      write: (record) => this.#append(record),
      onError: (error) => onError?.(error),
    });
  }

  /**
   * Disk mode: a chained stream whose latest line in the write-ahead log (the previous process's, recovered) is
   * sealed continues that chain, so that the recovered records are covered by this process's next checkpoint
   * (counted from the chain's last checkpoint when the log still holds it, from its start otherwise: a checkpoint
   * may cover more records than the one before it, never fewer).
   */
  #resumeChains(wal: WriteAheadLog, streams: readonly StreamDefinition<any>[], onError: LoggerOptions['onError']): void {
    const checkpoint = parseLine(wal.latestLine(this.#namesOf(FiatCheckpoint).stream));
    for (const stream of streams) {
      const names = this.#namesOf(stream);
      if (this.#chains.writerFor(stream, names) === undefined) continue;
      const last = parseLine(wal.latestLine(names.stream));
      const { chain_id: chainId, chain_seq: lastSeq, chain_hash: lastHash } = last ?? {};
      if (typeof chainId !== 'string' || typeof lastSeq !== 'number' || typeof lastHash !== 'string') continue;
      const covered = checkpoint?.chain_id === chainId && typeof checkpoint.last_seq === 'number' && checkpoint.last_seq <= lastSeq ? checkpoint.last_seq : 0;
      try {
        this.#chains.resume(stream, names, chainId, { lastSeq, lastHash, checkpointSeq: covered });
      } catch (error) {
        // A line that does not continue (changed by hand, another key): a new chain starts, as without the log.
        onError?.(isFiatError(error) ? error : new FiatError('IO_FAILED', `stream ${stream.name}: the recovered chain cannot be continued`, { cause: error }));
      }
    }
  }

  /** Writes refused input to the dead-letter stream, shortened so that it always fits; never throws for the data. */
  #deadLetter(streamName: string, error: unknown, fields: unknown, envelope: Envelope, redaction: Redaction): void {
    let line: string;
    try {
      line = DeadLetter.encode(deadLetterFields(streamName, error, fields, false, redaction), envelope);
    } catch {
      line = DeadLetter.encode(deadLetterFields(streamName, error, fields, true, redaction), envelope);
    }
    const names = this.#namesOf(DeadLetter);
    const chain = this.#chains.writerFor(DeadLetter, names);
    this.#write({ names, line: chain === undefined ? line : chain.seal(line), eventId: envelope.eventId, time: envelope.eventTime }, chain);
    this.#deadLettered += 1;
  }
}

/** Loggers not closed yet; one pair of process handlers serves them all, removed when the last one closes. */
const openLoggers = new Set<ValidatedLog>();

function flushOpenLoggers(): void {
  for (const logger of openLoggers) logger.flushBeforeExit();
}

function flushOpenLoggersSync(): void {
  for (const logger of openLoggers) logger.flushOnExit();
}

function trackOpen(logger: ValidatedLog): void {
  openLoggers.add(logger);
  if (openLoggers.size === 1) {
    process.on('beforeExit', flushOpenLoggers);
    process.on('exit', flushOpenLoggersSync);
  }
}

function untrackOpen(logger: ValidatedLog): void {
  if (!openLoggers.delete(logger) || openLoggers.size > 0) return;
  process.off('beforeExit', flushOpenLoggers);
  process.off('exit', flushOpenLoggersSync);
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
  // The chain options (keys included) are checked before configure() makes a transport.
  resolveChainOptions(options);
}

/** A stored line's fields, or undefined when there is none or it is not a JSON object. */
function parseLine(line: string | undefined): Record<string, unknown> | undefined {
  if (line === undefined) return undefined;
  try {
    const parsed: unknown = JSON.parse(line);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
