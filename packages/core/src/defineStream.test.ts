import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import * as zm from 'zod/mini';
import { defineStream } from './defineStream.js';
import { isFiatError, type FiatError } from './errors.js';
import { STORED_TIMESTAMP_PATTERN } from './storedTimestamp.js';

function columnOf(schema: z.ZodType): string {
  const stream = defineStream({ name: 'T', schema: z.object({ v: schema }) });
  return stream.columns.find((c) => c.name === 'v')!.type;
}

function definitionError(build: () => unknown): FiatError {
  try {
    build();
  } catch (error) {
    if (isFiatError(error)) return error;
    throw error;
  }
  throw new Error('expected a FiatError');
}

describe('defineStream type mapping', () => {
  it.each([
    ['string', 'string', z.string()],
    ['enum', 'string', z.enum(['a', 'b'])],
    ['string literal', 'string', z.literal('x')],
    ['union of string literals', 'string', z.union([z.literal('a'), z.literal('b')])],
    ['int', 'bigint', z.int()],
    ['number().int()', 'bigint', z.number().int()],
    ['number', 'double', z.number()],
    ['boolean', 'boolean', z.boolean()],
    ['ISO date-time string', 'timestamp', z.iso.datetime()],
    ['Date', 'timestamp', z.date()],
    ['ISO date', 'date', z.iso.date()],
    ['array of strings', 'array<string>', z.array(z.string())],
    ['array of objects', 'array<struct<n:bigint>>', z.array(z.object({ n: z.int() }))],
    ['nested object', 'struct<a:string,b:struct<c:boolean>>', z.object({ a: z.string(), b: z.object({ c: z.boolean() }) })],
    ['record of numbers', 'map<string,double>', z.record(z.string(), z.number())],
    ['record of strings', 'map<string,string>', z.record(z.string(), z.string())],
    ['unknown', 'string', z.unknown()],
    ['any', 'string', z.any()],
    ['union of different types', 'string', z.union([z.string(), z.number()])],
    ['optional', 'bigint', z.int().optional()],
    ['nullable', 'double', z.number().nullable()],
    ['optional nullable timestamp', 'timestamp', z.iso.datetime().nullable().optional()],
  ] as const)('maps %s to %s', (_label, expected, schema) => {
    expect(columnOf(schema)).toBe(expected);
  });

  it('puts the envelope first, then the fields in order', () => {
    const stream = defineStream({ name: 'PageView', schema: z.object({ url: z.string(), n: z.int() }) });
    expect(stream.columns.map((c) => `${c.name} ${c.type}`)).toEqual([
      'event_id string',
      'event_time timestamp',
      'app string',
      'email string',
      'tags map<string,string>',
      'url string',
      'n bigint',
    ]);
    expect(stream.names).toEqual({ stream: 'PageView', table: 'page_view', prefix: 'page_view/', deliveryStream: 'fiat-page_view' });
  });

  it('marks free-form columns as JSON text in the stored schema', () => {
    const stream = defineStream({ name: 'T', schema: z.object({ v: z.unknown(), t: z.date() }) });
    const properties = stream.jsonSchema.properties as Record<string, Record<string, unknown>>;
    expect(properties.v).toEqual({ type: 'string', contentMediaType: 'application/json' });
    expect(properties.t!.pattern).toBe(STORED_TIMESTAMP_PATTERN);
    expect(stream.jsonSchema.required).toEqual(['event_id', 'event_time', 'app', 'email', 'tags', 'v', 't']);
  });
});

