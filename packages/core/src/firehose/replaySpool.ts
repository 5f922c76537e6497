// Owns replaying the spool: Spool → checkSpoolLines → Packer → BatchSender, one stream folder at a
// time under its exclusive lock. Good lines are resent, bad lines quarantined, each file removed once
// all its records are acknowledged, or rewritten with only what is left.
import { basename } from 'node:path';
import { FiatError, formatIssues } from '../errors.js';
import { BatchSender, type BatchSink } from './BatchSender.js';
import { BufferPool } from './BufferPool.js';
import { checkSpoolLines, quarantineLines, type SpoolRecordCheck } from './checkSpoolLines.js';
import { CircuitBreaker } from './CircuitBreaker.js';
import { describeError } from './classifyError.js';
import { DeliveryLedger } from './DeliveryLedger.js';
import { Dispatcher, type Batch } from './Dispatcher.js';
import { createFirehosePort } from './FirehosePort.js';
import { resolveFirehoseOptions, type FirehoseTransportOptions, type ResolvedFirehoseOptions } from './options.js';
import type { OutboundRecord } from './OutboundRecord.js';
import { Packer } from './Packer.js';
import { RetryPolicy } from './RetryPolicy.js';
import { Spool } from './Spool.js';
import { acquireSpoolLock } from './SpoolLock.js';

/** What `fiat spool replay` and {@link replaySpool} report. */
export interface ReplayReport {
  /** Spool files found. */
  readonly files: number;
  /** Spool files whose records were all acknowledged (or quarantined), and so removed. */
  readonly filesRemoved: number;
  /** Lines read from the spool: `delivered + failed + rejected`. */
  readonly records: number;
  /** Records acknowledged by Firehose. */
  readonly delivered: number;
  /** Records not acknowledged (they stay in their spool files). */
  readonly failed: number;
  /** Lines refused (truncated, oversize, not JSON, not a valid record) and moved to `<stream>/rejected/`. */
  readonly rejected: number;
  /** The quarantine files written, under `<spoolDir>/<stream>/rejected/`. */
  readonly rejectedFiles: readonly string[];
  /** The spool files kept because some of their records were not acknowledged (or could not be read). */
  readonly remainingFiles: readonly string[];
  /** Delivery streams skipped because another replay holds their folder's lock. */
  readonly lockedStreams: readonly string[];
  /** `PutRecordBatch` calls made. */
  readonly putRecordBatchCalls: number;
}

/** One spool file after its replay, as {@link ReplaySpoolOptions.onFile} receives it. */
export interface ReplayedFile {
  /** The spool file's absolute path. */
  readonly path: string;
  /** Lines read from it: `delivered + rejected +` those not acknowledged (kept in the file). */
  readonly records: number;
  /** Records acknowledged by Firehose. */
  readonly delivered: number;
  /** Lines refused and moved to `<stream>/rejected/`. */
  readonly rejected: number;
}

/** Options of {@link replaySpool}: the transport's (client, retry, packing…), the spool folder, and checks per stream. */
export type ReplaySpoolOptions = FirehoseTransportOptions & {
  /**
   * A check of each spooled record per delivery stream (e.g. its stream's stored-record JSON Schema);
   * lines it refuses are quarantined. Streams without one are checked for JSON well-formedness only.
   * Default: `{}`.
   */
  readonly validators?: Readonly<Record<string, SpoolRecordCheck>>;
  /**
   * Called after each spool file is replayed (removed, or kept with what was not acknowledged), for
   * progress; what it throws is ignored. A file that cannot be read is reported to `onError` instead.
   * Default: none.
   */
  readonly onFile?: (file: ReplayedFile) => void;
};

/** What a replay runs with: the standalone {@link replaySpool}'s parts, or a transport's on start. */
export interface ReplayContext {
  readonly spool: Spool;
  readonly sender: BatchSender;
  readonly pool: BufferPool;
  readonly ledger: DeliveryLedger;
  readonly options: ResolvedFirehoseOptions;
  readonly validators: Readonly<Record<string, SpoolRecordCheck>>;
  readonly report: (error: FiatError) => void;
  readonly signal: AbortSignal;
  /** See {@link ReplaySpoolOptions.onFile}. */
  readonly onFile?: (file: ReplayedFile) => void;
}

type Tally = { -readonly [K in keyof ReplayReport]: ReplayReport[K] extends readonly string[] ? string[] : ReplayReport[K] };

