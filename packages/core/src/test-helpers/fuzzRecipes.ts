import fc from 'fast-check';

// Recipes for hostile values: plain data that fast-check can generate, print and shrink. `build`
// turns a recipe into a live value (getters, toJSON, sparse arrays, BigInt…) afresh for every
// run; `model` is what JSON.stringify would see on the first read of each property — the value
// Fiat must either store exactly or refuse.

/** A value JSON cannot carry: a record holding one (where Fiat checks) must be refused. */
export class Unstorable {
  constructor(readonly why: string) {}
}

/** A BigInt, storable only in an int64 field. */
export class Big {
  constructor(readonly digits: string) {}
}

export type Recipe =
  | { readonly k: 'json'; readonly v: unknown }
  | { readonly k: 'str'; readonly units: readonly number[] }
  | { readonly k: 'huge'; readonly n: number }
  | { readonly k: 'arr'; readonly items: readonly Recipe[]; readonly holes: readonly number[] }
  | { readonly k: 'sparse'; readonly length: number }
  | { readonly k: 'obj'; readonly entries: readonly (readonly [string, Recipe])[] }
  | { readonly k: 'getter'; readonly first: Recipe; readonly later: Recipe }
  | { readonly k: 'toJSON'; readonly r: Recipe }
  | { readonly k: 'bigint'; readonly v: string }
  | { readonly k: 'num'; readonly v: 'NaN' | 'Infinity' | '-Infinity' }
  | { readonly k: 'date'; readonly ms: number }
  | { readonly k: 'deep'; readonly levels: number; readonly leaf: Recipe }
  | { readonly k: 'proxy'; readonly r: Recipe }
  | { readonly k: 'throws' }
  | { readonly k: 'cycle' }
  | { readonly k: 'special'; readonly v: 'map' | 'set' | 'fn' | 'sym' | 'undef' | 'toJSONundef' };

/** The live value of a recipe; getters only exist as object properties (elsewhere: their first value). */
export function build(recipe: Recipe): unknown {
  switch (recipe.k) {
    case 'json':
      return structuredClone(recipe.v);
    case 'str':
      return String.fromCharCode(...recipe.units);
    case 'huge':
      return 'x'.repeat(recipe.n);
    case 'arr': {
      const out = recipe.items.map(build);
      for (const hole of recipe.holes) if (hole < out.length) delete out[hole];
      return out;
    }
    case 'sparse': {
      const out: unknown[] = [];
      out.length = recipe.length;
      return out;
    }
    case 'obj': {
      const out: Record<string, unknown> = {};
      for (const [key, value] of recipe.entries) {
        if (value.k === 'getter') {
          let reads = 0;
          const first = build(value.first);
          const later = build(value.later);
          Object.defineProperty(out, key, { enumerable: true, configurable: true, get: () => (reads++ === 0 ? first : later) });
        } else Object.defineProperty(out, key, { enumerable: true, configurable: true, writable: true, value: build(value) });
      }
      return out;
    }
    case 'getter':
      return build(recipe.first);
    case 'toJSON': {
      const value = build(recipe.r);
      return { toJSON: () => value };
    }
    case 'bigint':
      return BigInt(recipe.v);
    case 'num':
      return Number(recipe.v);
    case 'date':
      return new Date(recipe.ms);
    case 'deep': {
      let value = build(recipe.leaf);
      for (let i = 0; i < recipe.levels; i++) value = i % 2 === 0 ? [value] : { d: value };
      return value;
    }
    case 'proxy': {
      const target = build(recipe.r);
      return typeof target === 'object' && target !== null ? new Proxy(target, {}) : target;
    }
    case 'throws':
      return {
        get boom(): never {
          throw new Error('getter failed');
        },
      };
    case 'cycle': {
      const out: Record<string, unknown> = { a: 1 };
      out.self = out;
      return out;
    }
    case 'special':
      switch (recipe.v) {
        case 'map':
          return new Map([['a', 1]]);
        case 'set':
          return new Set([1]);
        case 'fn':
          return () => 1;
        case 'sym':
          return Symbol('s');
        case 'undef':
          return undefined;
        case 'toJSONundef':
          return { toJSON: () => undefined };
      }
  }
}

/** What JSON.stringify sees on the first read: plain data, `undefined` (left out), or markers. */
export function model(recipe: Recipe): unknown {
  switch (recipe.k) {
    case 'json':
      return recipe.v;
    case 'str':
      return String.fromCharCode(...recipe.units);
    case 'huge':
      return 'x'.repeat(recipe.n);
    case 'arr':
      return recipe.items.map((item, i) => (recipe.holes.includes(i) ? undefined : model(item)));
    case 'sparse':
      return recipe.length > 10_000 ? new Unstorable('too large') : Array.from({ length: recipe.length }, () => undefined);
    case 'obj': {
      const out: Record<string, unknown> = {};
      for (const [key, value] of recipe.entries) Object.defineProperty(out, key, { enumerable: true, configurable: true, writable: true, value: model(value) });
      return out;
    }
    case 'getter':
      return model(recipe.first);
    case 'toJSON':
      // JSON.stringify calls toJSON once per value: what it returns is written as it is.
      return modelWithoutToJSON(recipe.r);
    case 'bigint':
      return new Big(BigInt(recipe.v).toString());
    case 'num':
      return new Unstorable(recipe.v);
    case 'date':
      return Number.isNaN(recipe.ms) || Math.abs(recipe.ms) > 8.64e15 ? new Unstorable('invalid Date') : new Date(recipe.ms).toISOString();
    case 'deep': {
      let value = model(recipe.leaf);
      for (let i = 0; i < recipe.levels; i++) value = i % 2 === 0 ? [value] : { d: value };
      return value;
    }
    case 'proxy':
      // Date.prototype.toJSON calls toISOString, which throws on a proxy: JSON.stringify cannot read it.
      return recipe.r.k === 'date' ? new Unstorable('proxied Date') : model(recipe.r);
    case 'throws':
      return new Unstorable('throws');
    case 'cycle':
      return new Unstorable('cycle');
    case 'special':
      return recipe.v === 'undef' || recipe.v === 'toJSONundef' ? undefined : new Unstorable(recipe.v);
  }
}

