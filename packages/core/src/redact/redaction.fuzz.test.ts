import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { isFiatError, type FiatError } from '../errors.js';
import '../firehose/index.js'; // registers 'firehose' for ValidatedLog.configure('firehose', …)
import type { FirehoseBatchClient, PutRecordBatchInput } from '../firehose/options.js';
import { tempDir } from '../test-helpers/lake.js';
import { callCase, Calls, LOGGER_REDACT, vaultCase, Vault, type Secret } from '../test-helpers/redactionFuzz.js';
import type { StreamDefinition } from '../stream.js';
import { ValidatedLog } from '../ValidatedLog.js';

// Property: a secret planted where redaction promises to hide it — at a declared field or path, under
// a default secret key, or matching a detector — never reaches any output: lake files (records and
// dead letters), Firehose records, spool files, thrown errors (message, issues, cause) or onError
// payloads. FIAT_FUZZ_RUNS (default 10,000) and FIAT_FUZZ_SEED set the run; the seed is printed on
// failure, and `FIAT_FUZZ_SEED=<seed> npx vitest run --project @fiat/core-fuzz src/redact/redaction.fuzz.test.ts`
// replays it.

const RUNS = Number(process.env.FIAT_FUZZ_RUNS ?? 10_000);
const SEED = Number(process.env.FIAT_FUZZ_SEED ?? 20_261_212);
const KEY = 'fuzz-redaction-key-0123456789abcdef';

/** Every core planted so far: a core found in any output is a leak. */
const planted = new Set<string>();
const CORE_PATTERN = /qzx[a-z0-9]{14}|QZX[A-Z0-9]{13}|\d{4}[ -]?\d{4}[ -]?\d{4}[ -]?\d{4}/g;

/** The planted cores found in `text`, with some context for the report. */
function leaks(text: string, where: string): string[] {
  const found: string[] = [];
  for (const match of text.matchAll(CORE_PATTERN)) {
    if (planted.has(match[0])) found.push(`${where}: ${match[0]} in …${text.slice(Math.max(0, match.index - 80), match.index + 40)}…`);
  }
  return found;
}

/** The text of an error as onError or a caller would see it: message, issues, and its causes. */
function errorText(error: unknown, depth = 0): string {
  if (depth > 5 || error === undefined || error === null) return '';
  if (!(error instanceof Error)) return String(error);
  const issues = isFiatError(error) ? JSON.stringify(error.issues) : '';
  return `${error.name}: ${error.message} ${issues} ${errorText((error as { cause?: unknown }).cause, depth + 1)}`;
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

async function textOf(path: string): Promise<string> {
  const bytes = await readFile(path);
  return path.endsWith('.gz') ? gunzipSync(bytes).toString('utf8') : bytes.toString('utf8');
}

/** An in-memory Firehose: keeps what it acknowledges, refuses every third call (those records are spooled). */
function flakyFirehose(): FirehoseBatchClient & { readonly texts: string[]; calls: number } {
  const texts: string[] = [];
  const client = {
    texts,
    calls: 0,
    async putRecordBatch(input: PutRecordBatchInput) {
      client.calls += 1;
      if (client.calls % 3 === 0) throw Object.assign(new Error('refused (test)'), { name: 'InvalidArgumentException', $metadata: { httpStatusCode: 400 } });
      for (const record of input.Records) texts.push(Buffer.from(record.Data).toString('utf8'));
      return { FailedPutCount: 0, RequestResponses: input.Records.map((_, i) => ({ RecordId: `r${client.calls}-${i}` })) };
    },
  };
  return client;
}

const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

describe('redaction on every exit', () => {
  it(`never lets a planted secret out (${RUNS} runs, seed ${SEED})`, { timeout: 900_000 }, async () => {
    // Prepare: a local logger that dead-letters, one that throws, and a Firehose logger that spools.
    const [lakeDir, firehoseSpool] = [await tempDir('fiat-redact-lake-'), await tempDir('fiat-redact-spool-')];
    dirs.push(lakeDir, firehoseSpool);
    const reported: FiatError[] = [];
    const common = { app: 'fuzz', email: 'fuzz@example.com', streams: [Vault, Calls], redactionKey: KEY, redact: LOGGER_REDACT, onError: (e: FiatError) => void reported.push(e) };
    const firehose = flakyFirehose();
    const loggers = [
      ValidatedLog.configure('local', { ...common, lakeDir, onInvalid: 'deadletter', bufferBytes: 4 * 1024 * 1024 }),
      ValidatedLog.configure('local', { ...common, lakeDir, onInvalid: 'throw', bufferBytes: 4 * 1024 * 1024 }),
      ValidatedLog.configure('firehose', { ...common, client: firehose, spoolDir: firehoseSpool, retry: { maxAttempts: 1 }, maxRecordBytes: 64 * 1024 }),
    ];
    const counts = { thrown: 0, secrets: 0 };
    const input = fc.record({ which: fc.integer({ min: 0, max: 2 }), deadletter: fc.boolean(), kind: fc.oneof(vaultCase.map((c) => ({ stream: Vault, ...c })), callCase.map((c) => ({ stream: Calls, ...c }))) });

    // Act / Assess each case: what log() throws is checked at once.
    fc.assert(
      fc.property(input, ({ which, deadletter, kind }) => {
        kind.secrets.forEach((secret: Secret) => secret.cores.forEach((c) => planted.add(c)));
        counts.secrets += kind.secrets.length;
        const logger = loggers[which] as ValidatedLog;
        try {
          logger.log(kind.stream as StreamDefinition<unknown>, kind.build(), which === 2 ? { onInvalid: deadletter ? 'deadletter' : 'throw' } : undefined);
        } catch (error) {
          if (!isFiatError(error) || !['VALIDATION_FAILED', 'RECORD_TOO_LARGE'].includes(error.code)) throw error;
          counts.thrown += 1;
          const found = leaks(errorText(error), 'thrown error');
          if (found.length > 0) throw new Error(found.join('\n'));
        }
      }),
      { numRuns: RUNS, seed: SEED },
    );
    for (const logger of loggers) await logger.close();

    // Assess everything written: lake files, Firehose records, spool files, onError payloads.
    const found: string[] = [];
    const lakeFiles = await filesUnder(lakeDir);
    let records = 0;
    let deadLetters = 0;
    for (const file of lakeFiles) {
      const text = await textOf(file);
      const lines = text.split('\n').length - 1;
      if (file.includes('_fiat_deadletter')) deadLetters += lines;
      else records += lines;
      found.push(...leaks(text, file));
    }
    firehose.texts.forEach((text, i) => found.push(...leaks(text, `Firehose record ${i}`)));
    const spoolFiles = (await filesUnder(firehoseSpool)).filter((f) => f.endsWith('.ndjson'));
    const spooled = await Promise.all(spoolFiles.map(textOf));
    spooled.forEach((text, i) => found.push(...leaks(text, spoolFiles[i] as string)));
    reported.forEach((error, i) => found.push(...leaks(errorText(error), `onError payload ${i}`)));
    expect(found.slice(0, 5)).toEqual([]);

    // The property was not vacuous: every exit carried records.
    expect(counts.secrets).toBeGreaterThan(RUNS);
    expect(records).toBeGreaterThan(RUNS / 5);
    expect(deadLetters).toBeGreaterThan(RUNS / 100);
    expect(counts.thrown).toBeGreaterThan(RUNS / 100);
    expect(firehose.texts.length).toBeGreaterThan(0);
    expect(spooled.join('').length).toBeGreaterThan(0);
  });
});
