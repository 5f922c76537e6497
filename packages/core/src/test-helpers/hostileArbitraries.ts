import fc from 'fast-check';

/** Runs per property: `FIAT_FUZZ_RUNS`, else 10,000 (what CI runs). */
export const FUZZ_RUNS = Number(process.env.FIAT_FUZZ_RUNS ?? 10_000);
/** The seed: `FIAT_FUZZ_SEED` to replay a failure, else a fresh one (fast-check prints it on failure). */
export const FUZZ_SEED = process.env.FIAT_FUZZ_SEED === undefined ? Date.now() ^ (Math.random() * 0x100000000) : Number(process.env.FIAT_FUZZ_SEED);

/** Strings of any code point (well-formed), including NUL and control characters. */
export const anyText = fc.oneof(fc.string({ unit: 'binary', maxLength: 40 }), fc.string({ unit: 'binary-ascii', maxLength: 40 }));

/** Nested `[[[…]]]` or `{"d":{…}}`, sometimes far deeper than any limit. */
const deep = fc.tuple(fc.oneof(fc.integer({ min: 1, max: 200 }), fc.constantFrom(1000, 5000)), fc.boolean()).map(([levels, arrays]) => {
  let value: unknown = 'bottom';
  for (let i = 0; i < levels; i++) value = arrays ? [value] : { d: value };
  return value;
});

/**
 * A sparse array: a long length and a few elements. (At most 5,000 long here: bounding the
 * validator's work on longer ones is the validation work of the same issue.)
 */
const sparse = fc.tuple(fc.integer({ min: 1, max: 5_000 }), fc.anything({ maxDepth: 1 })).map(([length, item]) => {
  const array: unknown[] = [];
  array.length = length;
  array[Math.floor(length / 2)] = item;
  return array;
});

/** An object whose getter returns a different value on each read, or throws. */
const getters = fc.tuple(fc.anything({ maxDepth: 1 }), fc.anything({ maxDepth: 1 }), fc.boolean()).map(([first, later, throws]) => {
  let reads = 0;
  return Object.defineProperty({}, 'value', {
    enumerable: true,
    get() {
      reads += 1;
      if (throws && reads > 1) throw new Error('getter failed on a later read');
      return reads === 1 ? first : later;
    },
  });
});

/** Objects with `toJSON` returning something else, undefined, or throwing. */
const withToJSON = fc.oneof(
  fc.anything({ maxDepth: 1 }).map((other) => ({ toJSON: () => other })),
  fc.constant({ toJSON: () => undefined }),
  fc.constant({
    toJSON: () => {
      throw new Error('toJSON failed');
    },
  }),
);

/** Objects with `__proto__`, `constructor` and similar keys as own properties. */
const prototypeKeys = fc.anything({ maxDepth: 1 }).map((value) => JSON.parse(`{"__proto__":${JSON.stringify(value ?? null) ?? 'null'},"constructor":1,"toString":"x"}`) as unknown);

function cycle(): unknown {
  const value: Record<string, unknown> = { a: 1 };
  value.self = value;
  return value;
}

/** Values JSON cannot carry, or that attack the validator and encoder. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.bigInt(),
  fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -0, Number.MAX_VALUE, Number.MIN_VALUE),
  fc.constantFrom<unknown>(undefined, null, Symbol('s'), () => 1, new Map([['k', 1]]), new Set([1]), new Date(Number.NaN)),
  fc.constantFrom('\u0000', 'a\u0000b', '\u2028\u2029', '\ufeff'),
  fc.constant(null).map(cycle),
  fc.constant(null).map(() => new Proxy({}, { ownKeys: () => { throw new Error('no keys'); } })),
  fc.constant(null).map(() => new (class Point { x = 1; })()),
  deep,
  sparse,
  getters,
  withToJSON,
  prototypeKeys,
  fc.anything({ maxDepth: 3, withBigInt: true, withDate: true, withMap: true, withSet: true, withNullPrototype: true, withSparseArray: true, withTypedArray: true }),
);

/** Rarely, a string or value over the 1,000 KiB record limit (they are slow, so few runs get one). */
export const hugeValue: fc.Arbitrary<unknown> = fc.constantFrom(
  'h'.repeat(1_100_000),
  { rows: Array.from({ length: 30_000 }, (_, i) => ({ i, name: `row ${i}` })) },
);
