import { FiatError, type FiatIssue } from './errors.js';
import type { FieldPlan, ValuePlan } from './columnPlan.js';
import { MAX_JSON_DEPTH, MAX_RECORD_BYTES } from './limits.js';
import { toWellFormed } from './unicode.js';
import type { RedactSpec } from './redact/actions.js';
import { needsValue } from './redact/apply.js';
import type { Scrubber } from './redact/detectors.js';
import type { PathState } from './redact/paths.js';
import type { Redaction } from './redact/Redaction.js';

/** The most issues one walk reports. */
const MAX_ISSUES = 20;

const NOT_WELL_FORMED = 'contains a lone UTF-16 surrogate (not well-formed Unicode), which the lake cannot read back';
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** Thrown inside a walk when the output would pass the byte budget; turned into `RECORD_TOO_LARGE`. */
class OverBudget {
  constructor(readonly at: string) {}
}

const structFields = new WeakMap<ValuePlan, ReadonlyMap<string, ValuePlan>>();

/** The plan of a struct's field, a map's value or an array's item, or `undefined` for free-form values. */
function childPlan(plan: ValuePlan | undefined, key: string): ValuePlan | undefined {
  if (plan === undefined) return undefined;
  if (plan.kind === 'map') return plan.values;
  if (plan.kind === 'array') return plan.items;
  if (plan.kind !== 'struct') return undefined;
  let fields = structFields.get(plan);
  if (fields === undefined) {
    fields = new Map(plan.fields.map((f: FieldPlan) => [f.name, f.plan]));
    structFields.set(plan, fields);
  }
  return fields.get(key);
}

function describeThrown(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : typeof error;
  return toWellFormed(text.length > 200 ? `${text.slice(0, 200)}…` : text);
}

/**
 * A lower bound of the bytes a string takes once stored (quotes aside): its UTF-16 length (UTF-8
 * never takes fewer bytes, escaping only adds), less 12 for strings short enough to be an ISO
 * timestamp, which may be stored shorter (`2026-01-01T10:00:00.123456789+05:30`, 35 characters,
 * becomes the 23 of `2026-01-01 04:30:00.123`).
 */
function stringBytes(text: string): number {
  const length = text.length;
  return length > 35 ? length : length > 12 ? length - 12 : 0;
}

/** Sets an own data property: `__proto__` stays data (JSON.parse makes such keys), never a prototype. */
function setOwn(out: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  else out[key] = value;
}

/**
 * One walk over a value: the byte budget left, the issues found, and the keys and objects of the
 * current path (`keys[d]` is the key of the value at depth `d`; a field's value is at depth 1).
 * Walkers are reused (see {@link withWalker}) so that a record costs no allocation but its copy.
 *
 * With a redaction, the walk also redacts as it reads (one pass): a value a path rule reaches is
 * replaced before it is read (or, for `hash` and `mask` with length, read once into its text), the
 * field's detectors rewrite strings and keys, and keys below a redacted value are left out of paths.
 */
class Walker {
  budget = 0;
  issues: FiatIssue[] = [];
  base = '';
  planned = false;
  redaction: Redaction | undefined = undefined;
  /** The detectors of the field being read. */
  scrub: Scrubber | undefined = undefined;
  /** Paths show no key deeper than this (the value there is redacted); 0: all keys. */
  opaqueAt = 0;
  readonly keys: (string | number | undefined)[] = [];
  readonly ancestors: (object | undefined)[] = [];

  pathOf(depth: number): string {
    let path = this.base;
    for (let i = 1; i <= depth; i++) {
      if (this.opaqueAt > 0 && i > this.opaqueAt) {
        path = `${path}.[redacted]`;
        break;
      }
      const key = this.keys[i];
      if (key === undefined) continue;
      const text = typeof key === 'number' ? String(key) : key;
      const shown = toWellFormed(text.length > 60 ? `${text.slice(0, 60)}…` : text);
      path = path === '' ? shown : `${path}.${shown}`;
    }
    return path;
  }

  report(depth: number, message: string): null {
    if (this.issues.length < MAX_ISSUES) this.issues.push({ path: this.pathOf(depth), message });
    return null;
  }

  spend(bytes: number, depth: number): void {
    if ((this.budget -= bytes) < 0) throw new OverBudget(this.pathOf(depth));
  }

