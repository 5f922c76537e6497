import { FiatError } from '../errors.js';
import type { RedactSpec } from './actions.js';
import { strongerAction } from './actions.js';

/** One step of a path: a key, `*` (any key or item), `[*]` / `[n]` (array items), or `**` (any depth). */
export type PathSegment =
  | { readonly kind: 'key'; readonly name: string; readonly loose: boolean }
  | { readonly kind: 'any' }
  | { readonly kind: 'item'; readonly index?: number }
  | { readonly kind: 'deep' };

/** A parsed path and what to do with the value it reaches. */
export interface PathPattern {
  readonly segments: readonly PathSegment[];
  readonly spec: RedactSpec;
  /**
   * True for a field's own declared action reached through a struct (applied when the record is
   * written, after validation); false for a path rule (applied as the value is read).
   */
  readonly declared: boolean;
}

/** What a path reached: the action that reveals least among the patterns ending there. */
export interface PathMatch {
  readonly spec: RedactSpec;
  readonly declared: boolean;
}

/** The longest path accepted, in characters. */
const MAX_PATH_CHARS = 1024;
/** The most segments in one path. */
const MAX_SEGMENTS = 32;

/** A key as the default secret keys compare it: lowercase, without `_` and `-`. */
export function looseKey(key: string): string {
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    if ((c >= 65 && c <= 90) || c === 95 || c === 45) return key.toLowerCase().replace(/[_-]/g, '');
  }
  return key;
}

/**
 * Parses a pino-style path: keys joined by `.`, `*` for any one key or item, `**` for any depth
 * (zero or more levels), `[*]` for any array item, `[0]` for one, `["a.b"]` for a key holding
 * dots or brackets. Keys compare case-insensitively. Throws `code` naming `where` when malformed.
 *
 * @example
 * ```ts
 * parsePath('cards[*].number', 'redact.paths[0]');
 * // [{ kind: 'key', name: 'cards', loose: false }, { kind: 'item' }, { kind: 'key', name: 'number', loose: false }]
 * ```
 */
export function parsePath(path: unknown, where: string, code: 'INVALID_DEFINITION' | 'CONFIG_INVALID' = 'INVALID_DEFINITION'): PathSegment[] {
  const fail = (why: string): never => {
    throw new FiatError(code, `${where}: path ${typeof path === 'string' ? JSON.stringify(path.slice(0, 80)) : String(path)} ${why}`);
  };
  if (typeof path !== 'string' || path === '') return fail('must be a non-empty string');
  if (path.length > MAX_PATH_CHARS) fail(`is longer than ${MAX_PATH_CHARS} characters`);
  const segments: PathSegment[] = [];
  let i = 0;
  let expectKey = true;
  while (i < path.length) {
    const c = path[i];
    if (c === '[') {
      const close = path.indexOf(']', i);
      if (close < 0) fail(`has an unclosed [ at ${i}`);
      const inner = path.slice(i + 1, close);
      if (inner === '*') segments.push({ kind: 'item' });
      else if (/^(?:0|[1-9][0-9]{0,8})$/.test(inner)) segments.push({ kind: 'item', index: Number(inner) });
      else if (/^"[^"]*"$|^'[^']*'$/.test(inner)) segments.push({ kind: 'key', name: inner.slice(1, -1).toLowerCase(), loose: false });
      else fail(`has [${inner}]: brackets hold *, an index or a quoted key`);
      i = close + 1;
      expectKey = false;
      continue;
    }
    if (c === '.') {
      if (expectKey) fail(`has an empty segment at ${i}`);
      i += 1;
      expectKey = true;
      if (i === path.length) fail('ends with a dot');
      continue;
    }
    if (!expectKey) fail(`needs a dot before ${JSON.stringify(path.slice(i, i + 10))}`);
    let end = i;
    while (end < path.length && path[end] !== '.' && path[end] !== '[') end += 1;
    const name = path.slice(i, end);
    if (name === '*') segments.push({ kind: 'any' });
    else if (name === '**') segments.push({ kind: 'deep' });
    else if (name.includes('*') || name.includes(']')) fail(`has segment ${JSON.stringify(name)}: * and ** stand alone between dots`);
    else segments.push({ kind: 'key', name: name.toLowerCase(), loose: false });
    i = end;
    expectKey = false;
  }
  if (segments.length > MAX_SEGMENTS) fail(`has more than ${MAX_SEGMENTS} segments`);
  if (segments.every((s) => s.kind === 'deep')) fail('must name something below the field (a lone ** would be the whole field: declare the field itself instead)');
  return segments;
}

/** Positions are `pattern * 64 + segment index`. */
const STRIDE = 64;
/** States interned per matcher; past this, states are made without interning (still correct). */
const MAX_STATES = 4096;
/** Keys remembered per state. */
const MAX_MEMO = 256;

/**
 * The patterns of one field, compiled into states that are stepped key by key. States are
 * interned and their transitions remembered, so walking a value costs a map lookup per key.
 */
export class PathMatcher {
  readonly patterns: readonly PathPattern[];
  readonly #states = new Map<string, PathState>();

  constructor(patterns: readonly PathPattern[]) {
    this.patterns = patterns;
  }

  /** The state at the field's value itself (no key stepped yet), or `undefined` for no patterns. */
  root(): PathState | undefined {
    return this.state(this.patterns.map((_, p) => p * STRIDE));
  }

