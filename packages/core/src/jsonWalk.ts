import { shortenText, toWellFormed } from './unicode.js';

/** Receives the JSON text in pieces, with each piece's UTF-8 byte length. */
export type JsonSink = (chunk: string, bytes: number) => void;

/** Options of {@link walkJson}. */
export interface JsonWalkOptions {
  /** The walk stops before the text would exceed this many UTF-8 bytes. Required. */
  readonly maxBytes: number;
  /** Containers nested deeper than this are written as a description. Default: no limit. */
  readonly maxDepth?: number;
  /**
   * Write strings and keys with lone surrogates as well-formed text (U+FFFD), flagged `described`,
   * instead of `JSON.stringify`'s `\udXXX` escapes, which DuckDB refuses. Default: `false`.
   */
  readonly wellFormed?: boolean;
  /** Redaction applied as the value is written (dead letters, omitted markers). Default: none. */
  readonly redactor?: JsonRedactor;
}

/**
 * Redaction applied by {@link walkJson} as it writes: per member, before the member is read, it
 * decides whether the member is written as it is (with a context for what is inside it), replaced by
 * a string, or left out; and it rewrites strings and keys (detectors).
 */
export interface JsonRedactor {
  /** The context of the value the walk starts at. */
  readonly root: unknown;
  /**
   * What is written for member `key` (an object key, or an array index) of a container whose context
   * is `context`: `{ context }` writes it as it is, `{ replace }` writes that string instead (`read`
   * gives the member's value, if the replacement needs it), `undefined` leaves it out (`null` in an array).
   */
  member(context: unknown, key: string | number, read: () => unknown): { readonly context: unknown } | { readonly replace: string } | undefined;
  /** The text written for a string or a key met in a container whose context is `context`. */
  text(context: unknown, text: string): string;
}

/** What {@link walkJson} found. */
export interface JsonWalkResult {
  /** UTF-8 bytes handed to the sink. */
  readonly bytes: number;
  /** False when the walk stopped at `maxBytes`: the text is longer than `bytes`. */
  readonly complete: boolean;
  /** The deepest container nesting met (0 for a scalar, 1 for `{}` or `[]`). */
  readonly depth: number;
  /** True when something JSON cannot carry as Fiat stores it was written as a description instead. */
  readonly described: boolean;
}

/** Strings longer than this are escaped in pieces, so that a huge string costs no more than the budget. */
const PIECE_CHARS = 64 * 1024;
/** Small pieces are handed to the sink in batches of about this many characters. */
const BATCH_CHARS = 16 * 1024;
/** Descriptions of thrown errors are cut to this many characters. */
const DESCRIPTION_CHARS = 200;

interface ArrayFrame {
  readonly kind: 'array';
  readonly context: unknown;
  readonly source: object;
  readonly value: object;
  readonly length: number;
  index: number;
}

interface ObjectFrame {
  readonly kind: 'object';
  readonly context: unknown;
  readonly source: object;
  readonly value: object;
  readonly keys: readonly string[];
  index: number;
  wrote: boolean;
}

/** Every Description made; `instanceof` is not used because it runs the traps of (revoked) proxies. */
const descriptions = new WeakSet<object>();

/** A value replaced by a description (written as a JSON string). */
class Description {
  constructor(readonly text: string) {
    descriptions.add(this);
  }
}

function isDescription(value: unknown): value is Description {
  return typeof value === 'object' && value !== null && descriptions.has(value);
}

/**
 * What a thrown value says about itself (`Name: message`, at most 200 characters), never throwing.
 *
 * @example
 * ```ts
 * describeThrown(new TypeError('no')); // 'TypeError: no'
 * ```
 */
export function describeThrown(error: unknown): string {
  try {
    if (error instanceof Error) return shortenText(`${String(error.name)}: ${String(error.message)}`, DESCRIPTION_CHARS);
    return shortenText(String(error), DESCRIPTION_CHARS);
  } catch {
    return 'an error that cannot be described';
  }
}

function read(holder: object, key: string | number): unknown {
  try {
    return (holder as Record<string | number, unknown>)[key];
  } catch (error) {
    return new Description(`[getter threw: ${describeThrown(error)}]`);
  }
}

/** Applies `toJSON(key)` and unboxes Number/String/Boolean objects, as `JSON.stringify` does. */
function resolve(key: string | number, value: unknown): unknown {
  if ((typeof value !== 'object' || value === null) && typeof value !== 'bigint') return value;
  let toJSON: unknown;
  try {
    if (isDescription(value)) return value;
    toJSON = (value as { toJSON?: unknown }).toJSON;
  } catch (error) {
    return new Description(`[unreadable object: ${describeThrown(error)}]`);
  }
  try {
    if (typeof toJSON === 'function') value = toJSON.call(value, String(key));
  } catch (error) {
    return new Description(`[toJSON threw: ${describeThrown(error)}]`);
  }
  if (typeof value !== 'object' || value === null) return value;
  try {
    const proto: unknown = Object.getPrototypeOf(value);
    if (proto === Object.prototype || proto === Array.prototype || proto === null) return value;
    if (value instanceof Number) return Number(value);
    if (value instanceof String) return String(value);
    if (value instanceof Boolean) return value.valueOf();
    if (value instanceof BigInt) return new Description(`[BigInt ${value.toString()}]`);
    return value;
  } catch (error) {
    return new Description(`[unreadable object: ${describeThrown(error)}]`);
  }
}

