import { FiatError } from '../errors.js';
import type { FieldPlan, ValuePlan } from '../columnPlan.js';
import { actionKeyword, describeAction, describeGiven, parseRedactAction, type RedactAction, type RedactSpec } from './actions.js';
import { parseDetectors, type DetectorName } from './detectors.js';
import { parsePath } from './paths.js';

/**
 * The keys masked by default at any depth of the Audit stream's `task_args` and `output`. They
 * compare ignoring case, `_` and `-` (`apiKey`, `api_key` and `API-KEY` are the same key), and also
 * match the end of a longer key: `access_token`, `clientSecret`, `db_password`, `x-api-key` and
 * `session_cookie` are masked, `token_count` is not.
 */
export const SECRET_KEYS: readonly string[] = [
  'password',
  'passwd',
  'secret',
  'token',
  'api_key',
  'apiKey',
  'authorization',
  'cookie',
  'set-cookie',
  'private_key',
];

type Code = 'INVALID_DEFINITION' | 'CONFIG_INVALID';

/**
 * A redaction rule inside free-form fields, as `defineStream({ redact })` and a logger's `redact`
 * option take it.
 *
 * @example
 * ```ts
 * const rules: RedactRule[] = [
 *   { paths: ['password', '*.token', 'headers.authorization', 'cards[*].number'] },        // masked
 *   { paths: ['customer.email'], action: 'hash', fields: ['task_args'] },
 *   { detect: ['jwt', 'email'] },
 * ];
 * ```
 */
export interface RedactRule {
  /**
   * pino-style paths relative to each free-form field's value: keys joined by `.`, `*` for one
   * level, `**` for any depth, `[*]` for array items (`password`, `*.token`, `**.ssn`,
   * `cards[*].number`). Keys compare case-insensitively. Default: none.
   */
  readonly paths?: readonly string[];
  /** Also match {@link SECRET_KEYS} at any depth (ignoring case, `_` and `-`). Default: `false`. */
  readonly secretKeys?: boolean;
  /** Detectors applied to every string (and key) of the fields: see `DetectorName`. Default: none. */
  readonly detect?: readonly DetectorName[];
  /** What is stored for a value a path or secret key reaches. Default: `'mask'`. */
  readonly action?: RedactAction;
  /**
   * The fields the rule applies to. Default: every free-form field (JSON text: `z.unknown()`,
   * `z.any()`, `z.record(z.string(), z.unknown())`, mixed unions) and every map of strings
   * (`z.record(z.string(), z.string())`). A string field may be named for `detect` alone.
   */
  readonly fields?: readonly string[];
  /**
   * A stream's rule that a logger may turn off with `redact: false` (the Audit stream's default
   * secret keys are such a rule). Not allowed in a logger's own rules. Default: `false`.
   */
  readonly optOut?: boolean;
}

/** A rule as a field plan holds it: normalized, without `fields`. */
export interface FieldRule {
  readonly paths?: readonly string[];
  readonly secretKeys?: true;
  readonly detect?: readonly DetectorName[];
  /** What a path or secret key stores (absent on a rule of detectors only). */
  readonly action?: RedactSpec;
  readonly optOut?: true;
}

/**
 * How a field is redacted, as `FieldPlan.redact` and the `x-fiat-redact` keyword hold it: an
 * action on the whole value (`{ action: 'hash' }`), or rules inside a free-form value.
 */
export type FieldRedaction = RedactSpec | { readonly rules: readonly FieldRule[] };

/** True when the redaction replaces the whole value. */
export function isWholeAction(redaction: FieldRedaction): redaction is RedactSpec {
  return 'action' in redaction;
}

const RULE_KEYS = ['paths', 'secretKeys', 'detect', 'action', 'fields', 'optOut'];

/**
 * Checks one rule and returns it normalized (`fields` kept apart). Throws `code` naming `where`.
 *
 * @example
 * ```ts
 * parseRule({ paths: ['password'] }, 'redact[0]'); // { rule: { paths: ['password'], action: { action: 'mask' } } }
 * ```
 */
