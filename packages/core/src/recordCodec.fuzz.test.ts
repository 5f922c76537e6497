import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { duckdbType, sqlString } from './duckdb.js';
import { isFiatError } from './errors.js';
import { STORED_TIMESTAMP_DUCKDB_FORMAT } from './storedTimestamp.js';
import type { Transport } from './transport.js';
import { createLocalTransport } from './transports/local.js';
import { ValidatedLog } from './ValidatedLog.js';
import { build, model } from './test-helpers/fuzzRecipes.js';
import { Fuzz, recordRecipe } from './test-helpers/fuzzStream.js';
import { expectedRecord, canonical, type Expected } from './test-helpers/fuzzOracle.js';
import { tempDir } from './test-helpers/lake.js';

// Property: for any input, log() either throws a FiatError with a documented code at once, or the
// record is stored exactly as the reference model says — and the lake file parses in DuckDB and
// gives back the same values. FIAT_FUZZ_RUNS (default 10,000) and FIAT_FUZZ_SEED set the run; the
// seed is printed on failure, and `FIAT_FUZZ_SEED=<seed> npx vitest run src/recordCodec.fuzz.test.ts`
// replays it.

const RUNS = Number(process.env.FIAT_FUZZ_RUNS ?? 10_000);
const SEED = Number(process.env.FIAT_FUZZ_SEED ?? 20_261_126);
const SEED_TEXT = String(SEED);
const DOCUMENTED = new Set(['VALIDATION_FAILED', 'RECORD_TOO_LARGE']);

/** A transport that keeps the last line it was given and writes everything to a real local lake. */
function teeTransport(lakeDir: string): Transport & { last: string | undefined } {
  const inner = createLocalTransport({ lakeDir, bufferBytes: 8 * 1024 * 1024 });
  const tee = {
    kind: 'tee',
    last: undefined as string | undefined,
    write: (record: Parameters<Transport['write']>[0]) => {
      tee.last = record.line;
      inner.write(record);
    },
    flush: () => inner.flush(),
    close: (options?: { readonly timeoutMs?: number }) => inner.close(options),
    stats: () => inner.stats(),
  };
  return tee;
}

const stored = new Map<string, Expected>();
let lakeDir = '';
let logger: ValidatedLog | undefined;

afterAll(async () => {
  await logger?.close();
  if (lakeDir !== '') await rm(lakeDir, { recursive: true, force: true });
});

describe('log() on arbitrary and hostile input', () => {
  // Generous timeouts: the property's speed is measured by the CPU it takes, not asserted here.
  it(`throws a documented FiatError at once or stores exactly the checked value (${RUNS} runs, seed ${SEED})`, { timeout: 600_000 }, async () => {
    lakeDir = await tempDir('fiat-fuzz-');
    const transport = teeTransport(lakeDir);
    logger = ValidatedLog.configure(transport, { app: 'fuzz', email: 'fuzz@example.com', tags: { run: SEED_TEXT }, streams: [Fuzz] });
    const active = logger;
    fc.assert(
      fc.property(recordRecipe, (recipe) => {
        const expected = expectedRecord(model(recipe), SEED_TEXT);
        transport.last = undefined;
        let entry;
        try {
          entry = active.log(Fuzz, build(recipe) as never);
        } catch (error) {
          if (!isFiatError(error) || !DOCUMENTED.has(error.code)) throw error;
          // The message is stored as it is by a dead-letter record: it must be well-formed too.
          if (!error.message.isWellFormed()) throw new Error(`the error message is not well-formed Unicode: ${JSON.stringify(error.message)}`);
          if (process.env.FUZZ_DEBUG) console.log("REFUSED", expected.why, "::", error.message.slice(0, 150));
          if (expected.ok) throw new Error(`refused a valid record (${error.code}): ${error.message.slice(0, 300)}`);
          // The refusal names fields the reference refuses, and only those.
          const heads = error.issues.map((issue) => issue.path.split('.')[0] ?? '');
          const refusedFields = (expected.refusedFields ?? []).map((field) => field.toWellFormed());
          if (error.code === 'VALIDATION_FAILED' && refusedFields.length > 0 && !heads.every((head) => refusedFields.includes(head))) {
            throw new Error(`refused for ${heads.join(', ')}, but the reference refuses ${expected.why}: ${error.message.slice(0, 300)}`);
          }
          if (expected.code === 'RECORD_TOO_LARGE' && error.code !== 'RECORD_TOO_LARGE') {
            throw new Error(`expected RECORD_TOO_LARGE, got ${error.code}: ${error.message.slice(0, 300)}`);
          }
          return;
        }
        if (!expected.ok) throw new Error(`stored a record the reference refuses (${expected.why})`);
        const line = transport.last ?? '';
        const got = canonical(JSON.parse(line));
        const want = canonical({ ...expected.envelope(entry.eventId, entry.eventTime), ...expected.fields });
        if (got !== want) throw new Error(`stored ${got.slice(0, 500)}\nexpected ${want.slice(0, 500)}`);
        // JSON.parse rounds an int64 past 2^53: compare its literal as written.
        const big = /,"big":(-?\d+)/.exec(line)?.[1];
        if (big !== expected.bigText) throw new Error(`stored big ${String(big)}, expected ${String(expected.bigText)}`);
        stored.set(entry.eventId, expected);
      }),
      { numRuns: RUNS, seed: SEED },
    );
    expect(stored.size).toBeGreaterThan(RUNS / 20);
  });

  it('wrote lake files that DuckDB reads back, each record equal to what was logged', { timeout: 300_000 }, async () => {
    await logger!.close();
    const { DuckDBInstance } = await import('@duckdb/node-api');
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    const columns = Fuzz.columns.map((c) => `${sqlString(c.name)}: ${sqlString(duckdbType(c.type))}`).join(', ');
    const glob = join(lakeDir, Fuzz.names.prefix, 'dt=*', '*.gz');
    // Each row as DuckDB's own JSON text (the JS client strips a leading U+FEFF from a bare VARCHAR;
    // inside a JSON document it cannot), with the int64 column as text (a JSON number would round it).
    const fields = Fuzz.fields.filter((f) => f.name !== 'big').map((f) => `"${f.name}" := "${f.name}"`).join(', ');
    const reader = await connection.runAndReadAll(
      `SELECT event_id, CAST(big AS VARCHAR) AS big, to_json(struct_pack(${fields})) AS doc ` +
        `FROM read_json(${sqlString(glob)}, format = 'newline_delimited', compression = 'gzip', columns = {${columns}}, timestampformat = ${sqlString(STORED_TIMESTAMP_DUCKDB_FORMAT)})`,
    );
    const rows = reader.getRowObjectsJson().map((row) => ({ ...(JSON.parse(String(row.doc)) as Record<string, unknown>), event_id: row.event_id, big: row.big }));
    connection.closeSync();
    instance.closeSync();
    expect(rows).toHaveLength(stored.size);
    for (const row of rows) {
      const expected = stored.get(String(row.event_id));
      if (expected === undefined) throw new Error(`DuckDB returned an unknown event_id ${String(row.event_id)}`);
      expect(canonical(expected.duckdb(row as Record<string, unknown>)), `record ${String(row.event_id)} (seed ${SEED})`).toBe(
        canonical(expected.duckdbExpected()),
      );
    }
  });
});