  /**
   * The snapshot of one value as `JSON.stringify` would see it, or `undefined` where it would leave
   * the value out. A value that is reported becomes `null`, so that the schema still sees the
   * field (and says when it is not one).
   */
  value(value: unknown, depth: number, plan: ValuePlan | undefined, state?: PathState): unknown {
    switch (typeof value) {
      case 'string':
        if (this.scrub !== undefined) value = this.scrub(value);
        this.spend(stringBytes(value as string) + 2, depth);
        return (value as string).isWellFormed() ? value : this.report(depth, NOT_WELL_FORMED);
      case 'number':
        this.spend(1, depth);
        return Number.isFinite(value) ? value : this.report(depth, `is ${String(value)}, which JSON cannot carry`);
      case 'boolean':
        this.spend(4, depth);
        return value;
      case 'undefined':
        return undefined;
      case 'bigint':
        return this.bigint(value, depth, plan);
      case 'function':
        return this.report(depth, 'is a function, which JSON cannot carry');
      case 'symbol':
        return this.report(depth, 'is a symbol, which JSON cannot carry');
      default:
        if (value === null) {
          this.spend(4, depth);
          return null;
        }
        try {
          return this.object(value as object, depth, plan, state);
        } catch (error) {
          // A getter, proxy trap or toJSON of the caller's threw: this value cannot be read.
          if (error instanceof OverBudget) throw error;
          this.ancestors[depth] = undefined;
          return this.report(depth, `could not be read: ${describeThrown(error)}`);
        }
    }
  }

  bigint(value: bigint, depth: number, plan: ValuePlan | undefined): unknown {
    if (plan?.kind !== 'int64') {
      return this.report(depth, 'is a BigInt, which JSON cannot carry (convert it to a string or number, or declare the field z.int64())');
    }
    if (value < INT64_MIN || value > INT64_MAX) return this.report(depth, 'is outside the int64 range -2^63 … 2^63-1');
    const digits = value.toString();
    this.spend(digits.length, depth);
    return digits;
  }

  /** An object or array: `toJSON` applied once, as `JSON.stringify` does, then its contents. */
  object(value: object, depth: number, plan: ValuePlan | undefined, state: PathState | undefined): unknown {
    const toJSON = (value as { toJSON?: unknown }).toJSON;
    if (typeof toJSON === 'function') {
      if (value instanceof Date && Number.isNaN(value.getTime())) return this.report(depth, 'is an invalid Date');
      const replaced: unknown = toJSON.call(value, String(this.keys[depth] ?? ''));
      if (typeof replaced !== 'object' || replaced === null) return this.value(replaced, depth, plan, state);
      value = replaced;
    }
    const isArray = Array.isArray(value);
    if (!isArray) {
      const proto: unknown = Object.getPrototypeOf(value);
      if (proto !== Object.prototype && proto !== null) {
        const exotic = this.exotic(value, depth, plan, state);
        if (exotic !== value) return exotic;
      }
    }
    if (depth > MAX_JSON_DEPTH) return this.report(depth, `nests deeper than ${MAX_JSON_DEPTH} levels of arrays and objects`);
    const ancestors = this.ancestors;
    for (let i = 0; i < depth; i++) if (ancestors[i] === value) return this.report(depth, 'contains a cycle, which JSON cannot carry');
    ancestors[depth] = value;
    const out = isArray ? this.array(value as readonly unknown[], depth, plan, state) : this.properties(value, depth, plan, state);
    ancestors[depth] = undefined;
    return out;
  }

  /** Boxed primitives unwrapped, Map and Set refused, typed arrays charged: else `value` itself. */
  exotic(value: object, depth: number, plan: ValuePlan | undefined, state: PathState | undefined): unknown {
    if (value instanceof Number) return this.value(Number(value), depth, plan, state);
    if (value instanceof String) return this.value(String(value), depth, plan, state);
    if (value instanceof Boolean) return value.valueOf();
    if (value instanceof Map) return this.report(depth, 'is a Map (use Object.fromEntries), which JSON cannot carry');
    if (value instanceof Set) return this.report(depth, 'is a Set (use an array), which JSON cannot carry');
    // Typed arrays are written as objects with a key per element: refuse a huge one before copying it.
    if (ArrayBuffer.isView(value)) this.spend(6 * ((value as { length?: number }).length ?? 0), depth);
    return value;
  }