export function parseRule(value: unknown, where: string, code: Code = 'INVALID_DEFINITION'): { rule: FieldRule; fields?: readonly string[] } {
  const fail = (why: string): never => {
    throw new FiatError(code, `${where}: ${why}`);
  };
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return fail(`a redaction rule must be an object, got ${describeGiven(value)}`);
  const source = value as Record<string, unknown>;
  const extra = Object.keys(source).filter((key) => !RULE_KEYS.includes(key));
  if (extra.length > 0) fail(`unknown redaction rule keys ${extra.join(', ')} (known: ${RULE_KEYS.join(', ')})`);
  const out: { paths?: string[]; secretKeys?: true; detect?: DetectorName[]; action?: RedactSpec; optOut?: true } = {};
  if (source.paths !== undefined) {
    if (!Array.isArray(source.paths) || source.paths.length === 0 || source.paths.length > 256) fail('paths must be an array of 1 to 256 paths');
    (source.paths as unknown[]).forEach((path, i) => parsePath(path, `${where} paths[${i}]`, code));
    out.paths = [...(source.paths as string[])];
  }
  if (source.secretKeys !== undefined && typeof source.secretKeys !== 'boolean') fail('secretKeys must be true or false');
  if (source.secretKeys === true) out.secretKeys = true;
  if (source.detect !== undefined) {
    const detect = parseDetectors(source.detect, where, code);
    if (detect.length > 0) out.detect = detect;
  }
  if (source.optOut !== undefined && typeof source.optOut !== 'boolean') fail('optOut must be true or false');
  if (source.optOut === true) out.optOut = true;
  if (out.paths === undefined && out.secretKeys === undefined && out.detect === undefined) fail('a redaction rule needs paths, secretKeys or detect');
  if (out.paths !== undefined || out.secretKeys !== undefined) out.action = source.action === undefined ? { action: 'mask' } : parseRedactAction(source.action, where, code);
  else if (source.action !== undefined) fail('action applies to paths and secretKeys (detectors always store [redacted:<detector>])');
  let fields: readonly string[] | undefined;
  if (source.fields !== undefined) {
    if (!Array.isArray(source.fields) || source.fields.length === 0 || source.fields.some((f) => typeof f !== 'string')) fail('fields must be a non-empty array of field names');
    fields = [...(source.fields as string[])];
  }
  return fields === undefined ? { rule: out } : { rule: out, fields };
}

/** The rules of a `redact` option: one rule or a list. */
export function parseRules(value: unknown, where: string, code: Code): { rule: FieldRule; fields?: readonly string[] }[] {
  const list = Array.isArray(value) ? value : [value];
  return list.map((item, i) => parseRule(item, Array.isArray(value) ? `${where}[${i}]` : where, code));
}

/**
 * Reads an `x-fiat-redact` keyword (or a field plan's `redact`): an action (`"hash"`,
 * `{ "action": "truncate", "length": 4 }`) or `{ "rules": [ … ] }`. Throws `code` naming `where`.
 *
 * @example
 * ```ts
 * parseFieldRedaction('hash', "field 'email'"); // { action: 'hash' }
 * ```
 */
export function parseFieldRedaction(value: unknown, where: string, code: Code = 'INVALID_DEFINITION'): FieldRedaction {
  if (typeof value === 'object' && value !== null && !Array.isArray(value) && 'rules' in value) {
    const { rules, ...rest } = value as { rules: unknown };
    if (Object.keys(rest).length > 0) throw new FiatError(code, `${where}: x-fiat-redact holds either an action or { rules }, not both`);
    if (!Array.isArray(rules) || rules.length === 0) throw new FiatError(code, `${where}: x-fiat-redact rules must be a non-empty array`);
    return {
      rules: rules.map((rule, i) => {
        const parsed = parseRule(rule, `${where} rules[${i}]`, code);
        if (parsed.fields !== undefined) throw new FiatError(code, `${where} rules[${i}]: a field's own rule takes no fields`);
        return parsed.rule;
      }),
    };
  }
  return parseRedactAction(value, where, code);
}

/** Values a rule's matches can be stored in: JSON text, or strings. */
function holdsText(plan: ValuePlan): boolean {
  return plan.kind === 'json' || plan.kind === 'string';
}

/** True for a free-form field, which rules apply to by default: JSON text, or a map of strings or JSON. */
export function isFreeForm(plan: ValuePlan): boolean {
  return plan.kind === 'json' || (plan.kind === 'map' && holdsText(plan.values));
}

/**
 * Refuses a redaction a field's type cannot hold, with `code` naming the field: `drop` fits any
 * field; `mask` and `hash` fit strings and free-form values; `truncate` fits strings; rules fit
 * free-form fields (and `detect` alone a string field), at the top level of the record only.
 */
export function checkFieldRedaction(redaction: FieldRedaction, plan: ValuePlan, where: string, topLevel: boolean, code: Code = 'INVALID_DEFINITION'): void {
  const fail = (why: string): never => {
    throw new FiatError(code, `field '${where}' ${why}`);
  };
  if (isWholeAction(redaction)) {
    if (redaction.action === 'drop') return;
    const fits = redaction.action === 'truncate' ? plan.kind === 'string' : holdsText(plan);
    if (!fits) {
      const kinds = redaction.action === 'truncate' ? 'string fields' : 'string and free-form (JSON) fields';
      fail(`is ${plan.kind === 'json' ? 'free-form JSON' : `a ${plan.kind}`}: redaction '${redaction.action}' applies to ${kinds} only ('drop' applies to any field)`);
    }
    return;
  }
  if (!topLevel) fail('declares redaction rules: rules apply to free-form fields at the top level of a record (declare an action on the field instead)');
  for (const rule of redaction.rules) {
    const inside = rule.paths !== undefined || rule.secretKeys === true;
    if (inside && !isFreeForm(plan)) fail(`is a ${plan.kind === 'map' ? 'map of non-string values' : plan.kind}: paths and secretKeys apply to free-form fields (JSON, or maps of strings)`);
    if (!inside && !isFreeForm(plan) && plan.kind !== 'string') fail(`is a ${plan.kind}: detectors apply to strings and free-form fields`);
  }
}

