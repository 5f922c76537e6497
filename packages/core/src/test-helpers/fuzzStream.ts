import fc from 'fast-check';
import { z } from 'zod';
import { defineStream } from '../defineStream.js';
import { anyRecipe, strRecipe, type Recipe } from './fuzzRecipes.js';

// The fuzz stream (every supported type and modifier) and the generators of its records.

/** A stream with every supported type and modifier. */
export const Fuzz = defineStream({
  name: 'Fuzz',
  schema: z.object({
    s: z.string(),
    e: z.enum(['a', 'b', 'c']),
    i: z.int(),
    n: z.number(),
    b: z.boolean(),
    t: z.iso.datetime({ offset: true }),
    d: z.iso.date(),
    arr: z.array(z.string()),
    st: z.object({ x: z.int(), y: z.string().optional() }),
    m: z.record(z.string(), z.number()),
    j: z.unknown(),
    o: z.string().optional(),
    nl: z.string().nullable(),
    df: z.int().default(7),
    big: z.int64().optional(),
    ts: z.array(z.iso.datetime()).optional(),
  }),
});

const json = (v: unknown): Recipe => ({ k: 'json', v });
const digits = (n: number, width: number): string => String(n).padStart(width, '0');
const arrayOf = (items: fc.Arbitrary<Recipe>): fc.Arbitrary<Recipe> => fc.array(items, { maxLength: 3 }).map((list): Recipe => ({ k: 'arr', items: list, holes: [] }));

/** Each field's generators: `valid` values of its type, and `edge` values near or past its rules. */
interface FieldGen {
  readonly valid: fc.Arbitrary<Recipe>;
  readonly edge: fc.Arbitrary<Recipe>;
  /** True for optional fields and fields with a default: absent is valid. */
  readonly optional?: boolean;
}

const wellFormed = fc.string({ unit: 'grapheme', maxLength: 8 }).map(json);
const safeInt = fc.integer({ min: -Number.MAX_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }).map(json);
const unsafeInt = fc.constantFrom(2 ** 53, -(2 ** 53), 2 ** 60, 1e300, 1.5, -0).map(json);
const finite = fc.double({ noNaN: true, noDefaultInfinity: true }).map(json);

const validTimestamp: fc.Arbitrary<Recipe> = fc.oneof(
  fc
    .record({
      ms: fc.integer({ min: -62135596800000 + 86_400_000, max: 253402300799999 - 86_400_000 }),
      zone: fc.constantFrom('Z', 'z', '+00:00', '-05:30', '+1400', '+23:59'),
      fraction: fc.constantFrom('', '.1', '.123', '.123456789'),
      stored: fc.boolean(),
    })
    .map(({ ms, zone, fraction, stored }) => {
      const iso = new Date(ms).toISOString();
      return json(stored ? `${iso.slice(0, 10)} ${iso.slice(11, 23)}` : `${iso.slice(0, 19)}${fraction}${zone}`);
    }),
  fc.integer({ min: -62135596800000, max: 253402300799999 }).map((ms): Recipe => ({ k: 'date', ms })),
);
/** Timestamps with any digits in every part (month 13, 30 February, hour 24…), and Dates past year 9999. */
const edgeTimestamp: fc.Arbitrary<Recipe> = fc.oneof(
  fc
    .tuple(fc.nat(10_000), fc.nat(14), fc.nat(32), fc.nat(26), fc.nat(61), fc.nat(61), fc.constantFrom('T', ' ', 't'), fc.constantFrom('Z', '.000', '+24:00', '+05:60', ''))
    .map(([y, mo, d, h, mi, sec, sep, tail]) => json(`${digits(y, 4)}-${digits(mo, 2)}-${digits(d, 2)}${sep}${digits(h, 2)}:${digits(mi, 2)}:${digits(sec, 2)}${tail}`)),
  fc.integer({ min: -8.64e15, max: 8.64e15 }).map((ms): Recipe => ({ k: 'date', ms })),
);
const validDate = fc
  .date({ min: new Date('0000-01-01T00:00:00Z'), max: new Date('9999-12-31T00:00:00Z'), noInvalidDate: true })
  .map((d) => json(d.toISOString().slice(0, 10)));
const edgeDate = fc.tuple(fc.nat(10_000), fc.nat(13), fc.nat(32)).map(([y, m, d]) => json(`${digits(y, 4)}-${digits(m, 2)}-${digits(d, 2)}`));
const validInt64: fc.Arbitrary<Recipe> = fc.oneof(
  fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }).map((v): Recipe => ({ k: 'bigint', v: v.toString() })),
  fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }).map((v) => json(v.toString())),
  safeInt,
);
const edgeInt64: fc.Arbitrary<Recipe> = fc.oneof(
  fc.constantFrom(-(2n ** 63n) - 1n, 2n ** 63n, 2n ** 64n).map((v): Recipe => ({ k: 'bigint', v: v.toString() })),
  fc.constantFrom('007', '-0', '9223372036854775808', '-9223372036854775809', '1e3', ' 1', '').map(json),
  unsafeInt,
);
/** A huge string, around the record limit. */
const huge: fc.Arbitrary<Recipe> = fc.integer({ min: 1_023_000, max: 1_025_000 }).map((n): Recipe => ({ k: 'huge', n }));
const struct = (x: fc.Arbitrary<Recipe>, y: fc.Arbitrary<Recipe>): fc.Arbitrary<Recipe> =>
  fc.record({ x, y: fc.option(y, { nil: undefined }) }).map(({ x: xr, y: yr }): Recipe => ({ k: 'obj', entries: yr === undefined ? [['x', xr]] : [['x', xr], ['y', yr]] }));
