// Owns progress lines: drawn on stderr only when it is a terminal, one line rewritten in place.
import type { CliContext } from './command.js';

/** A progress line on stderr. */
export interface Progress {
  /** Replaces the progress line with `text` (nothing when stderr is not a terminal). */
  update(text: string): void;
  /** Prints `text` as a line of its own above the progress line (nothing when stderr is not a terminal). */
  note(text: string): void;
  /** Clears the progress line. */
  done(): void;
}

const CLEAR_LINE = '\r\x1b[2K';

/**
 * A progress line for long work: drawn on stderr when `context.stderrIsTTY`, silent otherwise,
 * so logs and pipes never see it.
 *
 * @example
 * ```ts
 * const progress = createProgress(context);
 * progress.update('waiting… 3.0 s');
 * progress.done();
 * ```
 */
export function createProgress(context: CliContext): Progress {
  if (context.stderrIsTTY !== true) return { update() {}, note() {}, done() {} };
  let drawn = false;
  return {
    update(text) {
      context.stderr(`${CLEAR_LINE}${text}`);
      drawn = true;
    },
    note(text) {
      context.stderr(`${drawn ? CLEAR_LINE : ''}${text}\n`);
      drawn = false;
    },
    done() {
      if (drawn) context.stderr(CLEAR_LINE);
      drawn = false;
    },
  };
}

/**
 * Seconds with one decimal, as the CLI prints durations.
 *
 * @example
 * ```ts
 * seconds(1234); // '1.2 s'
 * ```
 */
export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}