describe('defineStream definition errors', () => {
  it.each([
    ['camelCase field', z.object({ userId: z.string() }), /field 'userId' is not a legal Athena identifier.*'user_id'/],
    ['field with a dash', z.object({ 'a-b': z.string() }), /field 'a-b' is not a legal Athena identifier/],
    ['field starting with a digit', z.object({ '1a': z.string() }), /field '1a' is not a legal Athena identifier/],
    ['names equal except for case', z.object({ Name: z.string(), name: z.string() }), /'Name' and 'name' differ only by case/],
    ['nested names equal except for case', z.object({ s: z.object({ A: z.string(), a: z.string() }) }), /'A' and 'a' in s differ only by case/],
    ['envelope collision', z.object({ event_id: z.string() }), /field 'event_id' .*collides with the envelope column/],
    ['partition collision', z.object({ dt: z.string() }), /field 'dt' .*collides with the partition column/],
    ['bigint', z.object({ n: z.bigint() }), /field 'n' is a BigInt/],
    ['Map', z.object({ m: z.map(z.string(), z.string()) }), /field 'm' is a Map/],
    ['Set', z.object({ s: z.set(z.string()) }), /field 's' is a Set/],
    ['function', z.object({ f: z.function() }), /field 'f' is a function/],
    ['symbol', z.object({ s: z.symbol() }), /field 's' is a symbol/],
    ['nested bigint', z.object({ o: z.object({ n: z.bigint().optional() }) }), /field 'o.n' is a BigInt/],
    ['refinement', z.object({ n: z.number().refine((v) => v > 1) }), /field 'n' uses .refine\(\)/],
    ['transform', z.object({ n: z.string().transform((v) => v.length) }), /field 'n' is a pipe or transform/],
  ])('refuses a %s', (_label, schema, message) => {
    const error = definitionError(() => defineStream({ name: 'T', schema }));
    expect(error.code).toBe('INVALID_DEFINITION');
    expect(error.message).toMatch(message);
  });

  it.each([
    ['a slash', 'a/b', /could leave its folder/],
    ['dot-dot', '..', /could leave its folder/],
    ['an empty name', '', /stream name is empty/],
    ['a space', 'a b', /is not allowed/],
  ])('refuses a stream name with %s', (_label, name, message) => {
    const error = definitionError(() => defineStream({ name, schema: z.object({ a: z.string() }) }));
    expect(error.code).toBe('INVALID_DEFINITION');
    expect(error.message).toMatch(message);
  });

  it('refuses a schema that is not a Zod object', () => {
    const error = definitionError(() => defineStream({ name: 'T', schema: z.string() as never }));
    expect(error.message).toMatch(/schema must be a Zod 4 object/);
  });

  it('refuses a zod/mini object, which cannot describe itself as JSON Schema, with a clear message', () => {
    const error = definitionError(() => defineStream({ name: 'T', schema: zm.object({ a: zm.string() }) as never }));
    expect(error.message).toBe("stream T: schema must be a Zod 4 object from 'zod' (zod/mini schemas cannot describe themselves as JSON Schema)");
  });

  it('refuses name overrides that would inject into DDL or leave the lake', () => {
    expect(definitionError(() => defineStream({ name: 'T', schema: z.object({ a: z.string() }), names: { table: 'x`; DROP' } })).message).toMatch(
      /not a legal Athena identifier/,
    );
    expect(definitionError(() => defineStream({ name: 'T', schema: z.object({ a: z.string() }), names: { prefix: '../x/' } })).message).toMatch(
      /could leave its folder/,
    );
  });
});

describe('defineStream constraints', () => {
  it('keeps array bounds in the input and stored schemas', () => {
    const stream = defineStream({ name: 'T', schema: z.object({ labels: z.array(z.string()).min(1).max(3) }) });
    expect(stream.validate({ labels: [] }).map((i) => i.path)).toEqual(['labels']);
    expect(stream.validate({ labels: ['a', 'b', 'c', 'd'] }).map((i) => i.path)).toEqual(['labels']);
    expect(stream.validate({ labels: ['a'] })).toEqual([]);
    expect((stream.jsonSchema.properties as Record<string, unknown>).labels).toEqual({ type: 'array', items: { type: 'string' }, minItems: 1, maxItems: 3 });
  });
});

