import { FiatError, type FiatIssue } from '../errors.js';
import type { FieldPlan, ValuePlan } from '../columnPlan.js';
import type { JsonRedactor } from '../jsonWalk.js';
import { REDACTED_MARKER, type RedactSpec } from './actions.js';
import { redactText, needsValue } from './apply.js';
import { createScrubber, type DetectorName, type Scrubber } from './detectors.js';
import type { RedactionKey } from './key.js';
import { looseKey, parsePath, PathMatcher, type PathPattern, type PathSegment, type PathState } from './paths.js';
import { isWholeAction, SECRET_KEYS, withRules, type FieldRule, type FieldRedaction } from './rules.js';
import { rawText } from './rawText.js';

/** How one top-level field is redacted while its value is read. */
export interface FieldRuntime {
  /** The field's own action on its whole value (applied once the record is validated). */
  readonly whole: RedactSpec | undefined;
  /** Where the walk is in the field's path rules and declared nested actions, at the field's value. */
  readonly root: PathState | undefined;
  /** The field's detectors. */
  readonly scrub: Scrubber | undefined;
}

/** What a logger adds to a stream's own redaction. */
export interface RedactionOptions {
  /** The logger's rules (parsed), added to every stream's free-form fields. Default: none. */
  readonly rules?: readonly { readonly rule: FieldRule; readonly fields?: readonly string[] }[];
  /** Skip the stream's `optOut` rules (a logger's `redact: false`). Default: `false`. */
  readonly optOut?: boolean;
  /** The key of `hash` actions. Required when any action of the stream or logger hashes (unless `validateOnly`). */
  readonly key?: RedactionKey;
  /**
   * Compiled for `validate()` alone, whose output is never stored: without a key, `hash` gives the
   * mask marker instead of failing. `encode()` never uses such a redaction. Default: `false`.
   */
  readonly validateOnly?: boolean;
}

type Apply = (value: unknown) => unknown;

const MASK: RedactSpec = { action: 'mask' };

const SECRET_SEGMENTS: readonly PathSegment[] = [...new Set(SECRET_KEYS.map(looseKey))].map((name) => ({ kind: 'key', name, loose: true }));

/** The patterns of a field's rules, and the actions declared on fields nested inside it. */
function fieldPatterns(field: FieldPlan, rules: readonly FieldRule[]): PathPattern[] {
  const patterns: PathPattern[] = [];
  for (const rule of rules) {
    const spec = rule.action ?? MASK;
    for (const path of rule.paths ?? []) patterns.push({ segments: parsePath(path, `field '${field.name}'`), spec, declared: false });
    if (rule.secretKeys === true) {
      for (const segment of SECRET_SEGMENTS) patterns.push({ segments: [{ kind: 'deep' }, segment], spec, declared: false });
    }
  }
  declaredPatterns(field.plan, [], patterns);
  return patterns;
}

function declaredPatterns(plan: ValuePlan, prefix: readonly PathSegment[], out: PathPattern[]): void {
  switch (plan.kind) {
    case 'struct':
      for (const field of plan.fields) {
        const segments = [...prefix, { kind: 'key' as const, name: field.name.toLowerCase(), loose: false }];
        if (field.redact !== undefined && isWholeAction(field.redact)) out.push({ segments, spec: field.redact, declared: true });
        else declaredPatterns(field.plan, segments, out);
      }
      break;
    case 'array':
      declaredPatterns(plan.items, [...prefix, { kind: 'item' }], out);
      break;
    case 'map':
      declaredPatterns(plan.values, [...prefix, { kind: 'any' }], out);
      break;
    default:
      break;
  }
}

/** The field that first needs a key, if any: a `hash` action declared or in a rule. */
function hashingField(fields: readonly FieldPlan[], path = ''): string | undefined {
  for (const field of fields) {
    const where = path === '' ? field.name : `${path}.${field.name}`;
    const redact = field.redact;
    if (redact !== undefined) {
      if (isWholeAction(redact) ? redact.action === 'hash' : redact.rules.some((rule) => rule.action?.action === 'hash')) return where;
    }
    let plan = field.plan;
    while (plan.kind === 'array' || plan.kind === 'map') plan = plan.kind === 'array' ? plan.items : plan.values;
    if (plan.kind === 'struct') {
      const inner = hashingField(plan.fields, where);
      if (inner !== undefined) return inner;
    }
  }
  return undefined;
}