const map = (key: fc.Arbitrary<string>, value: fc.Arbitrary<Recipe>): fc.Arbitrary<Recipe> =>
  fc.array(fc.tuple(key, value), { maxLength: 3 }).map((entries): Recipe => ({ k: 'obj', entries }));

export const FIELDS: Record<string, FieldGen> = {
  s: { valid: wellFormed, edge: fc.oneof({ weight: 30, arbitrary: strRecipe }, { weight: 1, arbitrary: huge }) },
  e: { valid: fc.constantFrom('a', 'b', 'c').map(json), edge: fc.constantFrom('d', 'A', '').map(json) },
  i: { valid: safeInt, edge: unsafeInt },
  n: { valid: fc.oneof(finite, safeInt), edge: fc.constantFrom('NaN', 'Infinity').map((v): Recipe => ({ k: 'num', v: v as 'NaN' })) },
  b: { valid: fc.boolean().map(json), edge: fc.constantFrom(0, 'true').map(json) },
  t: { valid: validTimestamp, edge: edgeTimestamp },
  d: { valid: validDate, edge: edgeDate },
  arr: { valid: arrayOf(wellFormed), edge: arrayOf(strRecipe) },
  st: { valid: struct(safeInt, wellFormed), edge: struct(fc.oneof(safeInt, unsafeInt), strRecipe) },
  m: { valid: map(fc.string({ maxLength: 3 }), finite), edge: map(fc.constantFrom('__proto__', 'k\ud800', ''), finite) },
  j: { valid: fc.jsonValue({ maxDepth: 4 }).map(json), edge: fc.oneof({ weight: 30, arbitrary: anyRecipe }, { weight: 1, arbitrary: huge }) },
  o: { valid: wellFormed, edge: strRecipe, optional: true },
  nl: { valid: fc.oneof(wellFormed, fc.constant(json(null))), edge: strRecipe },
  df: { valid: safeInt, edge: unsafeInt, optional: true },
  big: { valid: validInt64, edge: edgeInt64, optional: true },
  ts: { valid: arrayOf(validTimestamp), edge: arrayOf(edgeTimestamp), optional: true },
};

/** One field's clean recipe: a valid value (an optional field is sometimes absent). */
function cleanRecipe(gen: FieldGen): fc.Arbitrary<Recipe | undefined> {
  return gen.optional === true ? fc.oneof(gen.valid, fc.constant(undefined)) : gen.valid;
}

/** One hostile change to a record: a field set to a value at the edge of its rules, anything hostile, or removed. */
const mutation: fc.Arbitrary<readonly [string, Recipe | undefined]> = fc.constantFrom(...Object.keys(FIELDS)).chain((name) =>
  fc.tuple(
    fc.constant(name),
    fc.oneof(
      { weight: 3, arbitrary: (FIELDS[name] as FieldGen).edge },
      { weight: 2, arbitrary: anyRecipe },
      { weight: 1, arbitrary: fc.constant(undefined) },
    ),
  ),
);

/**
 * A whole record: valid fields, then (for half the records) one or two hostile changes, so that
 * each change decides the outcome; any field may sit behind a getter whose later reads lie; rarely
 * an extra key; sometimes the record is wrapped in a toJSON.
 */
export const recordRecipe: fc.Arbitrary<Recipe> = fc
  .record({
    fields: fc.record(Object.fromEntries(Object.entries(FIELDS).map(([name, gen]) => [name, cleanRecipe(gen)])) as Record<string, fc.Arbitrary<Recipe | undefined>>),
    mutations: fc.oneof(fc.constant([]), fc.array(mutation, { minLength: 1, maxLength: 2 })),
    getters: fc.subarray(Object.keys(FIELDS), { maxLength: 3 }),
    liar: anyRecipe,
    extra: fc.oneof(
      { weight: 19, arbitrary: fc.constant(undefined) },
      { weight: 1, arbitrary: fc.tuple(fc.constantFrom('extra', '__proto__', 'dt', 'x\ud800'), anyRecipe) },
    ),
    wrapped: fc.integer({ min: 0, max: 9 }).map((n) => n === 0),
  })
  .map(({ fields, mutations, getters, liar, extra, wrapped }) => {
    const changed: Record<string, Recipe | undefined> = { ...fields };
    for (const [name, recipe] of mutations) changed[name] = recipe;
    const entries: [string, Recipe][] = [];
    for (const [name, recipe] of Object.entries(changed)) {
      if (recipe === undefined) continue;
      entries.push([name, getters.includes(name) ? { k: 'getter', first: recipe, later: liar } : recipe]);
    }
    if (extra !== undefined) entries.push(extra);
    const record: Recipe = { k: 'obj', entries };
    return wrapped ? { k: 'toJSON', r: record } : record;
  });
