import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { DeadLetter } from './deadletter.js';
import { parseStoredTimestamp } from './storedTimestamp.js';
import { defineStream } from './defineStream.js';
import {
  anyText,
  FUZZ_RUNS,
  FUZZ_SEED,
  hostileValue,
  hugeValue,
  illFormedText,
  int64Edge,
  storedFormTimestamp,
  unsafeInteger,
} from './test-helpers/hostileArbitraries.js';
import { tempDir } from './test-helpers/lake.js';
import { queryLake } from './test-helpers/lakeQuery.js';
import type { Transport, TransportRecord } from './transport.js';
import { createLocalTransport } from './transports/local.js';
import { ValidatedLog } from './ValidatedLog.js';

/** A stream with every supported type. */
const Everything = defineStream({
  name: 'FuzzEverything',
  schema: z.object({
    s: z.string(),
    i: z.int(),
    big: z.int64().optional(),
    d: z.number(),
    b: z.boolean(),
    at: z.iso.datetime(),
    day: z.iso.date().optional(),
    when: z.date().optional(),
    words: z.array(z.string()).optional(),
    point: z.object({ x: z.number(), label: z.string().optional() }).optional(),
    labels: z.record(z.string(), z.string()).optional(),
    anything: z.unknown().optional(),
    note: z.string().nullable().optional(),
    level: z.enum(['low', 'high']).default('low'),
  }),
});

// Valid values per field.
const valid = {
  s: anyText,
  i: fc.integer(),
  big: fc.oneof(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }).map(String), fc.integer()),
  d: fc.double({ noNaN: true, noDefaultInfinity: true }),
  b: fc.boolean(),
  at: fc.date({ min: new Date(Date.UTC(1, 0, 1)), max: new Date(Date.UTC(9999, 11, 31)), noInvalidDate: true }).map((d) => d.toISOString()),
  day: fc.constantFrom('2026-11-26', '1999-01-31'),
  when: fc.date({ noInvalidDate: true, min: new Date(0), max: new Date(Date.UTC(3000, 0, 1)) }),
  words: fc.array(anyText, { maxLength: 5 }),
  point: fc.record({ x: fc.double({ noNaN: true, noDefaultInfinity: true }), label: anyText }, { requiredKeys: ['x'] }),
  labels: fc.dictionary(fc.string({ unit: 'grapheme-ascii', maxLength: 8 }), anyText, { maxKeys: 4 }),
  anything: fc.oneof(fc.jsonValue(), hostileValue),
  note: fc.option(anyText),
  level: fc.constantFrom('low', 'high'),
};

// Values at the edge of each typed field that validation refuses (or, at the boundary, accepts): lone
// surrogates in strings and map keys, stored-form timestamps naming no real time, integers past 2^53,
// int64 values past 2^63.
const edge: { [K in keyof typeof valid]?: fc.Arbitrary<unknown> } = {
  s: illFormedText,
  i: unsafeInteger,
  big: int64Edge,
  at: storedFormTimestamp,
  when: storedFormTimestamp,
  words: fc.array(fc.oneof(anyText, illFormedText), { minLength: 1, maxLength: 3 }),
  point: fc.record({ x: fc.double({ noNaN: true, noDefaultInfinity: true }), label: illFormedText }),
  labels: fc.oneof(
    fc.dictionary(illFormedText, anyText, { minKeys: 1, maxKeys: 3 }),
    fc.dictionary(fc.string({ unit: 'grapheme-ascii', maxLength: 8 }), illFormedText, { minKeys: 1, maxKeys: 3 }),
  ),
  note: illFormedText,
};

/** One field: valid, at its edge, hostile. */
function fieldValue(name: keyof typeof valid): fc.Arbitrary<unknown> {
  const edgeValue = edge[name];
  return fc.oneof(
    { weight: 6, arbitrary: valid[name] as fc.Arbitrary<unknown> },
    ...(edgeValue !== undefined ? [{ weight: 2, arbitrary: edgeValue }] : []),
    { weight: 1, arbitrary: hostileValue },
  );
}

/** Each field valid, at its edge, hostile, or absent; sometimes an unknown field; rarely (huge values are slow) over the record limit; sometimes not an object at all. */
const input: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 150, arbitrary: fc.record(Object.fromEntries(Object.keys(valid).map((name) => [name, fieldValue(name as keyof typeof valid)])), { requiredKeys: [] }) },
  { weight: 15, arbitrary: fc.tuple(fc.record(valid), fc.string({ maxLength: 10 }), hostileValue).map(([record, key, value]) => ({ ...record, [`extra_${key}`]: value })) },
  { weight: 1, arbitrary: fc.tuple(fc.record(valid), hugeValue).map(([record, huge]) => ({ ...record, anything: huge })) },
  { weight: 10, arbitrary: hostileValue },
);

