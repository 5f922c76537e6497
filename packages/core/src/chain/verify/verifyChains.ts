import { ChainVerifier, type ChainVerifierOptions, type StoredChunk } from './ChainVerifier.js';
import type { VerifyReport } from './report.js';

/** The stored lines to verify: the checkpoint stream's, and the chained streams'. */
export interface ChainInput {
  /** Chunks of the `_fiat_checkpoint` stream (read completely, first). */
  readonly checkpoints: Iterable<StoredChunk> | AsyncIterable<StoredChunk>;
  /** Chunks of the chained streams, in any order; files in name order keep memory lowest. */
  readonly records: Iterable<StoredChunk> | AsyncIterable<StoredChunk>;
}

/**
 * Verifies every chain in `input`: recomputes each record's `chain_hash` from its predecessor, drops exact
 * duplicates, and reports per chain modified records, missing ranges, truncated tails, bad checkpoint signatures,
 * conflicting duplicates and (with `strictOrder`) reordered files. Pure: it reads nothing but `input`.
 *
 * @example
 * ```ts
 * const report = await verifyChains(
 *   { checkpoints: [{ source: 'cp.gz', stream: 'FiatCheckpoint', text: checkpointText }], records: [{ source: 'a.gz', stream: 'Audit', text }] },
 *   { keys: { hmacKeys: [process.env.FIAT_CHAIN_KEY!] } },
 * );
 * report.ok; // true when everything verifies
 * ```
 */
export async function verifyChains(input: ChainInput, options: ChainVerifierOptions = {}): Promise<VerifyReport> {
  const verifier = new ChainVerifier(options);
  for await (const chunk of input.checkpoints) verifier.addCheckpoints(chunk);
  for await (const chunk of input.records) verifier.addRecords(chunk);
  return verifier.finish();
}
