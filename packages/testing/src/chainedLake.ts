import { gzipSync } from 'node:zlib';
import {
  ChainWriter,
  FiatCheckpoint,
  formatTimestamp,
  lakeObjectKey,
  resolveStreamNames,
  uuidv7,
  writeLakeFile,
  type ChainSigner,
  type StreamNames,
} from '@fiat/core';

/** Options of {@link writeChainedLake}. */
export interface ChainedLakeOptions {
  /** The lake folder to write into. Required. */
  readonly lakeDir: string;
  /** The chained stream's names. Default: `resolveStreamNames('Audit')`. */
  readonly names?: StreamNames;
  /** Records in the chain. Default: 12. */
  readonly records?: number;
  /** Records per lake file. Default: 4. */
  readonly perFile?: number;
  /** Write a checkpoint after every file (`'file'`) or only after the last one (`'end'`). Default: `'file'`. */
  readonly checkpoints?: 'file' | 'end';
  /** Signs the checkpoints. Default: unsigned. */
  readonly signer?: ChainSigner;
  /** Epoch ms of the first file (later files follow `stepMs` apart). Default: 2026-11-26 09:00:00 UTC. */
  readonly start?: number;
  /** Milliseconds between files. Default: 1,000. */
  readonly stepMs?: number;
  /** The chain's id. Default: a new UUIDv7. */
  readonly chainId?: string;
}

/** What {@link writeChainedLake} wrote. */
export interface ChainedLake {
  readonly chainId: string;
  /** Keys of the record files (relative to the lake folder), in chain order. */
  readonly files: readonly string[];
  /** Keys of the checkpoint files, one checkpoint each, in chain order. */
  readonly checkpointFiles: readonly string[];
}

/**
 * Writes one hash chain into a lake folder the way a chained logger with the local transport would: gzip NDJSON
 * files of sealed records (`{"event_id",…,"n":<i>,"chain_id","chain_seq","chain_hash"}`) in the lake's layout, and
 * `_fiat_checkpoint` files. For testing verification, e.g. `fiat verify`, and for tampering with the result.
 *
 * @example
 * ```ts
 * const lake = await writeChainedLake({ lakeDir: '/tmp/lake', records: 100, perFile: 25 });
 * lake.files; // ['audit/dt=2026-11-26/fiat-audit-1-2026-11-26-09-00-00-<uuid>.gz', …]
 * ```
 */
export async function writeChainedLake(options: ChainedLakeOptions): Promise<ChainedLake> {
  const names = options.names ?? resolveStreamNames('Audit');
  const { records = 12, perFile = 4, start = Date.UTC(2026, 10, 26, 9), stepMs = 1000 } = options;
  const chain = new ChainWriter({
    stream: names.stream,
    table: names.table,
    ...(options.chainId !== undefined ? { chainId: options.chainId } : {}),
    ...(options.signer !== undefined ? { signer: options.signer } : {}),
  });
  const files: string[] = [];
  const checkpointFiles: string[] = [];
  for (let first = 1, index = 0; first <= records; first += perFile, index += 1) {
    const time = start + index * stepMs;
    let text = '';
    for (let n = first; n < Math.min(first + perFile, records + 1); n += 1) {
      const eventTime = time + (n - first);
      text += chain.seal(`{"event_id":"${uuidv7(eventTime)}","event_time":"${formatTimestamp(eventTime)}","app":"test","email":"t@example.com","tags":{},"n":${n}}`);
    }
    const key = lakeObjectKey(names, time);
    await writeLakeFile(options.lakeDir, key, gzipSync(text));
    files.push(key);
    if (options.checkpoints === 'end' && first + perFile <= records) continue;
    checkpointFiles.push(await writeCheckpoint(options.lakeDir, chain, time + stepMs / 2));
  }
  return { chainId: chain.chainId, files, checkpointFiles };
}

async function writeCheckpoint(lakeDir: string, chain: ChainWriter, time: number): Promise<string> {
  const fields = chain.checkpoint(time);
  const line = FiatCheckpoint.encode(fields, { eventId: uuidv7(time), eventTime: time, app: 'test', email: 't@example.com', tags: {} });
  const key = lakeObjectKey(FiatCheckpoint.names, time);
  await writeLakeFile(lakeDir, key, gzipSync(line));
  return key;
}