/** The model of a value whose own toJSON is not called (it was returned by a toJSON). */
function modelWithoutToJSON(recipe: Recipe): unknown {
  switch (recipe.k) {
    case 'toJSON':
      return {}; // an object whose one property, toJSON, is a function: left out
    case 'date':
      return {}; // a Date has no enumerable properties of its own
    case 'special':
      return recipe.v === 'toJSONundef' ? {} : model(recipe);
    case 'proxy':
      return modelWithoutToJSON(recipe.r);
    default:
      return model(recipe);
  }
}

const LONE_SURROGATES = [0xd800, 0xdbff, 0xdc00, 0xdfff, 0xd83d];
/** UTF-16 code units, biased to the ones that break readers: lone surrogates, NUL, controls, quotes. */
const unit = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 0x20, max: 0x7e }) },
  { weight: 1, arbitrary: fc.constantFrom(0, 0x0a, 0x22, 0x5c, 0x2028, 0xfeff, 0xffff) },
  { weight: 1, arbitrary: fc.constantFrom(...LONE_SURROGATES) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 0xffff }) },
);
/** Strings as recipes: mostly well-formed (emoji pairs included), sometimes with a lone surrogate. */
export const strRecipe: fc.Arbitrary<Recipe> = fc.oneof(
  { weight: 4, arbitrary: fc.string({ unit: 'grapheme', maxLength: 8 }).map((s) => ({ k: 'str' as const, units: [...s].flatMap((c) => [...c].map((_, i) => c.charCodeAt(i))) })) },
  { weight: 2, arbitrary: fc.array(unit, { maxLength: 8 }).map((units) => ({ k: 'str' as const, units })) },
);
const keyText = fc.oneof(
  { weight: 5, arbitrary: fc.constantFrom('a', 'b', 'x', 'y', 'k', '0', '1', '__proto__', 'constructor', 'toString', '') },
  { weight: 1, arbitrary: fc.array(unit, { maxLength: 4 }).map((units) => String.fromCharCode(...units)) },
);

/** Free-form values: JSON-ish, plus every hostile kind the issue lists. */
export const anyRecipe: fc.Arbitrary<Recipe> = fc.letrec<{ value: Recipe }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    { weight: 8, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((v) => ({ k: 'json' as const, v })) },
    { weight: 3, arbitrary: strRecipe },
    { weight: 2, arbitrary: fc.record({ items: fc.array(tie('value'), { maxLength: 4 }), holes: fc.array(fc.nat(4), { maxLength: 2 }) }).map((r) => ({ k: 'arr' as const, ...r })) },
    { weight: 2, arbitrary: fc.array(fc.tuple(keyText, tie('value')), { maxLength: 4 }).map((entries) => ({ k: 'obj' as const, entries })) },
    { weight: 1, arbitrary: fc.record({ first: tie('value'), later: tie('value') }).map((r) => ({ k: 'getter' as const, ...r })) },
    { weight: 1, arbitrary: tie('value').map((r) => ({ k: 'toJSON' as const, r })) },
    { weight: 1, arbitrary: fc.bigInt({ min: -(2n ** 64n), max: 2n ** 64n }).map((v) => ({ k: 'bigint' as const, v: v.toString() })) },
    { weight: 1, arbitrary: fc.constantFrom('NaN', 'Infinity', '-Infinity').map((v) => ({ k: 'num' as const, v: v as 'NaN' })) },
    { weight: 1, arbitrary: fc.oneof(fc.integer({ min: -8.64e15, max: 8.64e15 }), fc.constant(Number.NaN)).map((ms) => ({ k: 'date' as const, ms })) },
    {
      weight: 1,
      arbitrary: fc
        .record({
          levels: fc.oneof({ weight: 9, arbitrary: fc.integer({ min: 60, max: 70 }) }, { weight: 1, arbitrary: fc.constant(10_000) }),
          leaf: fc.constant<Recipe>({ k: 'json', v: 1 }),
        })
        .map((r) => ({ k: 'deep' as const, ...r })),
    },
    { weight: 1, arbitrary: fc.oneof(fc.nat(5), fc.constant(1e8)).map((length) => ({ k: 'sparse' as const, length })) },
    { weight: 1, arbitrary: tie('value').map((r) => ({ k: 'proxy' as const, r })) },
    { weight: 1, arbitrary: fc.constantFrom<Recipe>({ k: 'throws' }, { k: 'cycle' }) },
    { weight: 1, arbitrary: fc.constantFrom('map', 'set', 'fn', 'sym', 'undef', 'toJSONundef').map((v) => ({ k: 'special' as const, v: v as 'map' })) },
  ),
})).value;