/**
 * True when a stored record's typed values are within their rules: a real stored-form time, a safe
 * integer, an int64 literal within ±2^63 (the stored line is parsed as text for it, so no digit is lost).
 */
function storedIsChecked(stored: Record<string, unknown>): boolean {
  const times = [stored.at, stored.when].filter((t) => t !== undefined && t !== null);
  return (
    times.every((t) => typeof t === 'string' && parseStoredTimestamp(t) !== undefined) &&
    Number.isSafeInteger(stored.i) &&
    (stored.big === undefined || stored.big === null || typeof stored.big === 'number')
  );
}

/** Every string in a parsed JSON value (keys too). */
function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, item]) => [key, ...strings(item)]);
}

describe("fuzz: onInvalid: 'deadletter'", () => {
  it(`never throws for data; every input is stored or dead-lettered, the counts add up, and the lake reads in DuckDB (${FUZZ_RUNS} runs, seed ${FUZZ_SEED})`, async () => {
    // Prepare: the lake transport, watched so that each run can check the one line it wrote.
    const lakeDir = await tempDir('fiat-fuzz-');
    const local = createLocalTransport({ lakeDir });
    let lines: TransportRecord[] = [];
    const watched: Transport = { ...local, kind: 'local', write: (record) => (lines.push(record), local.write(record)), flush: () => local.flush(), close: () => local.close(), stats: () => local.stats() };
    const logger = ValidatedLog.configure(watched, { app: 'fuzz', email: 'fuzz@example.com', streams: [Everything], onInvalid: 'deadletter' });
    let inputs = 0;
    // Act + Assess, per input
    fc.assert(
      fc.property(input, (fields) => {
        lines = [];
        inputs += 1;
        const entry = logger.log(Everything, fields as never);
        const stats = logger.stats();
        expect(stats.logged + stats.deadLettered).toBe(inputs);
        expect(stats.rejected).toBe(0);
        expect(lines).toHaveLength(1);
        expect(lines[0]!.names.table).toBe(entry.deadLettered ? '_fiat_deadletter' : 'fuzz_everything');
        expect(Buffer.byteLength(lines[0]!.line)).toBeLessThanOrEqual(1_024_000);
        const stored = JSON.parse(lines[0]!.line) as Record<string, unknown>;
        // Whatever was given, nothing stored holds a lone surrogate (DuckDB would refuse the file), JSON text included.
        const jsonText = entry.deadLettered ? stored.raw : stored.anything;
        const inner = typeof jsonText === 'string' ? (JSON.parse(jsonText) as unknown) : undefined;
        expect([...strings(stored), ...strings(inner)].every((text) => text.isWellFormed())).toBe(true);
        if (!entry.deadLettered) expect(storedIsChecked(stored)).toBe(true);
      }),
      { numRuns: FUZZ_RUNS, seed: FUZZ_SEED },
    );
    // Assess: the lake, as DuckDB reads it.
    await logger.close();
    const stats = logger.stats();
    expect(stats.logged + stats.deadLettered).toBe(inputs);
    expect(stats.deadLettered).toBeGreaterThan(0);
    expect(stats.logged).toBeGreaterThan(0);
    // Every column of every row is read (the row cast to text), so one unreadable value anywhere fails here.
    const count = async (definition: typeof DeadLetter | typeof Everything) =>
      (await queryLake(lakeDir, definition, 'SELECT count(*)::INTEGER AS n, sum(length(CAST(t AS VARCHAR)))::DOUBLE AS chars FROM t'))[0]!;
    const [kept, deadLettered] = [await count(Everything), await count(DeadLetter)];
    expect(kept.n).toBe(stats.logged);
    expect(deadLettered.n).toBe(stats.deadLettered);
    expect([kept.chars, deadLettered.chars].every((chars) => Number(chars) > 0)).toBe(true);
    // The dead-letter stream is chained: close() also writes its checkpoint.
    const written = inputs + stats.checkpoints;
    expect(stats.transport).toMatchObject({ received: written, delivered: written, pending: 0 });
  }, 600_000);
});
