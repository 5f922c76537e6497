import type { LoggerOptions, RedactRule } from '@fiat/core';

/** The Audit fields that hold an error's text: detectors apply to them too. */
const ERROR_FIELDS: readonly string[] = ['error_name', 'error_message'];

/**
 * The `redact` option an audit logger passes to its `ValidatedLog`: the given rules, and for each
 * rule with detectors and no `fields`, the same detectors on `error_name` and `error_message` too (so what
 * `logError` and `run` store of an error's message is scanned as `task_args` and `output` are).
 *
 * @example
 * ```ts
 * auditRedact({ detect: ['email'] }); // [{ detect: ['email'] }, { detect: ['email'], fields: ['error_name', 'error_message'] }]
 * ```
 */
export function auditRedact(redact: LoggerOptions['redact']): LoggerOptions['redact'] {
  if (redact === undefined || redact === false || typeof redact !== 'object' || redact === null) return redact;
  const rules = (Array.isArray(redact) ? redact : [redact]) as readonly RedactRule[];
  const extra = rules.flatMap((rule) =>
    typeof rule === 'object' && rule !== null && rule.detect !== undefined && rule.fields === undefined ? [{ detect: rule.detect, fields: ERROR_FIELDS }] : [],
  );
  return extra.length === 0 ? redact : [...rules, ...extra];
}