/**
 * The fields with the stream's (or a logger's) rules added: each rule goes to the fields it names,
 * else to every free-form field without an action of its own. Throws `code` when a rule names a
 * field the stream lacks (unless `lenient`: a logger's rules skip streams without the field).
 */
export function withRules(
  fields: readonly FieldPlan[],
  rules: readonly { rule: FieldRule; fields?: readonly string[] }[],
  where: string,
  code: Code,
  lenient = false,
): FieldPlan[] {
  const added = new Map<string, FieldRule[]>();
  for (const { rule, fields: named } of rules) {
    const targets = named ?? fields.filter((f) => isFreeForm(f.plan) && !(f.redact !== undefined && isWholeAction(f.redact))).map((f) => f.name);
    for (const name of targets) {
      const field = fields.find((f) => f.name === name);
      if (field === undefined) {
        if (lenient) continue;
        throw new FiatError(code, `${where}: redaction rule names field '${name}', which the stream does not have`);
      }
      if (field.redact !== undefined && isWholeAction(field.redact)) {
        throw new FiatError(code, `${where}: redaction rule names field '${name}', which is redacted as a whole ('${field.redact.action}') already`);
      }
      checkFieldRedaction({ rules: [rule] }, field.plan, name, true, code);
      const list = added.get(name) ?? [];
      list.push(rule);
      added.set(name, list);
    }
  }
  if (added.size === 0) return [...fields];
  return fields.map((field) => {
    const more = added.get(field.name);
    if (more === undefined) return field;
    const own = field.redact !== undefined && !isWholeAction(field.redact) ? field.redact.rules : [];
    return { ...field, redact: { rules: [...own, ...more] } };
  });
}

/**
 * The `x-fiat-redact` keyword of a field's redaction, as `json_schema.json` writes it.
 *
 * @example
 * ```ts
 * redactKeyword({ action: 'hash' }); // 'hash'
 * ```
 */
export function redactKeyword(redaction: FieldRedaction): unknown {
  if (isWholeAction(redaction)) return actionKeyword(redaction);
  return {
    rules: redaction.rules.map((rule) => ({
      ...(rule.paths !== undefined ? { paths: rule.paths } : {}),
      ...(rule.secretKeys === true ? { secretKeys: true } : {}),
      ...(rule.detect !== undefined ? { detect: rule.detect } : {}),
      ...(rule.action !== undefined ? { action: actionKeyword(rule.action) } : {}),
      ...(rule.optOut === true ? { optOut: true } : {}),
    })),
  };
}

/**
 * One line saying how a field is redacted, for `athena.json` comments, DDL and `fiat schemas`.
 * Printable ASCII without quotes or backslashes, at most 255 characters.
 *
 * @example
 * ```ts
 * describeRedaction({ rules: [{ secretKeys: true, action: { action: 'mask' }, optOut: true }] });
 * // 'redacted: mask ([redacted]) at secret keys (password, passwd, …) at any depth, unless a logger opts out'
 * ```
 */
export function describeRedaction(redaction: FieldRedaction): string {
  if (isWholeAction(redaction)) return safeComment(`redacted: ${describeAction(redaction)}`);
  const parts = redaction.rules.map((rule) => {
    const where: string[] = [];
    if (rule.paths !== undefined) where.push(`at ${rule.paths.join(', ')}`);
    if (rule.secretKeys === true) where.push('at secret keys (password, token, api_key, authorization, cookie, ...) at any depth');
    const inside = rule.action !== undefined && where.length > 0 ? `${describeAction(rule.action)} ${where.join(' and ')}` : '';
    const detect = rule.detect !== undefined ? `detect ${rule.detect.join(', ')}` : '';
    const text = [inside, detect].filter((t) => t !== '').join('; ');
    return rule.optOut === true ? `${text}, unless a logger opts out` : text;
  });
  return safeComment(`redacted: ${parts.join('; ')}`);
}

function safeComment(text: string): string {
  const clean = text.replace(/[^\x20-\x7e]|['"\\]/g, '?');
  return clean.length > 255 ? `${clean.slice(0, 252)}...` : clean;
}