/** Describes a scalar JSON cannot carry as Fiat stores it, or returns undefined when it can. */
function describeScalar(value: unknown): Description | undefined {
  switch (typeof value) {
    case 'bigint':
      return new Description(`[BigInt ${value.toString()}]`);
    case 'function':
      return new Description(`[function ${shortenText(String(value.name) || 'anonymous', DESCRIPTION_CHARS)}]`);
    case 'symbol':
      return new Description(`[${shortenText(value.toString(), DESCRIPTION_CHARS)}]`);
    case 'number':
      return Number.isFinite(value) ? undefined : new Description(`[${String(value)}]`);
    default:
      return undefined;
  }
}

class Walker {
  bytes = 0;
  complete = true;
  depth = 0;
  described = false;
  readonly #stack: (ArrayFrame | ObjectFrame)[] = [];
  readonly #ancestors = new Set<object>();
  #pending = '';
  /** The redaction context of the value being written. */
  #context: unknown;

  constructor(
    private readonly sink: JsonSink,
    private readonly maxBytes: number,
    private readonly maxDepth: number,
    private readonly wellFormed: boolean,
    private readonly redactor: JsonRedactor | undefined,
  ) {}

  run(root: unknown): void {
    this.#context = this.redactor?.root;
    this.#write(resolve('', root));
    while (this.complete && this.#stack.length > 0) {
      const frame = this.#stack[this.#stack.length - 1]!;
      if (frame.kind === 'array') this.#stepArray(frame);
      else this.#stepObject(frame);
    }
  }