describe('defineStream with z.int64()', () => {
  const Ledger = defineStream({ name: 'Ledger', schema: z.object({ cents: z.int64(), history: z.array(z.int64()).optional() }) });
  const envelope = { eventId: '01936a1e-0000-7000-8000-000000000000', eventTime: 0, app: 'a', email: 'e', tags: {} };

  it('maps to an Athena bigint column and documents the type in the stored schema', () => {
    expect(Ledger.columns.at(-2)).toEqual({ name: 'cents', type: 'bigint' });
    expect((Ledger.jsonSchema.properties as Record<string, unknown>).cents).toEqual({ type: 'integer', format: 'int64' });
  });

  it('stores a BigInt, a decimal string or a safe integer as an exact JSON integer literal', () => {
    expect(Ledger.encode({ cents: 2n ** 63n - 1n, history: [-(2n ** 63n), '12345678901234567890'.slice(1), 7] }, envelope)).toContain(
      ',"cents":9223372036854775807,"history":[-9223372036854775808,2345678901234567890,7]}',
    );
  });

  it.each([
    ['2^63', 2n ** 63n],
    ['a string past 2^63-1', '9223372036854775808'],
    ['a string with a leading zero', '007'],
    ['a signed zero', '-0'],
    ['a number past 2^53', 2 ** 60],
    ['a fraction', 1.5],
  ])('refuses %s', (_label, cents) => {
    const issues = Ledger.validate({ cents });
    expect(issues).toHaveLength(1);
    expect(issues[0]!.path).toBe('cents');
  });

  it('refuses z.int64() with checks, and other BigInt types', () => {
    expect(() => defineStream({ name: 'T', schema: z.object({ n: z.int64().min(0n) }) })).toThrow(/z.int64\(\) with checks/);
    expect(() => defineStream({ name: 'T', schema: z.object({ n: z.uint64() }) })).toThrow(/BigInt without bounds|Athena bigint/);
  });
});

describe('defineStream with strings that are not well-formed Unicode', () => {
  it.each([
    ['a description', () => defineStream({ name: 'T', description: 'a \ud800', schema: z.object({ a: z.string() }) })],
    ['a field description', () => defineStream({ name: 'T', schema: z.object({ a: z.string().describe('x\udc00') }) })],
    ['an enum value', () => defineStream({ name: 'T', schema: z.object({ a: z.enum(['ok', '\ud83d']) }) })],
    ['a default', () => defineStream({ name: 'T', schema: z.object({ a: z.string().default('\ud83d') }) })],
  ])('refuses %s with INVALID_DEFINITION naming where', (_label, define) => {
    const error = definitionError(define);
    expect(error.code).toBe('INVALID_DEFINITION');
    expect(error.message).toMatch(/not well-formed Unicode|lone UTF-16 surrogate/);
    expect(error.message.isWellFormed()).toBe(true);
  });
});

describe('defineStream nesting', () => {
  function nestedObject(levels: number): z.ZodObject {
    let schema: z.ZodObject = z.object({ leaf: z.string() });
    for (let i = 1; i < levels; i++) schema = z.object({ a: schema });
    return schema;
  }

  it('accepts structs nested 64 levels and refuses 65 (or 2,000) with INVALID_DEFINITION', () => {
    expect(defineStream({ name: 'T', schema: z.object({ s: nestedObject(64) }) }).columns.at(-1)!.type).toMatch(/^struct</);
    expect(definitionError(() => defineStream({ name: 'T', schema: z.object({ s: nestedObject(65) }) })).message).toMatch(/nests deeper than 64 levels/);
    expect(definitionError(() => defineStream({ name: 'T', schema: z.object({ s: nestedObject(2000) }) })).message).toMatch(/nests deeper than 64 levels/);
  });
});

describe('defineStream reserved names', () => {
  it.each([{ table: '_tmp' }, { table: '_fiat_deadletter' }, { prefix: '_fiat_x/' }, { deliveryStream: '..' }])('refuses %j', (names) => {
    expect(definitionError(() => defineStream({ name: 'T', names, schema: z.object({ a: z.string() }) })).message).toMatch(/reserved|leave its folder/);
  });
});