/** One spool file on its way: its good lines packed into records. */
interface FileJob {
  readonly path: string;
  readonly records: OutboundRecord[];
  readonly rejected: number;
  readonly bytes: number;
}

const GROUP_BYTES = 16 * 1024 * 1024;

function countOf(records: readonly OutboundRecord[]): number {
  return records.reduce((n, r) => n + r.count, 0);
}

async function quarantine(context: ReplayContext, path: string, checked: ReturnType<typeof checkSpoolLines>, tally: Tally): Promise<void> {
  const file = await context.spool.quarantine(path, quarantineLines(basename(path), checked.rejected));
  tally.rejected += checked.rejected.length;
  tally.rejectedFiles.push(file);
  context.ledger.replayRejected(checked.rejected.length);
  const issues = checked.rejected.map((r) => ({ path: `line ${r.line}`, message: r.reason }));
  context.report(
    new FiatError('VALIDATION_FAILED', `${issues.length} lines of spool file ${path} are not valid records and were moved to ${file}: ${formatIssues(issues.slice(0, 3))}`, {
      issues,
    }),
  );
}

/** Reads and checks one file, quarantines its bad lines and packs the good ones; undefined when it must be left as is. */
async function loadFile(context: ReplayContext, deliveryStream: string, path: string, tally: Tally): Promise<FileJob | undefined> {
  try {
    const checked = checkSpoolLines(await context.spool.read(path), context.validators[deliveryStream]);
    if (checked.rejected.length > 0) await quarantine(context, path, checked, tally);
    const packer = new Packer({ packing: context.options.packing, pool: context.pool });
    for (const line of checked.good) packer.add(deliveryStream, line, line.length);
    context.ledger.held(checked.goodBytes);
    return { path, records: packer.drain().get(deliveryStream) ?? [], rejected: checked.rejected.length, bytes: checked.goodBytes };
  } catch (error) {
    context.report(error instanceof FiatError ? error : new FiatError('IO_FAILED', `cannot replay spool file ${path}: ${describeError(error)}`, { cause: error }));
    tally.remainingFiles.push(path);
    return undefined;
  }
}

/** Removes a file whose records all went out, or rewrites it with the records left. */
async function settleFile(context: ReplayContext, job: FileJob, tally: Tally): Promise<void> {
  const left = job.records.filter((r) => !r.settled);
  const delivered = countOf(job.records) - countOf(left);
  tally.records += countOf(job.records) + job.rejected;
  tally.delivered += delivered;
  tally.failed += countOf(left);
  try {
    if (left.length === 0) {
      await context.spool.remove(job.path);
      tally.filesRemoved += 1;
      return;
    }
    if (delivered > 0 || job.rejected > 0) await context.spool.replace(job.path, left.map((r) => r.data));
    tally.remainingFiles.push(job.path);
  } catch (error) {
    context.report(new FiatError('IO_FAILED', `cannot update spool file ${job.path} after its replay: ${describeError(error)}`, { cause: error }));
    tally.remainingFiles.push(job.path);
  } finally {
    context.ledger.released(job.bytes);
    for (const record of job.records) record.release(context.pool);
    tellFile(context, { path: job.path, records: countOf(job.records) + job.rejected, delivered, rejected: job.rejected });
  }
}

function tellFile(context: ReplayContext, file: ReplayedFile): void {
  try {
    context.onFile?.(file);
  } catch {
    // A progress callback that throws must not break the replay.
  }
}

async function sendBatch(context: ReplayContext, batch: Batch, sink: BatchSink): Promise<void> {
  const outcome = await context.sender.send(batch.deliveryStream, batch.records, sink, context.signal);
  if (outcome.kind === 'delivered' || outcome.kind === 'aborted') return;
  const reason = outcome.kind === 'refused' ? 'Firehose was unreachable moments ago (circuit open)' : outcome.reason;
  const cause = outcome.kind === 'failed' ? outcome.cause : undefined;
  context.report(
    new FiatError('DELIVERY_FAILED', `${countOf(outcome.records)} records for delivery stream ${batch.deliveryStream} were not delivered (${reason}); their spool file is kept`, {
      cause,
    }),
  );
}

