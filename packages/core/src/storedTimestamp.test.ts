import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sqlString } from './duckdb.js';
import type { FiatIssue } from './errors.js';
import {
  encodeTimestamp,
  formatTimestamp,
  isTimestampInput,
  parseStoredTimestamp,
  STORED_TIMESTAMP_DUCKDB_FORMAT,
  STORED_TIMESTAMP_PATTERN,
  STORED_TIMESTAMP_REGEX,
  TIMESTAMP_INPUT_PATTERN,
} from './storedTimestamp.js';
import { tempDir } from './test-helpers/lake.js';

describe('formatTimestamp', () => {
  it('formats epoch milliseconds as UTC yyyy-MM-dd HH:mm:ss.SSS', () => {
    expect(formatTimestamp(Date.UTC(2026, 0, 2, 3, 4, 5, 6))).toBe('2026-01-02 03:04:05.006');
  });

  it('formats the ends of the range every engine reads', () => {
    expect(formatTimestamp(-62135596800000)).toBe('0001-01-01 00:00:00.000');
    expect(formatTimestamp(Date.UTC(9999, 11, 31, 23, 59, 59, 999))).toBe('9999-12-31 23:59:59.999');
  });
});

describe('parseStoredTimestamp', () => {
  it('reads back what formatTimestamp wrote', () => {
    for (const ms of [0, 1_795_683_907_042, Date.UTC(2024, 1, 29, 23, 59, 59, 999), -62135596800000, 253402300799999]) {
      expect(parseStoredTimestamp(formatTimestamp(ms))).toBe(ms);
    }
  });

  it.each([
    ['2026-13-45 99:99:99.999', 'month 13'],
    ['2026-02-29 00:00:00.000', '29 February of a common year'],
    ['2026-04-31 00:00:00.000', '31 April'],
    ['2026-01-01 24:00:00.000', 'hour 24'],
    ['2026-01-01 00:60:00.000', 'minute 60'],
    ['2026-01-01 00:00:60.000', 'second 60'],
    ['0000-12-31 23:59:59.999', 'year 0'],
    ['2026-01-01T00:00:00.000Z', 'the ISO form'],
    ['2026-01-01 00:00:00', 'no milliseconds'],
    ['2026-01-01 00:00:00.000\n', 'a trailing newline'],
  ])('refuses %s (%s)', (text) => {
    expect(parseStoredTimestamp(text)).toBeUndefined();
  });
});

describe('timestamp inputs', () => {
  it.each([
    ['2026-11-26T10:00:00Z', true],
    ['2026-11-26T10:00:00.123456+05:30', true],
    ['2026-11-26 10:00:00.123', true],
    ['2026-11-26T10:00:00', false],
    ['2026-13-01T00:00:00Z', false],
    ['2026-11-26 10:00:00.123+01:00', false],
    ['2026-11-26T10:00:00+24:00', false],
    ['tomorrow', false],
    [new Date(0), true],
    [new Date(Number.NaN), false],
    [new Date(Date.UTC(10000, 0, 1)), false],
    [1764151200000, false],
  ])('accepts %s as a timestamp input: %s', (value, ok) => {
    expect(isTimestampInput(value)).toBe(ok);
  });

  it('encodes an offset to UTC and keeps a stored-form string as it is', () => {
    // Prepare
    const issues: FiatIssue[] = [];
    // Act
    const fromOffset = encodeTimestamp('2026-11-26T10:05:07.042+01:00', 'at', issues);
    const fromStored = encodeTimestamp('2026-11-26 09:05:07.042', 'at', issues);
    // Assess
    expect([fromOffset, fromStored, issues]).toEqual(['2026-11-26 09:05:07.042', '2026-11-26 09:05:07.042', []]);
  });

  it('says when the shape is right but the date does not exist', () => {
    // Prepare
    const issues: FiatIssue[] = [];
    // Act
    const stored = encodeTimestamp('2026-13-45 99:99:99.999', 'at', issues);
    const garbage = encodeTimestamp('soon', 'when', issues);
    // Assess
    expect(stored).toBeUndefined();
    expect(garbage).toBeUndefined();
    expect(issues).toEqual([
      { path: 'at', message: 'must be a Date or an ISO 8601 date-time string with Z or an offset, naming a date and time that exist (years 0001-9999)' },
      { path: 'when', message: 'must be a Date or an ISO 8601 date-time string with Z or an offset' },
    ]);
  });
});

describe('patterns', () => {
  it('the RegExp and the JSON Schema pattern are the same rule', () => {
    expect(STORED_TIMESTAMP_REGEX.source).toBe(STORED_TIMESTAMP_PATTERN);
    expect(STORED_TIMESTAMP_REGEX.test('2026-11-26 09:05:07.042')).toBe(true);
    expect(STORED_TIMESTAMP_REGEX.test('2026-11-26T09:05:07.042Z')).toBe(false);
  });

  it('the input pattern admits the stored form and ISO 8601 with an offset, not a local time', () => {
    const input = new RegExp(TIMESTAMP_INPUT_PATTERN);
    expect(['2026-11-26 09:05:07.042', '2026-11-26T09:05:07Z', '2026-11-26t09:05+0100'].every((t) => input.test(t))).toBe(true);
    expect(input.test('2026-11-26T09:05:07')).toBe(false);
  });
});

describe('STORED_TIMESTAMP_DUCKDB_FORMAT', () => {
  it('lets DuckDB read stored timestamps to the millisecond', async () => {
    // Prepare
    const dir = await tempDir();
    const file = join(dir, 'times.json');
    const times = [Date.UTC(2026, 10, 26, 9, 5, 7, 42), -62135596800000, Date.UTC(9999, 11, 31, 23, 59, 59, 999)];
    await writeFile(file, times.map((ms) => `{"t":"${formatTimestamp(ms)}"}\n`).join(''));
    const { DuckDBInstance } = await import('@duckdb/node-api');
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    try {
      // Act
      const reader = await connection.runAndReadAll(
        `SELECT epoch_ms(t) AS ms FROM read_json(${sqlString(file)}, format = 'newline_delimited', ` +
          `columns = {'t': 'TIMESTAMP'}, timestampformat = ${sqlString(STORED_TIMESTAMP_DUCKDB_FORMAT)})`,
      );
      // Assess
      expect(reader.getRowObjectsJson().map((row) => Number(row.ms))).toEqual(times);
    } finally {
      connection.closeSync();
      instance.closeSync();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