  /**
   * Buffers `chunk`. Far from the budget, chunks are batched and measured once per batch (a UTF-8
   * string takes at most 3 bytes per UTF-16 unit); near it, each chunk is measured exactly, so the
   * walk stops at a chunk boundary at or below `maxBytes`.
   */
  #emit(chunk: string): boolean {
    if (!this.complete) return false;
    if (this.bytes + (this.#pending.length + chunk.length) * 3 <= this.maxBytes) {
      this.#pending += chunk;
      if (this.#pending.length >= BATCH_CHARS) this.flush();
      return true;
    }
    this.flush();
    const bytes = Buffer.byteLength(chunk, 'utf8');
    if (this.bytes + bytes > this.maxBytes) {
      this.complete = false;
      return false;
    }
    this.bytes += bytes;
    this.sink(chunk, bytes);
    return true;
  }

  /** Hands the batched text to the sink. */
  flush(): void {
    if (this.#pending === '') return;
    const bytes = Buffer.byteLength(this.#pending, 'utf8');
    this.bytes += bytes;
    this.sink(this.#pending, bytes);
    this.#pending = '';
  }

  #emitString(given: string, context: unknown = this.#context): void {
    const original = this.redactor === undefined ? given : this.redactor.text(context, given);
    let text = original;
    if (this.wellFormed) {
      text = toWellFormed(original);
      if (text !== original) this.described = true;
    }
    if (text.length <= PIECE_CHARS) {
      this.#emit(JSON.stringify(text));
      return;
    }
    if (!this.#emit('"')) return;
    for (let from = 0; from < text.length; ) {
      let to = Math.min(text.length, from + PIECE_CHARS);
      const last = text.charCodeAt(to - 1);
      if (to < text.length && last >= 0xd800 && last <= 0xdbff) to -= 1;
      if (!this.#emit(JSON.stringify(text.slice(from, to)).slice(1, -1))) return;
      from = to;
    }
    this.#emit('"');
  }

  #describe(description: Description): void {
    this.described = true;
    this.#emitString(description.text);
  }

  #stepArray(frame: ArrayFrame): void {
    if (frame.index >= frame.length) {
      if (this.#emit(']')) this.#pop();
      return;
    }
    if (frame.index > 0 && !this.#emit(',')) return;
    const index = frame.index++;
    this.#context = frame.context;
    if (this.redactor === undefined) return this.#write(resolve(index, read(frame.value, index)));
    const step = this.redactor.member(frame.context, index, () => resolve(index, read(frame.value, index)));
    if (step === undefined) return void this.#emit('null');
    if ('replace' in step) return this.#emitString(step.replace, frame.context);
    const item = resolve(index, read(frame.value, index));
    this.#context = step.context;
    this.#write(item);
  }

  #stepObject(frame: ObjectFrame): void {
    if (frame.index >= frame.keys.length) {
      if (this.#emit('}')) this.#pop();
      return;
    }
    const given = frame.keys[frame.index++]!;
    this.#context = frame.context;
    let item: unknown;
    let key = given;
    if (this.redactor === undefined) item = resolve(given, read(frame.value, given));
    else {
      const step = this.redactor.member(frame.context, given, () => resolve(given, read(frame.value, given)));
      if (step === undefined) return;
      key = this.redactor.text(frame.context, given);
      if ('replace' in step) item = step.replace;
      else {
        item = resolve(given, read(frame.value, given));
        this.#context = step.context;
      }
    }
    if (item === undefined) return;
    const name = key.length <= PIECE_CHARS && (!this.wellFormed || key.isWellFormed()) ? `${JSON.stringify(key)}:` : undefined;
    if (frame.wrote && !this.#emit(',')) return;
    frame.wrote = true;
    if (name !== undefined) {
      if (this.#emit(name)) this.#write(item);
      return;
    }
    this.#emitString(key, frame.context);
    if (this.#emit(':')) this.#write(item);
  }

  #pop(): void {
    const frame = this.#stack.pop()!;
    this.#ancestors.delete(frame.source);
  }

  /** Writes a resolved value: a scalar at once, a container by pushing its frame. */
  #write(value: unknown): void {
    if (isDescription(value)) return this.#describe(value);
    if (value === null || value === undefined) return void this.#emit('null');
    if (typeof value === 'string') return this.#emitString(value);
    if (typeof value === 'boolean') return void this.#emit(value ? 'true' : 'false');
    const scalar = describeScalar(value);
    if (scalar !== undefined) return this.#describe(scalar);
    if (typeof value === 'number') return void this.#emit(String(value));
    this.#open(value as object);
  }

  #open(source: object): void {
    if (this.#ancestors.has(source)) return this.#describe(new Description('[Circular]'));
    if (this.#stack.length + 1 > this.maxDepth) {
      this.depth = Math.max(this.depth, this.#stack.length + 1);
      return this.#describe(new Description(`[nested deeper than ${this.maxDepth} levels]`));
    }
    let value: object = source;
    try {
      if (source instanceof Map) {
        this.described = true;
        value = { '[Map]': Object.fromEntries(source) };
      } else if (source instanceof Set) {
        this.described = true;
        value = { '[Set]': [...source] };
      }
      if (Array.isArray(value)) {
        const length = Number((value as unknown[]).length);
        this.#push({ kind: 'array', context: this.#context, source, value, length: Number.isSafeInteger(length) && length > 0 ? length : 0, index: 0 }, '[');
      } else {
        this.#push({ kind: 'object', context: this.#context, source, value, keys: Object.keys(value), index: 0, wrote: false }, '{');
      }
    } catch (error) {
      this.#describe(new Description(`[unreadable object: ${describeThrown(error)}]`));
    }
  }

  #push(frame: ArrayFrame | ObjectFrame, open: string): void {
    if (!this.#emit(open)) return;
    this.#stack.push(frame);
    this.#ancestors.add(frame.source);
    this.depth = Math.max(this.depth, this.#stack.length);
  }
}

/**
 * Writes any value as JSON text, piece by piece, with bounded work: it stops before `maxBytes`
 * bytes, and never throws. The text is exactly `JSON.stringify`'s (`toJSON` applied, boxed
 * primitives unboxed) as long as the value holds only what JSON carries; anything else is written
 * as a string describing it and flagged `described`: BigInt (`"[BigInt 1]"`), NaN and Infinity,
 * functions and symbols (also as object values, which `JSON.stringify` drops), cycles
 * (`"[Circular]"`), Map and Set (`{"[Map]":{…}}`, `{"[Set]":[…]}`), getters, proxies and `toJSON`
 * that throw, and containers deeper than `maxDepth`. Sparse arrays cost one `null` per hole, so
 * their cost is bounded by `maxBytes` too.
 *
 * @example
 * ```ts
 * let text = '';
 * walkJson({ a: [1, 2n] }, (chunk) => (text += chunk), { maxBytes: 1024 }); // text === '{"a":[1,"[BigInt 2]"]}'
 * ```
 */
export function walkJson(value: unknown, sink: JsonSink, options: JsonWalkOptions): JsonWalkResult {
  const walker = new Walker(sink, options.maxBytes, options.maxDepth ?? Number.POSITIVE_INFINITY, options.wellFormed ?? false, options.redactor);
  try {
    walker.run(value);
    walker.flush();
  } catch {
    // Unreachable by design (every read is guarded); a stack or memory failure ends the walk incomplete.
    walker.complete = false;
  }
  return { bytes: walker.bytes, complete: walker.complete, depth: walker.depth, described: walker.described };
}
