import fc from 'fast-check';

/** Runs per property: `FIAT_FUZZ_RUNS`, else 10,000 (what CI runs). */
export const FUZZ_RUNS = Number(process.env.FIAT_FUZZ_RUNS ?? 10_000);
/** The seed: `FIAT_FUZZ_SEED` to replay a failure, else a fresh one (fast-check prints it on failure). */
export const FUZZ_SEED = process.env.FIAT_FUZZ_SEED === undefined ? Date.now() ^ (Math.random() * 0x100000000) : Number(process.env.FIAT_FUZZ_SEED);

/** Strings of any code point (well-formed), including NUL and control characters. */
export const anyText = fc.oneof(fc.string({ unit: 'binary', maxLength: 40 }), fc.string({ unit: 'binary-ascii', maxLength: 40 }));

/**
 * Text with a lone UTF-16 surrogate (what `'hi 👋'.slice(0, 4)` leaves): never well-formed, since the
 * text around it is well-formed and cannot complete it into a pair.
 */
export const illFormedText = fc
  .tuple(anyText, fc.integer({ min: 0xd800, max: 0xdfff }), anyText)
  .map(([before, unit, after]) => `${before}${String.fromCharCode(unit)}${after}`);

const digits = (n: number, width: number): string => String(n).padStart(width, '0');

/**
 * Strings of the stored timestamp shape `yyyy-MM-dd HH:mm:ss.SSS` with any digits, so mostly naming no
 * real time (month 13, 30 February, hour 99), plus the classic one and the ends of the range.
 */
export const storedFormTimestamp = fc.oneof(
  fc
    .tuple(fc.integer({ min: 0, max: 9999 }), fc.integer({ min: 0, max: 99 }), fc.integer({ min: 0, max: 99 }), fc.integer({ min: 0, max: 99 }), fc.integer({ min: 0, max: 99 }), fc.integer({ min: 0, max: 99 }), fc.integer({ min: 0, max: 999 }))
    .map(([y, mo, d, h, mi, s, ms]) => `${digits(y, 4)}-${digits(mo, 2)}-${digits(d, 2)} ${digits(h, 2)}:${digits(mi, 2)}:${digits(s, 2)}.${digits(ms, 3)}`),
  fc.constantFrom(
    '2026-13-45 99:99:99.999',
    '2026-02-29 00:00:00.000',
    '2024-02-29 23:59:59.999',
    '0000-12-31 23:59:59.999',
    '0001-01-01 00:00:00.000',
    '9999-12-31 23:59:59.999',
    '2026-11-26T10:00:00+24:00',
    '2026-11-26T24:00:00Z',
  ),
);

/** Numbers an integer field must refuse: past ±(2^53-1), or not whole; and the largest it accepts. */
export const unsafeInteger = fc.oneof(
  fc.constantFrom(2 ** 53, -(2 ** 53), 2 ** 60, 1e300, -1e300, Number.MAX_SAFE_INTEGER + 2, Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER, 1.5),
  fc.double({ min: 2 ** 53, max: Number.MAX_VALUE, noNaN: true }),
  fc.double({ min: -Number.MAX_VALUE, max: -(2 ** 53), noNaN: true }),
);

/** Values at and past the edges of an int64 (`z.int64()`) field: BigInts, decimal strings, numbers. */
export const int64Edge = fc.oneof(
  fc.bigInt({ min: -(2n ** 64n), max: 2n ** 64n }),
  fc.constantFrom<unknown>(2n ** 63n - 1n, -(2n ** 63n), 2n ** 63n, '9223372036854775807', '9223372036854775808', '-0', '007', ' 1', '1e3', 2 ** 60),
);

/** Nested `[[[…]]]` or `{"d":{…}}`, sometimes far deeper than any limit. */
const deep = fc.tuple(fc.oneof(fc.integer({ min: 1, max: 200 }), fc.constantFrom(1000, 5000)), fc.boolean()).map(([levels, arrays]) => {
  let value: unknown = 'bottom';
  for (let i = 0; i < levels; i++) value = arrays ? [value] : { d: value };
  return value;
});

/**
 * Lengths of sparse arrays: mostly up to 5,000, rarely up to 2^32-1. Rarely, because dead-lettering one
 * whose JSON text passes 16 MiB hashes those 16 MiB for its omitted marker (a few hundred ms each).
 */
const sparseLength = fc.oneof(
  { weight: 30, arbitrary: fc.integer({ min: 1, max: 5_000 }) },
  { weight: 1, arbitrary: fc.oneof(fc.integer({ min: 5_001, max: 2 ** 32 - 1 }), fc.constantFrom(1e6, 1e8, 2 ** 32 - 1)) },
);

/** A sparse array: a long length (up to 2^32-1) and one element; validation must refuse it without walking the holes. */
const sparse = fc.tuple(sparseLength, fc.anything({ maxDepth: 1 })).map(([length, item]) => {
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
  illFormedText,
  illFormedText.map((key) => ({ [key]: 1 })),
  storedFormTimestamp,
  unsafeInteger,
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
