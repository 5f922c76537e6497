// Owns progress output: drawn on stderr only when it is a terminal, one line rewritten in place (at most
// once per interval when asked), with lines of their own printed above it. Every command uses this one.
import { clock, type CliContext } from './command.js';

/** A progress line on stderr. */
export interface Progress {
  /** Replaces the progress line with `text` (nothing when stderr is not a terminal, or within the interval). */
  update(text: string): void;
  /** Prints `text` as a line of its own above the progress line (nothing when stderr is not a terminal). */
  note(text: string): void;
  /** Clears the progress line. */
  done(): void;
}

/** Options of {@link createProgress}. */
export interface ProgressOptions {
  /**
   * Draw the progress line at most once per this many ms, the first time only after it (so a short run
   * draws nothing): for updates that come thousands of times a second. Default: 0 (every update is drawn).
   */
  readonly intervalMs?: number;
}

const CLEAR_LINE = '\r\x1b[2K';
const SILENT: Progress = { update() {}, note() {}, done() {} };

/**
 * A progress line for long work: drawn on stderr when `context.stderrIsTTY`, silent otherwise,
 * so logs and pipes never see it. Time is read from the context's clock.
 *
 * @example
 * ```ts
 * const progress = createProgress(context, { intervalMs: 1000 });
 * progress.update('verifying: 12 files, 345,678 lines');
 * progress.note('fiat-audit/a.ndjson: 20 of 20 records resent');
 * progress.done();
 * ```
 */
export function createProgress(context: CliContext, options: ProgressOptions = {}): Progress {
  if (context.stderrIsTTY !== true) return SILENT;
  const intervalMs = options.intervalMs ?? 0;
  const now = clock(context);
  let next = intervalMs > 0 ? now() + intervalMs : 0;
  let drawn = false;
  return {
    update(text) {
      if (intervalMs > 0) {
        const time = now();
        if (time < next) return;
        next = time + intervalMs;
      }
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

/**
 * A count with thousands separators, as the CLI prints counts.
 *
 * @example
 * ```ts
 * count(1234567); // '1,234,567'
 * ```
 */
export function count(n: number): string {
  return n.toLocaleString('en-US');
}