async function replayStream(context: ReplayContext, deliveryStream: string, tally: Tally, sink: BatchSink): Promise<void> {
  const files = await context.spool.files(deliveryStream);
  tally.files += files.length;
  // Half of maxBufferBytes at most: a replay on start shares the bound with the records being logged.
  const groupBytes = Math.min(Math.floor(context.options.maxBufferBytes / 2), GROUP_BYTES);
  const { maxBatchRecords, maxBatchBytes, maxInFlight } = context.options;
  for (let i = 0; i < files.length && !context.signal.aborted; ) {
    const group: FileJob[] = [];
    for (let bytes = 0; i < files.length && (group.length === 0 || bytes < groupBytes); ) {
      const job = await loadFile(context, deliveryStream, files[i++]!, tally);
      if (job !== undefined) group.push(job);
      bytes += job?.bytes ?? 0;
    }
    const dispatcher = new Dispatcher({ maxBatchRecords, maxBatchBytes, maxInFlight, run: (batch) => sendBatch(context, batch, sink) });
    for (const job of group) dispatcher.dispatchRecords(deliveryStream, job.records);
    await dispatcher.idle();
    for (const job of group) await settleFile(context, job, tally);
  }
}

/** Replays every stream folder of the spool with `context`; streams locked by another replay are skipped and reported. */
export async function runReplay(context: ReplayContext): Promise<ReplayReport> {
  const tally: Tally = { files: 0, filesRemoved: 0, records: 0, delivered: 0, failed: 0, rejected: 0, rejectedFiles: [], remainingFiles: [], lockedStreams: [], putRecordBatchCalls: 0 };
  const sink: BatchSink = {
    called: () => {
      tally.putRecordBatchCalls += 1;
      context.ledger.called();
    },
    acknowledged: (record) => context.ledger.replayAcknowledged(record),
    resent: (count, uncertain) => context.ledger.resent(count, uncertain),
  };
  for (const deliveryStream of await context.spool.streams()) {
    const lock = await acquireSpoolLock(context.spool.streamDir(deliveryStream));
    if (!lock.acquired) {
      tally.lockedStreams.push(deliveryStream);
      const holder = lock.holder === undefined ? 'another replay' : `another replay (pid ${lock.holder.pid} on ${lock.holder.hostname}, since ${lock.holder.startedAt})`;
      context.report(new FiatError('DELIVERY_FAILED', `spool replay skipped ${context.spool.streamDir(deliveryStream)}: ${holder} holds its lock ${lock.path}`));
      continue;
    }
    try {
      await replayStream(context, deliveryStream, tally, sink);
    } finally {
      await lock.release();
    }
  }
  return tally;
}

/** Calls `onError`, ignoring what it throws. */
export function safeReport(onError: ((error: FiatError) => void) | undefined): (error: FiatError) => void {
  return (error) => {
    try {
      onError?.(error);
    } catch {
      // An onError that throws must not break delivery.
    }
  };
}

/**
 * Resends spooled records through Firehose (same client options and retry budget as the transport):
 * each line is checked first (truncated, oversize, malformed or invalid lines are quarantined to
 * `<spoolDir>/<stream>/rejected/` with the reason), and each spool file is removed once all its good
 * records are acknowledged. Each stream folder is locked while it is replayed, so two replays never
 * send the same files. Records keep their `event_id`, so duplicates can be removed downstream.
 *
 * @example
 * ```ts
 * import { replaySpool } from '@fiat/core/firehose';
 * const report = await replaySpool({
 *   clientConfig: { region: 'eu-west-1' },
 *   spoolDir: '.fiat/spool',
 *   onFile: ({ path, delivered, records }) => console.log(`${path}: ${delivered} of ${records} resent`),
 * });
 * console.log(`${report.delivered} records resent, ${report.rejected} quarantined, ${report.remainingFiles.length} files kept`);
 * ```
 */
export async function replaySpool(options: ReplaySpoolOptions): Promise<ReplayReport> {
  const resolved = resolveFirehoseOptions(options);
  const breaker = new CircuitBreaker(resolved.retry.outageBackoffMs);
  const policy = new RetryPolicy(resolved.retry, resolved.random);
  const sender = new BatchSender({ port: createFirehosePort(options), policy, breaker, requestTimeoutMs: resolved.retry.requestTimeoutMs });
  return runReplay({
    spool: new Spool(options.spoolDir),
    sender,
    pool: new BufferPool({ bufferBytes: resolved.maxRecordBytes, maxPooled: Math.ceil(GROUP_BYTES / resolved.maxRecordBytes) + 1, recycle: resolved.recycleBuffers }),
    ledger: new DeliveryLedger(),
    options: resolved,
    validators: options.validators ?? {},
    report: safeReport(options.onError),
    signal: new AbortController().signal,
    ...(options.onFile !== undefined ? { onFile: options.onFile } : {}),
  });
}