  array(value: readonly unknown[], depth: number, plan: ValuePlan | undefined, state: PathState | undefined): unknown[] {
    const length = value.length;
    // Brackets and commas first (each element then pays for itself): a huge, even sparse, array is refused at once.
    this.spend(length + 1, depth);
    const items = childPlan(plan, '');
    const out: unknown[] = [];
    const keys = this.keys;
    for (let i = 0; i < length; i++) {
      keys[depth + 1] = i;
      const child = state?.step(i);
      if (child?.match !== undefined && !child.match.declared) {
        // A dropped item becomes null, so the items after it keep their indexes.
        const replaced = this.redacted(needsValue(child.match.spec) ? value[i] : undefined, depth + 1, child.match.spec);
        this.spend(replaced === undefined ? 4 : stringBytes(replaced) + 2, depth + 1);
        out.push(replaced ?? null);
        continue;
      }
      const stored = child === undefined ? this.value(value[i], depth + 1, items) : this.within(value[i], depth + 1, items, child);
      if (stored === undefined) this.spend(4, depth + 1); // a hole, undefined or a function is written as null
      out.push(stored === undefined ? null : stored);
    }
    return out;
  }

  properties(value: object, depth: number, plan: ValuePlan | undefined, state: PathState | undefined): Record<string, unknown> {
    // One read of each own enumerable property, into a fresh object (as data: a `__proto__` key stays a key).
    const out: Record<string, unknown> = { ...value };
    const keys = this.keys;
    const redaction = depth === 0 ? this.redaction : undefined;
    let renamed: string[] | undefined;
    // for-in over a fresh plain object: V8 reads `out[key]` from its enum cache, no lookup by name.
    for (const key in out) {
      const item = out[key];
      if (item === undefined) {
        delete out[key]; // JSON.stringify leaves it out, so the schema must not see it either
        continue;
      }
      let child: PathState | undefined;
      let shown = key;
      if (redaction !== undefined) {
        // A field of the record: its rules, detectors and whole-value action.
        const field = redaction.field(key);
        this.scrub = field?.scrub;
        this.opaqueAt = field?.whole === undefined ? 0 : 1;
        child = field?.root;
      } else if (state !== undefined) {
        child = state.step(key);
        if (this.scrub !== undefined) shown = this.scrub(key);
        if (shown !== key) (renamed ??= []).push(key, shown);
        if (child?.match !== undefined && !child.match.declared) {
          keys[depth + 1] = shown;
          this.replaceMember(out, key, item, depth + 1, child.match.spec);
          continue;
        }
      } else if (this.scrub !== undefined) {
        shown = this.scrub(key);
        if (shown !== key) (renamed ??= []).push(key, shown);
      }
      keys[depth + 1] = shown;
      if (typeof item === 'string') {
        const text = this.scrub === undefined ? item : this.scrub(item);
        if (text !== item) setOwn(out, key, text);
        this.spend(shown.length + stringBytes(text) + 6, depth + 1);
        if (!text.isWellFormed()) setOwn(out, key, this.report(depth + 1, NOT_WELL_FORMED));
      } else {
        if (!Object.hasOwn(out, key)) continue; // enumerable on Object.prototype: JSON.stringify ignores it
        if (key === 'toJSON' && typeof item === 'function') {
          // An object's own toJSON hook has been applied already; JSON.stringify leaves functions out.
          delete out[key];
          continue;
        }
        this.spend(shown.length + 4, depth + 1);
        const itemPlan = this.planned ? childPlan(plan, key) : undefined;
        const stored = child === undefined ? this.value(item, depth + 1, itemPlan) : this.within(item, depth + 1, itemPlan, child);
        if (stored === undefined) {
          delete out[key]; // a toJSON that gave undefined: left out, as JSON.stringify does
          this.budget += shown.length + 4;
          continue;
        }
        if (stored !== item) setOwn(out, key, stored);
      }
      // Checked once the value is known to be written: a key whose value is left out is not stored.
      if (!shown.isWellFormed()) this.report(depth + 1, `is a key that ${NOT_WELL_FORMED}`);
    }
    if (redaction !== undefined) {
      this.scrub = undefined;
      this.opaqueAt = 0;
    }
    if (renamed !== undefined) renameKeys(out, renamed);
    return out;
  }

  /** Reads a value inside a redacted field: below a declared action, its keys are left out of paths. */
  within(value: unknown, depth: number, plan: ValuePlan | undefined, state: PathState): unknown {
    if (state.match === undefined || this.opaqueAt > 0) return this.value(value, depth, plan, state.live ? state : undefined);
    this.opaqueAt = depth;
    try {
      return this.value(value, depth, plan, state.live ? state : undefined);
    } finally {
      this.opaqueAt = 0;
    }
  }

