import { FiatError } from '../errors.js';
import type { StreamDefinition } from '../stream.js';
import { resolveRedactionKey, type RedactionKey } from './key.js';
import { Redaction } from './Redaction.js';
import { parseRules, type FieldRule, type RedactRule } from './rules.js';

/** The redaction options every logger takes. */
export interface RedactionLoggerOptions {
  /**
   * Redaction rules this logger adds to every stream's free-form fields (one rule or a list), or
   * `false` to turn off the streams' opt-out rules — the Audit stream's default masking of secret
   * keys in `task_args` and `output` — which emits one process warning (`FIAT_REDACTION_DISABLED`).
   * Actions declared on fields and the streams' other rules always apply. Default: none.
   */
  readonly redact?: RedactRule | readonly RedactRule[] | false;
  /**
   * The key of `hash` redactions: at least 32 bytes (a string stands for its UTF-8 bytes). Never
   * logged, never in a message. Default: the `FIAT_REDACTION_KEY` environment variable, else none —
   * a stream that hashes then fails with `CONFIG_INVALID` (at `configure` when it is in `streams`).
   */
  readonly redactionKey?: string | Uint8Array;
}

/** The code of the one warning `redact: false` emits. */
export const REDACTION_DISABLED_WARNING = 'FIAT_REDACTION_DISABLED';

let warned = false;

/** Emits the `redact: false` warning, once per process. */
function warnDisabled(): void {
  if (warned) return;
  warned = true;
  process.emitWarning(
    "Fiat: a logger was configured with redact: false — the default redaction of secret keys (password, token, authorization, …) in the Audit stream's task_args and output is off, so such values are stored as given",
    { code: REDACTION_DISABLED_WARNING },
  );
}

/**
 * A logger's redaction settings, and the redaction of each stream it writes, compiled once.
 *
 * @example
 * ```ts
 * const redaction = new LoggerRedaction({ redact: { detect: ['email'] } });
 * redaction.of(Audit).scrubText('mail rich@example.com'); // 'mail [redacted:email]'
 * ```
 */
export class LoggerRedaction {
  readonly #rules: readonly { readonly rule: FieldRule; readonly fields?: readonly string[] }[];
  readonly #optOut: boolean;
  readonly #key: RedactionKey | undefined;
  readonly #compiled = new Map<StreamDefinition<any>, Redaction>();

  /** Checks the options (`CONFIG_INVALID` naming the option, never a key) and reads the key. */
  constructor(options: RedactionLoggerOptions) {
    const redact: unknown = options.redact;
    this.#optOut = redact === false;
    if (redact === undefined || redact === false) this.#rules = [];
    else if (typeof redact !== 'object' || redact === null) {
      throw new FiatError('CONFIG_INVALID', `option redact must be a rule, a list of rules or false, got ${typeof redact}`);
    } else {
      this.#rules = parseRules(redact, 'option redact', 'CONFIG_INVALID');
      if (this.#rules.some(({ rule }) => rule.optOut === true)) throw new FiatError('CONFIG_INVALID', "option redact: optOut belongs to a stream's rules, not a logger's");
    }
    this.#key = resolveRedactionKey(options.redactionKey);
    if (this.#optOut) warnDisabled();
  }

  /** The redaction of `stream` for this logger. Throws `CONFIG_INVALID` when it hashes without a key. */
  of(stream: StreamDefinition<any>): Redaction {
    let compiled = this.#compiled.get(stream);
    if (compiled === undefined) {
      compiled = new Redaction(stream.name, stream.fields, {
        rules: this.#rules,
        optOut: this.#optOut,
        ...(this.#key === undefined ? {} : { key: this.#key }),
      });
      this.#compiled.set(stream, compiled);
    }
    return compiled;
  }
}
