import { ChainVerifier, type ChainVerifierOptions, type StreamNames, type VerifyReport } from '@fiat/core';
import type { LakeReader, PartitionRange } from './reader.js';

/** What {@link runVerify} reads and how it verifies. */
export interface VerifyRunOptions {
  readonly reader: LakeReader;
  /** The chained streams to read. */
  readonly streams: readonly StreamNames[];
  /** The checkpoint stream's names (`_fiat_checkpoint/` unless overridden). */
  readonly checkpoints: StreamNames;
  /** Verify the `dt` partitions from this day on (`yyyy-MM-dd`), anchored at each chain's latest earlier checkpoint. */
  readonly since?: string;
  /** Options passed to the verifier (keys, strictOrder, openTailMs, now). */
  readonly verifier: Omit<ChainVerifierOptions, 'since' | 'streams'>;
  /** Called after each file with the files and lines read so far. */
  readonly onProgress?: (files: number, lines: number) => void;
}

const DAY_MS = 86_400_000;

/**
 * Reads the checkpoint stream (every partition: checkpoints are few), then each chained stream's files (from
 * `since`), verifies them, and — with `since` — reads earlier partitions for the chains whose range starts there:
 * from the day before their anchor checkpoint (or their creation), for clocks that disagree by up to a day.
 *
 * @example
 * ```ts
 * const report = await runVerify({ reader: localLakeReader('.fiat/lake'), streams: [Audit.names], checkpoints: FiatCheckpoint.names, verifier: {} });
 * ```
 */
export async function runVerify(options: VerifyRunOptions): Promise<VerifyReport> {
  const { reader } = options;
  const since = options.since !== undefined ? Date.parse(`${options.since}T00:00:00Z`) : undefined;
  const verifier = new ChainVerifier({ ...options.verifier, streams: options.streams.map((s) => s.stream), ...(since !== undefined ? { since } : {}) });
  let files = 0;
  let lines = 0;
  const readAll = async (prefix: string, range: PartitionRange, add: (chunk: { source: string; firstLine: number; text: string }) => void): Promise<void> => {
    for (const key of await reader.list(prefix, range)) {
      for await (const chunk of reader.read(key)) {
        add({ source: key, ...chunk });
        lines += countLines(chunk.text);
      }
      files += 1;
      options.onProgress?.(files, lines);
    }
  };
  await readAll(options.checkpoints.prefix, {}, (chunk) => verifier.addCheckpoints({ ...chunk, stream: options.checkpoints.stream }));
  const from = options.since !== undefined ? { from: options.since } : {};
  for (const stream of options.streams) await readAll(stream.prefix, from, (chunk) => verifier.addRecords({ ...chunk, stream: stream.stream }));
  const lookback = options.since !== undefined ? verifier.lookback() : undefined;
  if (lookback !== undefined) {
    const range = { from: new Date(Math.max(0, lookback.from - DAY_MS)).toISOString().slice(0, 10), to: options.since };
    for (const stream of options.streams) {
      await readAll(stream.prefix, range, (chunk) => verifier.addRecords({ ...chunk, stream: stream.stream }, lookback.chains));
    }
  }
  return verifier.finish();
}

function countLines(text: string): number {
  let count = 0;
  for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) count += 1;
  return text.length > 0 && !text.endsWith('\n') ? count + 1 : count;
}