  /** Replaces member `key` of `out`, which a path rule reached, by what `spec` stores (or removes it). */
  replaceMember(out: Record<string, unknown>, key: string, item: unknown, depth: number, spec: RedactSpec): void {
    const replaced = this.redacted(item, depth, spec);
    if (replaced === undefined) {
      delete out[key];
      return;
    }
    this.spend(String(this.keys[depth]).length + stringBytes(replaced) + 6, depth);
    setOwn(out, key, replaced);
  }

  /**
   * What a path rule stores for `value`: nothing (`drop`), the mask marker without reading it, or,
   * for `hash`, `mask` with length and `truncate`, the text of the value (a string, or the JSON of
   * what it holds, read once and checked as any value, its keys left out of paths) redacted.
   */
  redacted(value: unknown, depth: number, spec: RedactSpec): string | undefined {
    if (spec.action === 'drop') return undefined;
    const redaction = this.redaction as Redaction;
    if (!needsValue(spec)) return redaction.redactText(spec, '');
    if (typeof value === 'string') return redaction.redactText(spec, value);
    const budget = this.budget;
    const opaqueAt = this.opaqueAt;
    const scrub = this.scrub;
    this.opaqueAt = depth;
    this.scrub = undefined;
    let plain: unknown;
    try {
      plain = this.value(value, depth, undefined);
    } finally {
      this.opaqueAt = opaqueAt;
      this.scrub = scrub;
    }
    // The value's own bytes are not stored: only what replaces it is charged.
    this.budget = budget;
    return redaction.redactText(spec, JSON.stringify(plain) ?? 'null');
  }
}

/** Renames keys a detector rewrote (`[old, new, old, new, …]`), once the walk of the object is done. */
function renameKeys(out: Record<string, unknown>, renamed: readonly string[]): void {
  for (let i = 0; i < renamed.length; i += 2) {
    const from = renamed[i] as string;
    if (!Object.hasOwn(out, from)) continue;
    const value = out[from];
    delete out[from];
    setOwn(out, renamed[i + 1] as string, value);
  }
}

let idle: Walker | undefined;
const NO_ISSUES: FiatIssue[] = [];

/** What one walk is given: where its issues go, its path, its budget and what to call it when too large. */
interface WalkSetup {
  readonly issues: FiatIssue[];
  readonly base: string;
  /** Bytes of JSON (a lower bound of what is written) the walk may read before it stops. */
  readonly budget: number;
  /** The limit named in the `RECORD_TOO_LARGE` message. */
  readonly maxBytes: number;
  readonly plan: ValuePlan | undefined;
  readonly label: string;
  /** The redaction applied while reading a record's fields. Default: none. */
  readonly redaction?: Redaction | undefined;
}

/**
 * Reads `value` at `depth` (0: a record, whose fields are at 1) with a walker set up for one walk
 * (no closure per walk), and turns an exhausted budget into
 * `RECORD_TOO_LARGE` and a throwing getter, proxy trap or `toJSON` into an issue. Walkers are
 * reused; a walk started from inside another (a `toJSON` that logs) gets its own.
 */
function withWalker(setup: WalkSetup, value: unknown, depth: number): unknown {
  const walker = idle ?? new Walker();
  idle = undefined;
  walker.budget = setup.budget;
  walker.issues = setup.issues;
  walker.base = setup.base;
  walker.planned = setup.plan !== undefined;
  walker.redaction = setup.redaction?.active === true ? setup.redaction : undefined;
  walker.scrub = undefined;
  walker.opaqueAt = 0;
  walker.keys[0] = undefined;
  walker.keys[1] = undefined;
  try {
    return walker.value(value, depth, setup.plan);
  } catch (error) {
    walker.ancestors.fill(undefined);
    if (error instanceof OverBudget) throw tooLarge(setup.label, setup.maxBytes, error.at);
    walker.report(0, `could not be read: ${describeThrown(error)}`);
    return null;
  } finally {
    // The keys of the last walk stay until overwritten; the objects it went through were let go.
    walker.issues = NO_ISSUES;
    walker.redaction = undefined;
    walker.scrub = undefined;
    walker.opaqueAt = 0;
    idle = walker;
  }
}

