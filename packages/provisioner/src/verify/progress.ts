/** A progress line that rewrites itself on a terminal. */
export interface ProgressLine {
  /** Shows the counts, at most once per interval. */
  update(files: number, lines: number): void;
  /** Clears the line (when one was shown). */
  done(): void;
}

/**
 * A progress line on stderr, `verifying: 12 files, 345,678 lines`, rewritten in place at most every `intervalMs`;
 * the first one appears after `intervalMs`, so short runs print nothing.
 *
 * @example
 * ```ts
 * const progress = progressLine((text) => process.stderr.write(text), Date.now);
 * progress.update(1, 1000);
 * progress.done();
 * ```
 */
export function progressLine(write: (text: string) => void, now: () => number, intervalMs = 1000): ProgressLine {
  let next = now() + intervalMs;
  let shown = false;
  return {
    update(files, lines) {
      const time = now();
      if (time < next) return;
      next = time + intervalMs;
      shown = true;
      write(`\rverifying: ${files.toLocaleString('en-US')} files, ${lines.toLocaleString('en-US')} lines\u001b[K`);
    },
    done() {
      if (shown) write('\r\u001b[K');
    },
  };
}