/** Applies declared actions inside a value of `plan`, in place; `undefined` when none is declared there. */
function declaredApplier(plan: ValuePlan, redact: FieldRedaction | undefined, owner: Redaction): Apply | undefined {
  if (redact !== undefined && isWholeAction(redact)) {
    const spec = redact;
    return (value) => {
      if (value === null || value === undefined) return value;
      if (spec.action === 'drop') return null;
      return owner.redactText(spec, typeof value === 'string' ? value : JSON.stringify(value));
    };
  }
  switch (plan.kind) {
    case 'struct': {
      const parts = plan.fields.flatMap((field) => {
        const apply = declaredApplier(field.plan, field.redact, owner);
        return apply === undefined ? [] : [{ field, apply }];
      });
      if (parts.length === 0) return undefined;
      return (value) => {
        if (typeof value !== 'object' || value === null) return value;
        const record = value as Record<string, unknown>;
        for (const { field, apply } of parts) {
          const item = record[field.name] === undefined ? field.default : record[field.name];
          if (item !== undefined) record[field.name] = apply(item);
        }
        return value;
      };
    }
    case 'array': {
      const apply = declaredApplier(plan.items, undefined, owner);
      if (apply === undefined) return undefined;
      return (value) => {
        if (Array.isArray(value)) for (let i = 0; i < value.length; i++) value[i] = apply(value[i]);
        return value;
      };
    }
    case 'map': {
      const apply = declaredApplier(plan.values, undefined, owner);
      if (apply === undefined) return undefined;
      return (value) => {
        if (typeof value === 'object' && value !== null) for (const name of Object.keys(value)) (value as Record<string, unknown>)[name] = apply((value as Record<string, unknown>)[name]);
        return value;
      };
    }
    default:
      return undefined;
  }
}

/** The context of the dead-letter walk at the record itself. */
const RECORD = Symbol('record');

/** A context inside a field's value. */
interface Inside {
  readonly state: PathState | undefined;
  readonly scrub: Scrubber | undefined;
}

const PLAIN: Inside = { state: undefined, scrub: undefined };

/**
 * A stream's redaction, compiled for one logger (its rules, `redact: false`, its key): what the
 * encoder applies while reading a record (path rules, detectors), once the record is validated
 * (actions declared on fields), and what dead letters and error messages apply to raw input.
 * Get one from `ValidatedLog#redactionOf(stream)`.
 */
export class Redaction {
  /** The stream's name. */
  readonly stream: string;
  /** The fields this redaction was compiled for (a definition's own, compared by identity). */
  readonly fields: readonly FieldPlan[];
  /** The key id of the `hash` actions' key, when one is set. */
  readonly keyId: string | undefined;
  /** False when nothing is redacted at all (the encoder then skips every redaction step). */
  readonly active: boolean;
  readonly #byName = new Map<string, FieldRuntime>();
  readonly #declared: ((record: Record<string, unknown>) => void) | undefined;
  readonly #key: RedactionKey | undefined;
  readonly #scrub: Scrubber | undefined;

  /**
   * Compiles the redaction of `fields` (a stream's) with what a logger adds. Throws
   * `CONFIG_INVALID` when an action hashes and no key is given, naming the stream and the field
   * (never a key), or when a logger's rule does not fit a field it names.
   *
   * @example
   * ```ts
   * const redaction = new Redaction('Orders', Orders.fields, { key: resolveRedactionKey(undefined) });
   * ```
   */
  constructor(stream: string, fields: readonly FieldPlan[], options: RedactionOptions = {}) {
    this.stream = stream;
    this.fields = fields;
    const all = withRules(fields, options.rules ?? [], `stream ${stream}`, 'CONFIG_INVALID', true).map((field) => withoutOptOut(field, options.optOut === true));
    const hashing = hashingField(all);
    if (hashing !== undefined && options.key === undefined && options.validateOnly !== true) {
      throw new FiatError(
        'CONFIG_INVALID',
        `stream ${stream} hashes field '${hashing}' but no redaction key is set: pass the redactionKey option or set FIAT_REDACTION_KEY (at least 32 bytes)`,
      );
    }
    this.#key = options.key;
    this.keyId = options.key?.keyId;
    const detectors = new Set<DetectorName>();
    for (const field of all) {
      const redact = field.redact;
      const rules = redact !== undefined && !isWholeAction(redact) ? redact.rules : [];
      const whole = redact !== undefined && isWholeAction(redact) ? redact : undefined;
      const fieldDetectors = rules.flatMap((rule) => rule.detect ?? []);
      fieldDetectors.forEach((name) => detectors.add(name));
      const patterns = whole === undefined ? fieldPatterns(field, rules) : [];
      const root = patterns.length === 0 ? undefined : new PathMatcher(patterns).root();
      const scrub = createScrubber(fieldDetectors);
      if (whole !== undefined || root !== undefined || scrub !== undefined) this.#byName.set(field.name, { whole, root, scrub });
    }
    this.#scrub = createScrubber([...detectors]);
    const appliers = all.flatMap((field) => {
      const apply = declaredApplier(field.plan, field.redact, this);
      return apply === undefined ? [] : [{ field, apply }];
    });
    this.#declared =
      appliers.length === 0
        ? undefined
        : (record) => {
            for (const { field, apply } of appliers) {
              const value = record[field.name] === undefined ? field.default : record[field.name];
              if (value !== undefined) record[field.name] = apply(value);
              else if (field.redact !== undefined && isWholeAction(field.redact) && field.redact.action === 'drop') record[field.name] = null;
            }
          };
    this.active = this.#byName.size > 0;
  }