/** What {@link snapshotJson} returns: the plain value, and what is wrong with it. */
export interface JsonSnapshot {
  /** Plain JSON data (objects, arrays, strings, finite numbers, booleans, null), or `undefined`. */
  readonly value: unknown;
  /** Problems found, each with its path; empty when the value can be stored. */
  readonly issues: readonly FiatIssue[];
}

/** Options of {@link snapshotJson}. */
export interface SnapshotOptions {
  /** Path of the value, for issues. Default: `''`. */
  readonly path?: string;
  /** Bytes of JSON the value may take before the walk stops with `RECORD_TOO_LARGE`. Default: 1,024,000. */
  readonly maxBytes?: number;
  /** Label of the thing being read, for the `RECORD_TOO_LARGE` message. Default: `'value'`. */
  readonly label?: string;
  /** The plan of the value: `int64` positions turn BigInts into decimal strings. Default: none (free-form). */
  readonly plan?: ValuePlan;
}

/**
 * Reads `value` exactly once, as `JSON.stringify` would (`toJSON` applied, `undefined` and holes
 * dropped or `null`), into plain data that can no longer change, checking on the way what JSON
 * cannot carry or the lake cannot read back: BigInt, NaN, Infinity, functions, symbols, Map, Set,
 * invalid Dates, cycles, lone UTF-16 surrogates in strings and keys, nesting deeper than
 * {@link MAX_JSON_DEPTH}, getters or proxies that throw. The work is bounded by `maxBytes`: once the
 * JSON would be longer, it throws `RECORD_TOO_LARGE` without reading further (a sparse array of
 * length 1e8 is refused at once).
 *
 * @example
 * ```ts
 * snapshotJson({ at: new Date(0), n: 1n }, { path: 'meta' });
 * // { value: { at: '1970-01-01T00:00:00.000Z' }, issues: [{ path: 'meta.n', message: 'is a BigInt, …' }] }
 * ```
 */
export function snapshotJson(value: unknown, options: SnapshotOptions = {}): JsonSnapshot {
  const issues: FiatIssue[] = [];
  const maxBytes = options.maxBytes ?? MAX_RECORD_BYTES;
  const setup = { issues, base: options.path ?? '', budget: maxBytes, maxBytes, plan: options.plan, label: options.label ?? 'value' };
  const snapshot = withWalker(setup, value, 1);
  return { value: issues.length > 0 ? undefined : snapshot, issues };
}

function tooLarge(label: string, maxBytes: number, at: string): FiatError {
  return new FiatError(
    'RECORD_TOO_LARGE',
    `${label} is over ${maxBytes.toLocaleString('en-US')} bytes serialized (the 1,000 KiB Firehose record limit); reading stopped at ${at === '' ? 'its top level' : at}`,
  );
}

/**
 * Reads a record's fields once into a plain object (see {@link snapshotJson}): the record's own
 * `toJSON` is applied, each property is read once, and every field value is checked and copied.
 * Problems are pushed onto `issues`; a record whose JSON would pass `maxBytes` throws
 * `RECORD_TOO_LARGE` naming `label` as soon as that is certain (the exact size is checked on the
 * written line). With a `redaction`, path rules and detectors are applied in the same pass (the
 * actions declared on whole fields are applied after validation, see `Redaction.applyDeclared`).
 *
 * @example
 * ```ts
 * const issues: FiatIssue[] = [];
 * snapshotRecord({ task: 'x', args: { toJSON: () => undefined } }, undefined, issues, 'Audit record'); // { task: 'x' }
 * ```
 */
export function snapshotRecord(
  record: unknown,
  plan: ValuePlan | undefined,
  issues: FiatIssue[],
  label: string,
  maxBytes = MAX_RECORD_BYTES,
  redaction?: Redaction,
): unknown {
  // The walk counts a lower bound of the stored JSON: past the limit, the record cannot fit. The
  // line itself is measured exactly once written.
  const setup = { issues, base: '', budget: maxBytes, maxBytes, plan, label, redaction };
  // The record itself is level 0: its fields' values are at level 1.
  return withWalker(setup, record, 0);
}

/** True when a value of this plan, or inside it, is an int64 (and so needs the planned walk). */
export function planHasInt64(plan: ValuePlan): boolean {
  switch (plan.kind) {
    case 'int64':
      return true;
    case 'array':
      return planHasInt64(plan.items);
    case 'map':
      return planHasInt64(plan.values);
    case 'struct':
      return plan.fields.some((f) => planHasInt64(f.plan));
    default:
      return false;
  }
}