  /** The interned state of a set of positions (closed over `**`), or `undefined` when nothing can match below. */
  state(start: readonly number[]): PathState | undefined {
    const positions = new Set<number>();
    const pending = [...start];
    let match: PathMatch | undefined;
    while (pending.length > 0) {
      const position = pending.pop() as number;
      if (positions.has(position)) continue;
      const pattern = this.patterns[Math.floor(position / STRIDE)] as PathPattern;
      const index = position % STRIDE;
      if (index === pattern.segments.length) {
        match = { spec: strongerAction(match?.spec, pattern.spec), declared: (match?.declared ?? true) && pattern.declared };
        continue;
      }
      positions.add(position);
      if (pattern.segments[index]?.kind === 'deep') pending.push(position + 1);
    }
    if (positions.size === 0 && match === undefined) return undefined;
    const sorted = [...positions].sort((a, b) => a - b);
    const id = `${sorted.join(',')}|${match === undefined ? '' : JSON.stringify(match)}`;
    const known = this.#states.get(id);
    if (known !== undefined) return known;
    const state = new PathState(this, sorted, match);
    if (this.#states.size < MAX_STATES) this.#states.set(id, state);
    return state;
  }
}

/** Where a walk is in a field's patterns: what matched here, and how to step to a child. */
export class PathState {
  /** The action of the patterns that end at this value, if any. */
  readonly match: PathMatch | undefined;
  readonly #matcher: PathMatcher;
  readonly #positions: readonly number[];
  /** Next positions whatever the key (from `*` and `**`). */
  readonly #always: number[] = [];
  /** Next positions whatever the index (from `*`, `**`, `[*]`). */
  readonly #anyIndex: number[] = [];
  /** Key segments by lowercase name, and by loose name. */
  readonly #exact = new Map<string, number[]>();
  readonly #loose = new Map<string, number[]>();
  /** Literal index segments by index. */
  readonly #indexes = new Map<number, number[]>();
  #looseMin = Number.POSITIVE_INFINITY;
  #exactMin = Number.POSITIVE_INFINITY;
  #exactMax = 0;
  #miss: PathState | undefined | null = null;
  #index: PathState | undefined | null = null;
  readonly #memo = new Map<string, PathState | undefined>();

  /** Use {@link PathMatcher.root}. */
  constructor(matcher: PathMatcher, positions: readonly number[], match: PathMatch | undefined) {
    this.#matcher = matcher;
    this.#positions = positions;
    this.match = match;
    for (const position of positions) {
      const segment = (matcher.patterns[Math.floor(position / STRIDE)] as PathPattern).segments[position % STRIDE] as PathSegment;
      switch (segment.kind) {
        case 'deep':
          this.#always.push(position);
          this.#anyIndex.push(position);
          break;
        case 'any':
          this.#always.push(position + 1);
          this.#anyIndex.push(position + 1);
          break;
        case 'item':
          if (segment.index === undefined) this.#anyIndex.push(position + 1);
          else push(this.#indexes, segment.index, position + 1);
          break;
        default:
          if (segment.loose) {
            push(this.#loose, segment.name, position + 1);
            this.#looseMin = Math.min(this.#looseMin, segment.name.length);
          } else {
            push(this.#exact, segment.name, position + 1);
            this.#exactMin = Math.min(this.#exactMin, segment.name.length);
            this.#exactMax = Math.max(this.#exactMax, segment.name.length);
            // `a.0` reaches item 0 too, as in pino.
            if (/^(?:0|[1-9][0-9]{0,8})$/.test(segment.name)) push(this.#indexes, Number(segment.name), position + 1);
          }
      }
    }
  }

  /** True when stepping can still reach a pattern's end (false for a state that only matched). */
  get live(): boolean {
    return this.#positions.length > 0;
  }

  /**
   * The state of the child under `key` (an object key, or an array index as a number), or
   * `undefined` when no pattern can match there or below.
   */
  step(key: string | number): PathState | undefined {
    if (typeof key === 'number') {
      const literal = this.#indexes.get(key);
      if (literal === undefined) {
        if (this.#index === null) this.#index = this.#matcher.state(this.#anyIndex);
        return this.#index;
      }
      return this.#matcher.state([...this.#anyIndex, ...literal]);
    }
    let exact: number[] | undefined;
    if (key.length >= this.#exactMin && key.length <= this.#exactMax) exact = this.#exact.get(key.toLowerCase());
    let loose: number[] | undefined;
    if (key.length >= this.#looseMin) {
      const normal = looseKey(key);
      loose = this.#loose.get(normal) ?? (normal.length > this.#looseMin ? this.#looseSuffix(normal) : undefined);
    }
    if (exact === undefined && loose === undefined) {
      if (this.#miss === null) this.#miss = this.#matcher.state(this.#always);
      return this.#miss;
    }
    const known = this.#memo.get(key);
    if (known !== undefined || this.#memo.has(key)) return known;
    const next = this.#matcher.state([...this.#always, ...(exact ?? []), ...(loose ?? [])]);
    if (this.#memo.size < MAX_MEMO) this.#memo.set(key, next);
    return next;
  }

  /** Loose segments a normalised key ends with (`accesstoken` ends with `token`), or undefined. */
  #looseSuffix(normal: string): number[] | undefined {
    let found: number[] | undefined;
    for (const [name, positions] of this.#loose) {
      if (normal.endsWith(name)) found = found === undefined ? positions : [...found, ...positions];
    }
    return found;
  }
}

function push<K>(map: Map<K, number[]>, key: K, position: number): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [position]);
  else list.push(position);
}