  /** How the top-level field `name` is redacted while read, or `undefined` when it is not. */
  field(name: string): FieldRuntime | undefined {
    return this.#byName.get(name);
  }

  /** Applies the actions declared on fields (drop, mask, hash, truncate) to a validated snapshot, in place. */
  applyDeclared(record: Record<string, unknown>): void {
    this.#declared?.(record);
  }

  /** What a path rule stores for a value, given the value's text (see `redactText`). */
  redactText(spec: RedactSpec, text: string): string {
    return redactText(this.#key === undefined && spec.action === 'hash' ? MASK : spec, text, this.#key);
  }

  /**
   * `text` with every match of the stream's and logger's detectors replaced: for error messages
   * and anything else that may carry input text. `text` itself when there are no detectors.
   *
   * @example
   * ```ts
   * logger.redactionOf(Audit).scrubText('login failed for rich@example.com'); // 'login failed for [redacted:email]'
   * ```
   */
  scrubText(text: string): string {
    return this.#scrub === undefined ? text : this.#scrub(text);
  }

  /** Issues with detectors applied to their paths and messages. */
  scrubIssues(issues: readonly FiatIssue[]): FiatIssue[] {
    const scrub = this.#scrub;
    if (scrub === undefined) return [...issues];
    return issues.map((issue) => ({ path: scrub(issue.path), message: scrub(issue.message) }));
  }

  /**
   * A redactor for `walkJson` over raw input: the whole record (dead letters), or the value of one
   * field (`field`, for omitted markers). Every rule and declared action applies, as stored records
   * apply them; detectors apply to strings and keys.
   */
  jsonRedactor(field?: string): JsonRedactor {
    const replace = (spec: RedactSpec, read: () => unknown): { replace: string } | undefined => {
      if (spec.action === 'drop') return undefined;
      return { replace: this.redactText(spec, needsValue(spec) ? rawText(read()) : '') };
    };
    const inside = (runtime: FieldRuntime | undefined): Inside =>
      runtime === undefined || (runtime.root === undefined && runtime.scrub === undefined) ? PLAIN : { state: runtime.root, scrub: runtime.scrub };
    const whole = field === undefined ? undefined : this.field(field)?.whole;
    return {
      root: field === undefined ? RECORD : whole === undefined ? inside(this.field(field)) : { state: undefined, scrub: () => REDACTED_MARKER },
      member: (context, key, read) => {
        if (context === RECORD) {
          const runtime = typeof key === 'string' ? this.field(key) : undefined;
          if (runtime?.whole !== undefined) return replace(runtime.whole, read);
          return { context: inside(runtime) };
        }
        const at = context as Inside;
        if (at.state === undefined) return { context: at };
        const state = at.state.step(key);
        if (state?.match !== undefined) return replace(state.match.spec, read);
        return { context: state === undefined && at.scrub === undefined ? PLAIN : { state, scrub: at.scrub } };
      },
      text: (context, text) => {
        if (context === RECORD) return this.scrubText(text);
        const scrub = (context as Inside).scrub;
        return scrub === undefined ? text : scrub(text);
      },
    };
  }
}

function withoutOptOut(field: FieldPlan, optOut: boolean): FieldPlan {
  const redact = field.redact;
  if (!optOut || redact === undefined || isWholeAction(redact) || !redact.rules.some((rule) => rule.optOut === true)) return field;
  const rules = redact.rules.filter((rule) => rule.optOut !== true);
  const { redact: _dropped, ...rest } = field;
  return rules.length === 0 ? rest : { ...rest, redact: { rules } };
}
