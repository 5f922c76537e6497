import { ChainWriter } from '../chain/ChainWriter.js';
import { FiatCheckpoint } from '../chain/checkpointStream.js';
import type { ChainSigner } from '../chain/signing.js';
import type { StoredChunk } from '../chain/verify/ChainVerifier.js';
import { formatTimestamp } from '../storedTimestamp.js';
import { resolveStreamNames } from '../names.js';
import { lakeObjectKey } from '../transports/local.js';
import { randomBytes } from 'node:crypto';
import { uuidv7 } from '../uuid.js';

/** A chain as stored: its record files and checkpoint files, in name order. */
export interface BuiltChain {
  readonly chainId: string;
  readonly files: StoredChunk[];
  readonly checkpoints: StoredChunk[];
}

export interface BuildChainOptions {
  /** Records in the chain. Default: 12. */
  readonly records?: number;
  /** Records per file. Default: 4. */
  readonly perFile?: number;
  /** Write a checkpoint after each file. Default: true. */
  readonly checkpointEachFile?: boolean;
  readonly signer?: ChainSigner;
  /** Time of the first file. Default: 2026-11-26 09:00:00 UTC. */
  readonly start?: number;
  /** Time between files. Default: 1,000 ms. */
  readonly stepMs?: number;
  readonly stream?: string;
}

/** Builds one chain's files in the local lake's layout, with a checkpoint after each file (and so at the end). */
export function buildChain(options: BuildChainOptions = {}): BuiltChain {
  const names = resolveStreamNames(options.stream ?? 'Audit');
  const { records = 12, perFile = 4, checkpointEachFile = true, start = Date.UTC(2026, 10, 26, 9), stepMs = 1000 } = options;
  const chain = new ChainWriter({ stream: names.stream, table: names.table, chainId: uuidv7At(start - 1), ...(options.signer ? { signer: options.signer } : {}) });
  const files: StoredChunk[] = [];
  const checkpoints: StoredChunk[] = [];
  for (let first = 1, index = 0; first <= records; first += perFile, index += 1) {
    const time = start + index * stepMs;
    let text = '';
    for (let n = first; n < Math.min(first + perFile, records + 1); n += 1) {
      const eventTime = time + (n - first);
      text += chain.seal(`{"event_id":"${uuidv7(eventTime)}","event_time":"${formatTimestamp(eventTime)}","app":"test","email":"t@example.com","tags":{},"n":${n}}\n`);
    }
    files.push({ source: lakeObjectKey(names, time), stream: names.stream, text });
    if (!checkpointEachFile && first + perFile <= records) continue;
    const fields = chain.checkpoint(time + 500)!;
    const line = FiatCheckpoint.encode(fields, { eventId: uuidv7(time + 500), eventTime: time + 500, app: 'test', email: 't@example.com', tags: {} });
    checkpoints.push({ source: lakeObjectKey(FiatCheckpoint.names, time + 500), stream: 'FiatCheckpoint', text: line });
  }
  return { chainId: chain.chainId, files, checkpoints };
}

/** Replaces the text of one file of a list (returns a new list). */
export function withText(files: readonly StoredChunk[], index: number, edit: (text: string) => string): StoredChunk[] {
  return files.map((file, i) => (i === index ? { ...file, text: edit(file.text) } : file));
}

/** A UUIDv7 of exactly `ms` (the core generator never goes back in time within a process). */
export function uuidv7At(ms: number): string {
  const time = ms.toString(16).padStart(12, '0');
  const random = randomBytes(10).toString('hex');
  return `${time.slice(0, 8)}-${time.slice(8)}-7${random.slice(0, 3)}-8${random.slice(3, 6)}-${random.slice(6, 18)}`;
}
